"""Users, memberships and API tokens: creation and lookup shared by the CLI, the UI and the API."""
from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import select

from zas.errors import Conflict, NotFound, PermissionDenied, ValidationError
from zas.extensions import db
from zas.models import ApiToken, Membership, Organization, User
from zas.models.types import utcnow
from zas.models.users import ROLES
from zas.services.textsearch import contains

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


# ---------------------------------------------------------------------------------------------
# Management for the UI and the API. Every function takes the caller's Scope: a global admin
# manages everyone; an organization admin manages the users and memberships of the
# organizations they administer. Other users are NotFound. Functions flush; the boundary commits.
# ---------------------------------------------------------------------------------------------

USER_FIELDS = ("username", "password", "is_global_admin", "is_active", "organization_id", "role")


def _require_user_admin(scope) -> None:
    if scope.read_only:
        raise PermissionDenied("this API token is read-only")
    if not scope.has_any("admin"):
        raise PermissionDenied("this needs the admin role")


def user_query(scope):
    """Users the caller may manage (a SELECT, not run)."""
    query = select(User)
    if scope.global_admin:
        return query
    ids = {o for o, r in scope.roles.items() if r == "admin"}
    return query.where(User.id.in_(select(Membership.user_id).where(Membership.organization_id.in_(ids or {-1}))))


def list_users(scope, q: str | None = None, *, page: int = 1, page_size: int = 50):
    """Users the caller administers (PermissionDenied without an admin role), by username."""
    from zas.services.inventory import paginate

    if not (scope.global_admin or "admin" in scope.roles.values()):
        raise PermissionDenied("this needs the admin role")
    query = user_query(scope)
    if q:
        query = query.where(contains(User.username, q.strip()))
    return paginate(query.order_by(User.username, User.id), page, page_size)


def get_user(user_id: int, scope) -> User:
    """A user the caller administers; NotFound otherwise."""
    if not (scope.global_admin or "admin" in scope.roles.values()):
        raise PermissionDenied("this needs the admin role")
    user = db.session.scalar(user_query(scope).where(User.id == user_id)) if isinstance(user_id, int) else None
    if user is None:
        raise NotFound(f"user {user_id} not found")
    return user


def _user_view(user: User) -> dict:
    return {"username": user.username, "is_global_admin": bool(user.is_global_admin), "is_active": user.is_active}


def add_user(scope, data: dict, *, actor=None, ip: str | None = None) -> User:
    """Create a user. An organization admin must give `organization_id` (one of theirs) and `role`;
    a global admin may instead make a global admin. Audited (never the password)."""
    from zas.services import audit
    from zas.services.inventory import _check_unknown, _org_for_write

    _require_user_admin(scope)
    _check_unknown(data, USER_FIELDS)
    username = data.get("username") or ""
    if not USERNAME_RE.match(username):
        raise ValidationError("username must be 1-64 letters, digits or . _ @ -", field="username")
    if len(data.get("password") or "") < MIN_PASSWORD:
        raise ValidationError(f"password must be at least {MIN_PASSWORD} characters", field="password")
    global_admin = bool(data.get("is_global_admin"))
    if global_admin and not scope.global_admin:
        raise PermissionDenied("only a global admin makes global admins")
    org = None
    if data.get("organization_id") is not None or not global_admin:
        org = _org_for_write(scope, data.get("organization_id"), "admin")
        if data.get("role") not in ROLES:
            raise ValidationError(f"role must be one of {', '.join(ROLES)}", field="role")
    if db.session.scalar(select(User.id).where(User.username == username)) is not None:
        raise ValidationError(f"user {username!r} already exists", field="username")
    user = User(username=username, is_global_admin=global_admin, is_active_flag=data.get("is_active", True))
    user.set_password(data["password"])
    db.session.add(user)
    db.session.flush()
    audit.record("user.create", obj=user, actor=actor, ip=ip, organization_id=org.id if org else None,
                 after=_user_view(user))
    if org is not None:
        membership = Membership(user=user, organization=org, role=data["role"])
        db.session.add(membership)
        db.session.flush()
        audit.record("membership.create", obj=user, actor=actor, ip=ip, organization_id=org.id,
                     after={"user": user.username, "organization_id": org.id, "role": data["role"]})
    return user


def update_user(scope, user: User, data: dict, *, actor=None, ip: str | None = None) -> User:
    """Change a user's password, active flag or (global admins only) global-admin flag. Audited;
    a new password or deactivation ends the user's sessions."""
    from zas.services import audit
    from zas.services.inventory import _check_unknown

    _require_user_admin(scope)
    _check_unknown(data, ("password", "is_active", "is_global_admin"))
    before = _user_view(user)
    if "is_global_admin" in data:
        if not scope.global_admin:
            raise PermissionDenied("only a global admin changes global-admin rights")
        if user.id == scope.user_id and not data["is_global_admin"]:
            raise ValidationError("you cannot remove your own global-admin rights", field="is_global_admin")
        user.is_global_admin = bool(data["is_global_admin"])
    if "is_active" in data:
        if user.id == scope.user_id and not data["is_active"]:
            raise ValidationError("you cannot deactivate yourself", field="is_active")
        user.is_active_flag = bool(data["is_active"])
        if not user.is_active_flag:
            user.session_version = (user.session_version or 0) + 1
    if "password" in data:
        if len(data["password"] or "") < MIN_PASSWORD:
            raise ValidationError(f"password must be at least {MIN_PASSWORD} characters", field="password")
        user.set_password(data["password"])
    db.session.flush()
    action = "permission.change" if before["is_global_admin"] != user.is_global_admin else "user.update"
    audit.record(action, obj=user, actor=actor, ip=ip, before=before, after=_user_view(user),
                 detail={"password_changed": "password" in data})
    return user


def delete_user(scope, user: User, *, actor=None, ip: str | None = None) -> None:
    """Delete a user (global admins only; not yourself). Their audit records stay."""
    from zas.services import audit

    if not scope.global_admin or scope.read_only:
        raise PermissionDenied("only a global admin deletes users")
    if user.id == scope.user_id:
        raise ValidationError("you cannot delete yourself", field="id")
    audit.record("user.delete", obj=user, actor=actor, ip=ip, before=_user_view(user))
    db.session.delete(user)
    db.session.flush()


def list_memberships(scope, filters: dict, *, page: int = 1, page_size: int = 50):
    """Memberships in the organizations the caller administers, filtered by user_id / organization_id."""
    from zas.services.inventory import paginate

    if not (scope.global_admin or "admin" in scope.roles.values()):
        raise PermissionDenied("this needs the admin role")
    query = select(Membership)
    if not scope.global_admin:
        ids = {o for o, r in scope.roles.items() if r == "admin"}
        query = query.where(Membership.organization_id.in_(ids or {-1}))
    for key in ("user_id", "organization_id"):
        if filters.get(key) is not None:
            query = query.where(getattr(Membership, key) == filters[key])
    return paginate(query.order_by(Membership.organization_id, Membership.user_id), page, page_size)


def get_membership(membership_id: int, scope, min_role: str = "admin") -> Membership:
    """A membership in an organization the caller belongs to; PermissionDenied below `min_role`."""
    m = db.session.get(Membership, membership_id) if isinstance(membership_id, int) else None
    if m is None or not scope.can(m.organization_id, "viewer"):
        raise NotFound(f"membership {membership_id} not found")
    scope.require(m.organization_id, min_role, "membership")
    return m


def _membership_view(m: Membership) -> dict:
    return {"user_id": m.user_id, "organization_id": m.organization_id, "role": m.role}


def add_membership(scope, data: dict, *, actor=None, ip: str | None = None) -> Membership:
    """Give a user a role in an organization the caller administers. Audited as a permission change."""
    from zas.services import audit
    from zas.services.inventory import _check_unknown, _org_for_write

    _check_unknown(data, ("user_id", "organization_id", "role"))
    org = _org_for_write(scope, data.get("organization_id"), "admin")
    user_id = data.get("user_id")
    user = db.session.get(User, user_id) if isinstance(user_id, int) and not isinstance(user_id, bool) else None
    if user is None:
        raise ValidationError(f"unknown user {user_id}", field="user_id")
    if data.get("role") not in ROLES:
        raise ValidationError(f"role must be one of {', '.join(ROLES)}", field="role")
    exists = db.session.scalar(select(Membership.id).where(Membership.user_id == user.id,
                                                           Membership.organization_id == org.id))
    if exists is not None:
        raise ValidationError("the user is already a member of this organization", field="user_id")
    m = Membership(user=user, organization=org, role=data["role"])
    db.session.add(m)
    db.session.flush()
    audit.record("permission.change", obj=m, actor=actor, ip=ip, organization_id=org.id, before=None,
                 after=_membership_view(m), detail={"user": user.username, "change": "membership.create"})
    return m


def update_membership(scope, m: Membership, data: dict, *, actor=None, ip: str | None = None) -> Membership:
    """Change a member's role. Audited as a permission change."""
    from zas.services import audit
    from zas.services.inventory import _check_unknown

    scope.require(m.organization_id, "admin", "membership")
    _check_unknown(data, ("role", "user_id", "organization_id"))
    for key in ("user_id", "organization_id"):
        if key in data and data[key] != getattr(m, key):
            raise ValidationError(f"{key} cannot change; delete and add the membership", field=key)
    if "role" in data:
        if data["role"] not in ROLES:
            raise ValidationError(f"role must be one of {', '.join(ROLES)}", field="role")
        before = _membership_view(m)
        m.role = data["role"]
        db.session.flush()
        audit.record("permission.change", obj=m, actor=actor, ip=ip, organization_id=m.organization_id,
                     before=before, after=_membership_view(m), detail={"change": "membership.update"})
    return m


def remove_membership(scope, m: Membership, *, actor=None, ip: str | None = None) -> None:
    """Take a user's role in an organization away. Audited as a permission change."""
    from zas.services import audit

    scope.require(m.organization_id, "admin", "membership")
    audit.record("permission.change", obj=m, actor=actor, ip=ip, organization_id=m.organization_id,
                 before=_membership_view(m), after=None, detail={"change": "membership.delete"})
    db.session.delete(m)
    db.session.flush()


def list_tokens(user: User, *, page: int = 1, page_size: int = 50):
    """The user's own API tokens (never their values), newest first."""
    from zas.services.inventory import paginate

    query = select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
    return paginate(query, page, page_size)


def get_own_token(user: User, token_id: int) -> ApiToken:
    token = db.session.get(ApiToken, token_id) if isinstance(token_id, int) else None
    if token is None or token.user_id != user.id:
        raise NotFound(f"token {token_id} not found")
    return token


def create_token(user: User, data: dict, *, ip: str | None = None) -> tuple[ApiToken, str]:
    """Issue a token for `user` ({name, write, expires_at}); audited. The clear value is returned once."""
    from zas.services import audit
    from zas.services.inventory import _check_unknown

    _check_unknown(data, ("name", "write", "expires_at"))
    row, clear = issue_token(user, data.get("name") or "api", write=bool(data.get("write", True)),
                             expires_at=data.get("expires_at"))
    audit.record("token.create", obj=row, actor=user, ip=ip,
                 after={"name": row.name, "write": row.write, "prefix": row.prefix,
                        "expires_at": row.expires_at.isoformat() if row.expires_at else None})
    return row, clear


def revoke_token(user: User, token: ApiToken, *, ip: str | None = None) -> ApiToken:
    """Revoke one of the user's tokens. Idempotent; audited."""
    from zas.services import audit

    if token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.flush()
        audit.record("token.revoke", obj=token, actor=user, ip=ip, after={"prefix": token.prefix})
    return token
