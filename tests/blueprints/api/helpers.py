"""API test helpers: a token-authenticated client per role."""
from __future__ import annotations

import itertools
from functools import lru_cache

from tests.factories import PASSWORD, make_org
from zas.extensions import db
from zas.models import Membership, User
from zas.services import accounts

_seq = itertools.count(1)


@lru_cache(maxsize=1)
def _password_hash() -> str:
    # scrypt is slow on purpose; tests hash the shared password once
    from werkzeug.security import generate_password_hash

    return generate_password_hash(PASSWORD)


def quick_user(*, role: str | None = None, org=None, global_admin: bool = False) -> User:
    """A user whose password is tests.factories.PASSWORD, without paying for a new hash."""
    user = User(username=f"api-user-{next(_seq)}", is_global_admin=global_admin, password_hash=_password_hash(),
                session_version=1)
    db.session.add(user)
    if org is not None:
        db.session.add(Membership(user=user, organization=org, role=role or "viewer"))
    db.session.flush()
    return user


class ApiClient:
    """The Flask test client with a bearer token and /api/v1 prefixed."""

    def __init__(self, client, token: str | None):
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def __getattr__(self, method):
        def call(path, **kwargs):
            headers = dict(self.headers, **kwargs.pop("headers", {}))
            return getattr(self.client, method)("/api/v1" + path, headers=headers, **kwargs)

        return call


def api_as(client, user, write: bool = True) -> ApiClient:
    _, clear = accounts.issue_token(user, "test", write=write)
    return ApiClient(client, clear)


def personas(org=None):
    """Users with each role in `org` (made if None), an outsider in another org, and a global admin."""
    org = org or make_org()
    other = make_org()
    users = {role: quick_user(role=role, org=org) for role in ("viewer", "operator", "admin")}
    users["outsider"] = quick_user(role="admin", org=other)
    users["global"] = quick_user(global_admin=True)
    return org, other, users
