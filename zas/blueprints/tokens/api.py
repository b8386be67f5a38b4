"""REST: the caller's own API tokens (/api/v1/tokens): list, create, revoke."""
from datetime import timezone

from flask.views import MethodView
from flask_login import current_user

from zas.blueprints.access import client_ip, current_scope
from zas.blueprints.apikit import api_blueprint, errors, path_id, set_total
from zas.blueprints.tokens.schemas import NewTokenSchema, TokenCreateSchema, TokenQueryArgsSchema, TokenSchema
from zas.errors import PermissionDenied
from zas.extensions import db
from zas.services import accounts

blp = api_blueprint("tokens", __name__, "tokens", "Your API tokens")


def naive_utc(value):
    """Aware datetimes from the API become the naive UTC the database stores."""
    if value is None or value.tzinfo is None:
        return value
    return value.astimezone(timezone.utc).replace(tzinfo=None)


def new_token_body(row, clear):
    """The token row with its clear value attached for this one answer (never stored)."""
    row.token = clear
    return row


@blp.route("")
class Tokens(MethodView):
    """List and create your tokens."""

    @blp.arguments(TokenQueryArgsSchema, location="query")
    @blp.response(200, TokenSchema(many=True))
    @blp.paginate(page_size=50, max_page_size=1000)
    @errors(blp, 422)
    def get(self, args, pagination_parameters):
        """Your tokens, newest first (values are never shown again)."""
        page = accounts.list_tokens(current_user, page=pagination_parameters.page,
                                    page_size=pagination_parameters.page_size)
        return set_total(pagination_parameters, page)

    @blp.arguments(TokenCreateSchema)
    @blp.response(201, NewTokenSchema)
    @errors(blp, 403, 422)
    def post(self, data):
        """Create a token for yourself (read-only with `write: false`)."""
        if current_scope().read_only:
            raise PermissionDenied("this API token is read-only")
        data["expires_at"] = naive_utc(data.get("expires_at"))
        row, clear = accounts.create_token(current_user, data, ip=client_ip())
        db.session.commit()
        return new_token_body(row, clear)


@blp.route("/<int:token_id>")
class TokenById(MethodView):
    """One of your tokens."""

    @blp.response(200, TokenSchema)
    @errors(blp, 404)
    def get(self, token_id):
        """Read one of your tokens."""
        return accounts.get_own_token(current_user, path_id(token_id))

    @blp.response(204)
    @errors(blp, 403, 404)
    def delete(self, token_id):
        """Revoke one of your tokens. Idempotent."""
        if current_scope().read_only:
            raise PermissionDenied("this API token is read-only")
        token = accounts.get_own_token(current_user, path_id(token_id))
        accounts.revoke_token(current_user, token, ip=client_ip())
        db.session.commit()
