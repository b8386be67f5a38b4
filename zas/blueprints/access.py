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
