"""Who may see and do what: roles per organization, global admins, read-only tokens.

One place for the rules, used by pages, the API, exports, reports and job submission alike.
An object in an organization the caller cannot see is NotFound (its existence is not revealed);
one they can see but not change is PermissionDenied.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from zas.errors import NotFound, PermissionDenied
from zas.extensions import db
from zas.models import Membership
from zas.models.users import ROLE_RANK


@dataclass
class Scope:
    """A principal's reach: {organization id: role}, or everything for a global admin."""

    user_id: int | None
    username: str | None
    global_admin: bool = False
    roles: dict[int, str] = field(default_factory=dict)
    read_only: bool = False  # a read-only API token

    def org_ids(self, min_role: str = "viewer") -> set[int] | None:
        """Organizations where the caller has at least `min_role`; None means all of them."""
        if min_role != "viewer" and self.read_only:
            return set()
        if self.global_admin:
            return None
        rank = ROLE_RANK[min_role]
        return {org for org, role in self.roles.items() if ROLE_RANK[role] >= rank}

    def can(self, org_id: int | None, min_role: str = "viewer") -> bool:
        if min_role != "viewer" and self.read_only:
            return False
        if self.global_admin:
            return True
        role = self.roles.get(org_id)
        return role is not None and ROLE_RANK[role] >= ROLE_RANK[min_role]

    def require(self, org_id: int | None, min_role: str = "viewer", what: str = "object") -> None:
        """Raise NotFound when the caller cannot see the organization, PermissionDenied when the role is short."""
        if not self.can(org_id, "viewer") and not (self.global_admin):
            raise NotFound(f"{what} not found")
        if not self.can(org_id, min_role):
            if self.read_only and min_role != "viewer":
                raise PermissionDenied("this API token is read-only")
            raise PermissionDenied(f"this needs the {min_role} role in the organization")

    def has_any(self, min_role: str) -> bool:
        ids = self.org_ids(min_role)
        return ids is None or bool(ids)

    @property
    def is_anyone_admin(self) -> bool:
        return self.has_any("admin")


def scope_for(user, read_only: bool = False) -> Scope:
    """The scope of a logged-in user (one query for the memberships)."""
    roles = dict(db.session.execute(
        select(Membership.organization_id, Membership.role).where(Membership.user_id == user.id)
    ).all())
    return Scope(user_id=user.id, username=user.username, global_admin=bool(user.is_global_admin), roles=roles,
                 read_only=read_only)


def visible(query, column, scope: Scope, min_role: str = "viewer"):
    """`query` limited to rows whose organization column the scope can see."""
    ids = scope.org_ids(min_role)
    if ids is None:
        return query
    return query.where(column.in_(ids or {-1}))
