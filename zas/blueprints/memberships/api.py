"""REST: memberships (/api/v1/memberships): who has which role where (admins)."""
from flask.views import MethodView

from zas.blueprints.access import client_ip, current_scope
from zas.blueprints.apikit import actor, api_blueprint, errors, path_id, set_total
from zas.blueprints.users.schemas import (MembershipCreateSchema, MembershipQueryArgsSchema, MembershipSchema,
                                          MembershipUpdateSchema)
from zas.extensions import db
from zas.services import accounts

blp = api_blueprint("memberships", __name__, "memberships", "Roles of users in organizations (admins)")


@blp.route("")
class Memberships(MethodView):
    """List and add memberships."""

    @blp.arguments(MembershipQueryArgsSchema, location="query")
    @blp.response(200, MembershipSchema(many=True))
    @blp.paginate(page_size=50, max_page_size=1000)
    @errors(blp, 403, 422)
    def get(self, args, pagination_parameters):
        """Memberships in the organizations the caller administers."""
        page = accounts.list_memberships(current_scope(), args, page=pagination_parameters.page,
                                         page_size=pagination_parameters.page_size)
        return set_total(pagination_parameters, page)

    @blp.arguments(MembershipCreateSchema)
    @blp.response(201, MembershipSchema)
    @errors(blp, 403, 422)
    def post(self, data):
        """Give a user a role in an organization (admins)."""
        membership = accounts.add_membership(current_scope(), data, actor=actor(), ip=client_ip())
        db.session.commit()
        return membership


@blp.route("/<int:membership_id>")
class MembershipById(MethodView):
    """One membership."""

    @blp.response(200, MembershipSchema)
    @errors(blp, 403, 404)
    def get(self, membership_id):
        """Read a membership."""
        return accounts.get_membership(path_id(membership_id), current_scope())

    @blp.arguments(MembershipUpdateSchema)
    @blp.response(200, MembershipSchema)
    @errors(blp, 403, 404, 422)
    def patch(self, data, membership_id):
        """Change the role (admins)."""
        membership = accounts.get_membership(path_id(membership_id), current_scope())
        accounts.update_membership(current_scope(), membership, data, actor=actor(), ip=client_ip())
        db.session.commit()
        return membership

    @blp.response(204)
    @errors(blp, 403, 404)
    def delete(self, membership_id):
        """Remove the role (admins)."""
        membership = accounts.get_membership(path_id(membership_id), current_scope())
        accounts.remove_membership(current_scope(), membership, actor=actor(), ip=client_ip())
        db.session.commit()
