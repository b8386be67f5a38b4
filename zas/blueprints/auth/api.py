"""REST: exchange a username and password for an API token (/api/v1/auth/tokens)."""
from flask import abort
from flask.views import MethodView

from zas.blueprints.access import client_ip
from zas.blueprints.apikit import api_blueprint, errors
from zas.blueprints.auth.schemas import LoginTokenSchema, NewTokenSchema
from zas.blueprints.tokens.api import naive_utc, new_token_body
from zas.extensions import db
from zas.services import accounts
from zas.services.authn import attempt_login

blp = api_blueprint("auth", __name__, "auth", "Authentication: get an API token", public=True)


@blp.route("/tokens")
class AuthTokens(MethodView):
    """Log in for a token."""

    @blp.arguments(LoginTokenSchema)
    @blp.response(201, NewTokenSchema)
    @errors(blp, 400, 422)
    def post(self, data):
        """Check the username and password (throttled and audited like the sign-in page); answer a new token."""
        user, message = attempt_login(data.pop("username"), data.pop("password"), client_ip() or "unknown")
        if user is None:
            abort(401, description=message)  # the same words whether the user exists or not
        data["expires_at"] = naive_utc(data.get("expires_at"))
        data.setdefault("name", "login")
        row, clear = accounts.create_token(user, data, ip=client_ip())
        db.session.commit()
        return new_token_body(row, clear)
