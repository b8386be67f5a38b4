"""The audit log writer. The boundary (view, API, CLI, job) says who acted; this records it."""
from __future__ import annotations

from typing import Any

from zas.extensions import db
from zas.models import AuditEvent
from zas.services.textsearch import contains

SECRET_FIELDS = {"password", "enable_secret", "private_key", "community", "auth_key", "priv_key", "token"}


def scrub(values: dict | None) -> dict | None:
    """A copy fit for the log: secret fields reduced to whether they were set."""
    if values is None:
        return None
    out = {}
    for key, value in values.items():
        if key in SECRET_FIELDS:
            out[key] = "********" if value else None
        elif isinstance(value, (str, int, float, bool)) or value is None:
            out[key] = value
        elif isinstance(value, (list, tuple)):
            out[key] = [v if isinstance(v, (str, int, float, bool)) else str(v) for v in value]
        else:
            out[key] = str(value)
    return out


def record(action: str, *, obj: Any = None, actor=None, actor_name: str | None = None,
           organization_id: int | None = None, before: dict | None = None, after: dict | None = None,
           ip: str | None = None, detail: dict | None = None) -> AuditEvent:
    """Append one event (flushed with the caller's transaction, so it commits or rolls back with the change)."""
    if obj is not None and organization_id is None:
        organization_id = getattr(obj, "organization_id", None)
    event = AuditEvent(
        action=action,
        actor_id=getattr(actor, "id", None),
        actor_name=actor_name or getattr(actor, "username", None),
        organization_id=organization_id,
        object_type=type(obj).__name__ if obj is not None else None,
        object_id=getattr(obj, "id", None),
        object_repr=(getattr(obj, "name", None) or getattr(obj, "username", None) or None) if obj is not None else None,
        before=scrub(before),
        after=scrub(after),
        ip=ip,
        detail=scrub(detail),
    )
    db.session.add(event)
    return event


AUDIT_FILTERS = {"action", "actor", "organization_id", "object_type", "object_id", "since", "until", "q"}


def list_audit(scope, filters: dict | None = None, page: int = 1, page_size: int = 50):
    """A page of audit events, newest first, for admins: a global admin reads everything, an
    organization admin the events of the organizations they administer. Read-only.

    Filters: action (exact, or a prefix ending in "."), actor (username), organization_id,
    object_type, object_id, since/until (datetimes), q (in the object's name).
    Raises PermissionDenied for non-admins, ValidationError for an unknown filter.
    """
    from sqlalchemy import select

    from zas.errors import PermissionDenied, ValidationError
    from zas.services.inventory import paginate

    filters = {k: v for k, v in (filters or {}).items() if v not in (None, "")}
    unknown = set(filters) - AUDIT_FILTERS
    if unknown:
        raise ValidationError(f"unknown filter(s): {', '.join(sorted(unknown))}", field=sorted(unknown)[0])
    query = select(AuditEvent)
    if not scope.global_admin:
        admin_orgs = {o for o, r in scope.roles.items() if r == "admin"}
        if not admin_orgs:
            raise PermissionDenied("the audit log needs the admin role")
        query = query.where(AuditEvent.organization_id.in_(admin_orgs))
    action = filters.get("action")
    if action:
        query = query.where(AuditEvent.action.startswith(action) if action.endswith(".")
                            else AuditEvent.action == action)
    if filters.get("actor"):
        query = query.where(AuditEvent.actor_name == filters["actor"])
    for key in ("organization_id", "object_type", "object_id"):
        if key in filters:
            query = query.where(getattr(AuditEvent, key) == filters[key])
    if "since" in filters:
        query = query.where(AuditEvent.at >= _naive_utc(filters["since"]))
    if "until" in filters:
        query = query.where(AuditEvent.at < _naive_utc(filters["until"]))
    if filters.get("q"):
        query = query.where(contains(AuditEvent.object_repr, filters["q"].strip()))
    return paginate(query.order_by(AuditEvent.id.desc()), page, page_size)


def _naive_utc(value):
    from datetime import timezone

    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    return value
