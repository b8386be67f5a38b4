"""REST: users (/api/v1/users) and memberships (/api/v1/memberships), for admins."""
from flask.views import MethodView

from zas.blueprints.access import client_ip, current_scope
from zas.blueprints.apikit import actor, api_blueprint, errors, path_id, set_total
from zas.blueprints.users.schemas import UserCreateSchema, UserQueryArgsSchema, UserSchema, UserUpdateSchema
from zas.extensions import db
from zas.services import accounts

blp = api_blueprint("users", __name__, "users", "Users (admins)")


@blp.route("")
class Users(MethodView):
    """List and add users."""

    @blp.arguments(UserQueryArgsSchema, location="query")
    @blp.response(200, UserSchema(many=True))
    @blp.paginate(page_size=50, max_page_size=1000)
    @errors(blp, 403, 422)
    def get(self, args, pagination_parameters):
        """Users of the organizations the caller administers (everyone for a global admin)."""
        page = accounts.list_users(current_scope(), args.get("q"), page=pagination_parameters.page,
                                   page_size=pagination_parameters.page_size)
        return set_total(pagination_parameters, page)

    @blp.arguments(UserCreateSchema)
    @blp.response(201, UserSchema)
    @errors(blp, 403, 422)
    def post(self, data):
        """Add a user with a role in one of the caller's organizations (admins)."""
        user = accounts.add_user(current_scope(), data, actor=actor(), ip=client_ip())
        db.session.commit()
        return user


@blp.route("/<int:user_id>")
class UserById(MethodView):
    """One user."""

    @blp.response(200, UserSchema)
    @errors(blp, 403, 404)
    def get(self, user_id):
        """Read a user and their memberships."""
        return accounts.get_user(path_id(user_id), current_scope())

    @blp.arguments(UserUpdateSchema)
    @blp.response(200, UserSchema)
    @errors(blp, 403, 404, 422)
    def patch(self, data, user_id):
        """Change a user's password or flags (admins)."""
        user = accounts.get_user(path_id(user_id), current_scope())
        accounts.update_user(current_scope(), user, data, actor=actor(), ip=client_ip())
        db.session.commit()
        return user

    @blp.response(204)
    @errors(blp, 403, 404, 422)
    def delete(self, user_id):
        """Delete a user (global admins)."""
        user = accounts.get_user(path_id(user_id), current_scope())
        accounts.delete_user(current_scope(), user, actor=actor(), ip=client_ip())
        db.session.commit()
