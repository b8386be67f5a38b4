"""The request's principal as an authz Scope, and small guards for views and API resources."""
from __future__ import annotations

from functools import wraps

from flask import g, request
from flask_login import current_user

from zas.errors import PermissionDenied
from zas.services.authz import Scope, scope_for


def current_scope() -> Scope:
    """The caller's scope, computed once per request."""
    if "zas_scope" not in g:
        if not current_user.is_authenticated:
            g.zas_scope = Scope(user_id=None, username=None)
        else:
            token = g.get("api_token")
            g.zas_scope = scope_for(current_user, read_only=bool(token is not None and not token.write))
    return g.zas_scope


def client_ip() -> str | None:
    return request.remote_addr


def authenticate_api_request():
    """Resolve the API caller: a bearer token wins over a session cookie; None if authenticated,
    else the 401 response to send (a bad or expired token is a 401 even with a session)."""
    from zas.extensions import db, login_manager
    from zas.services import accounts

    # `g` lives on the app context, which a test client's requests can share: start clean
    for key in ("_login_user", "api_token", "zas_scope"):
        g.pop(key, None)
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        found = accounts.user_for_token(header[7:].strip())
        if found is None:
            return login_manager.unauthorized()
        user, token = found
        g.api_token = token
        login_manager._update_request_context_with_user(user)
        if db.session.is_modified(token):
            db.session.commit()  # last_used_at: the only write a read request makes
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    return None


def require_any(min_role: str):
    """Only callers with `min_role` in at least one organization (object checks still follow)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_scope().has_any(min_role):
                raise PermissionDenied(f"this needs the {min_role} role")
            return view(*args, **kwargs)

        return wrapped

    return decorator
