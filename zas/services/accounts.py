"""Users, memberships and API tokens: creation and lookup shared by the CLI, the UI and the API."""
from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import select

from zas.errors import Conflict, NotFound, ValidationError
from zas.extensions import db
from zas.models import ApiToken, Membership, Organization, User
from zas.models.types import utcnow
from zas.models.users import ROLES

USERNAME_RE = re.compile(r"^[A-Za-z0-9_.@-]{1,64}$")
MIN_PASSWORD = 8


def get_or_create_organization(name: str) -> Organization:
    """The organization called `name`, created (flushed) if missing. Idempotent."""
    name = (name or "").strip()
    if not name:
        raise ValidationError("organization name is empty", field="organization")
    org = db.session.scalar(select(Organization).where(Organization.name == name))
    if org is None:
        org = Organization(name=name)
        db.session.add(org)
        db.session.flush()
    return org


def create_user(username: str, password: str, role: str, org_name: str | None = None) -> User:
    """Add a user with a role in `org_name`, or a global admin when no organization is given.

    Raises ValidationError for a bad name, password or role, Conflict if the user exists.
    """
    if not USERNAME_RE.match(username or ""):
        raise ValidationError("username must be 1-64 letters, digits or . _ @ -", field="username")
    if role not in ROLES:
        raise ValidationError(f"role must be one of {', '.join(ROLES)}", field="role")
    if len(password or "") < MIN_PASSWORD:
        raise ValidationError(f"password must be at least {MIN_PASSWORD} characters", field="password")
    if db.session.scalar(select(User.id).where(User.username == username)) is not None:
        raise Conflict(f"user {username!r} already exists")
    if org_name is None and role != "admin":
        raise ValidationError("a viewer or operator needs an organization (--org)", field="org")
    user = User(username=username, is_global_admin=org_name is None)
    user.set_password(password)
    db.session.add(user)
    if org_name is not None:
        org = get_or_create_organization(org_name)
        db.session.add(Membership(user=user, organization=org, role=role))
    db.session.flush()
    return user


def get_user_by_name(username: str) -> User:
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"no user named {username!r}")
    return user


def issue_token(user: User, name: str, write: bool = True, expires_at: datetime | None = None) -> tuple[ApiToken, str]:
    """A new API token for `user`; the clear value is returned once and never stored."""
    name = (name or "").strip() or "api"
    if expires_at is not None and expires_at <= utcnow():
        raise ValidationError("expiry must be in the future", field="expires_at")
    row, clear = ApiToken.issue(user, name[:128], write=write, expires_at=expires_at)
    db.session.add(row)
    db.session.flush()
    return row, clear


def user_for_token(clear: str) -> tuple[User, ApiToken] | None:
    """The active user behind a bearer token, or None; records when the token was last used."""
    if not clear:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == ApiToken.hash(clear)))
    now = utcnow()
    if token is None or not token.is_usable(now) or not token.user.is_active:
        return None
    # a write per request is wasteful; a minute's resolution is enough to see stale tokens
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        token.last_used_at = now
    return token.user, token
