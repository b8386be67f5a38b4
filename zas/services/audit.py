"""The audit log writer. The boundary (view, API, CLI, job) says who acted; this records it."""
from __future__ import annotations

from typing import Any

from zas.extensions import db
from zas.models import AuditEvent

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
