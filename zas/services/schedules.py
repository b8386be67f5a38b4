"""Recurring jobs as records: each organization's schedules (nightly backup, SNMP poll, your own),
editable by its admins. `zas.jobs.schedules.tick` runs the due ones."""
from __future__ import annotations

from datetime import datetime

from croniter import croniter
from sqlalchemy import select

from zas.errors import Conflict, ValidationError
from zas.extensions import db
from zas.models import Organization, Schedule
from zas.models.types import utcnow
from zas.services import audit, automation
from zas.services.authz import Scope, visible
from zas.services.inventory import Page, get_scoped, paginate, validate_name

# what a schedule may run: reading jobs only (a recurring change belongs in a reviewed config job)
JOB_KINDS = ("backup", "poll", "discover", "command")
EDITABLE = ("name", "cron", "enabled", "params", "target_filter")


def next_run(cron: str, after: datetime) -> datetime:
    """The first time after `after` that `cron` fires; raises ValidationError naming `cron`."""
    if not isinstance(cron, str) or not croniter.is_valid(cron) or len(cron.split()) != 5:
        raise ValidationError(f"{cron!r} is not a valid cron expression (minute hour day month weekday)",
                              field="cron")
    return croniter(cron, after).get_next(datetime)


def list_schedules(scope: Scope, filters: dict, *, page: int = 1, page_size: int = 50) -> Page:
    """Schedules of the caller's organizations, by organization and name."""
    query = visible(select(Schedule), Schedule.organization_id, scope)
    for key in ("organization_id", "kind"):
        if filters.get(key) is not None:
            query = query.where(getattr(Schedule, key) == filters[key])
    if filters.get("enabled") is not None:
        query = query.where(Schedule.enabled.is_(bool(filters["enabled"])))
    return paginate(query.order_by(Schedule.organization_id, Schedule.name, Schedule.id), page, page_size)


def _validate(data: dict, kind: str) -> dict:
    clean = {}
    if "name" in data:
        clean["name"] = validate_name(data["name"])
    if "cron" in data:
        next_run(data["cron"], utcnow())
        clean["cron"] = data["cron"].strip()
    if "enabled" in data:
        if not isinstance(data["enabled"], bool):
            raise ValidationError("enabled must be true or false", field="enabled")
        clean["enabled"] = data["enabled"]
    if "params" in data:
        clean["params"] = automation.validate_params(kind, data["params"] or {})
    if "target_filter" in data:
        target = dict(data["target_filter"] or {})
        target.pop("organization_id", None)  # always the schedule's own organization
        from zas.services.inventory import FILTER_FIELDS

        unknown = set(target) - FILTER_FIELDS
        if unknown:
            raise ValidationError(f"unknown filter(s): {', '.join(sorted(unknown))}", field="target_filter")
        clean["target_filter"] = target
    return clean


def create_schedule(scope: Scope, data: dict, *, actor=None, ip=None) -> Schedule:
    """Add a recurring job to an organization (its admins). Raises ValidationError, Conflict, NotFound."""
    org_id = data.get("organization_id")
    org = db.session.get(Organization, org_id) if isinstance(org_id, int) else None
    if org is None or not scope.can(org.id, "viewer"):
        raise ValidationError("unknown organization", field="organization_id")
    scope.require(org.id, "admin", "organization")
    kind = data.get("kind")
    if kind not in JOB_KINDS:
        raise ValidationError(f"kind must be one of {', '.join(JOB_KINDS)}", field="kind")
    for required in ("name", "cron"):
        if not data.get(required):
            raise ValidationError(f"{required} is required", field=required)
    clean = _validate({"params": {}, "target_filter": {}, **data}, kind)
    _unique(org.id, clean["name"])
    schedule = Schedule(organization_id=org.id, kind=kind, enabled=clean.get("enabled", True), **{
        k: v for k, v in clean.items() if k != "enabled"})
    schedule.next_run_at = next_run(schedule.cron, utcnow())
    db.session.add(schedule)
    db.session.flush()
    audit.record("schedule.create", obj=schedule, actor=actor, ip=ip, after=_snapshot(schedule))
    return schedule


def update_schedule(scope: Scope, schedule: Schedule, data: dict, *, actor=None, ip=None) -> Schedule:
    """Change a schedule's name, cron, targets, parameters or switch it on/off (its organization's admins)."""
    scope.require(schedule.organization_id, "admin", "schedule")
    unknown = set(data) - set(EDITABLE)
    if unknown:
        raise ValidationError(f"these fields cannot be changed: {', '.join(sorted(unknown))}",
                              field=sorted(unknown)[0])
    before = _snapshot(schedule)
    clean = _validate(data, schedule.kind)
    if "name" in clean and clean["name"] != schedule.name:
        _unique(schedule.organization_id, clean["name"], schedule.id)
    for key, value in clean.items():
        setattr(schedule, key, value)
    if "cron" in clean or clean.get("enabled"):
        schedule.next_run_at = next_run(schedule.cron, utcnow())
    db.session.flush()
    audit.record("schedule.update", obj=schedule, actor=actor, ip=ip, before=before, after=_snapshot(schedule))
    return schedule


def delete_schedule(scope: Scope, schedule: Schedule, *, actor=None, ip=None) -> None:
    """Remove a schedule (jobs it started stay)."""
    scope.require(schedule.organization_id, "admin", "schedule")
    audit.record("schedule.delete", obj=schedule, actor=actor, ip=ip, before=_snapshot(schedule))
    db.session.delete(schedule)
    db.session.flush()


def get_schedule(scope: Scope, schedule_id: int) -> Schedule:
    return get_scoped(Schedule, schedule_id, scope, "schedule")


def _unique(org_id: int, name: str, exclude: int | None = None) -> None:
    query = select(Schedule.id).where(Schedule.organization_id == org_id, Schedule.name == name)
    if exclude is not None:
        query = query.where(Schedule.id != exclude)
    if db.session.scalar(query) is not None:
        raise Conflict(f"a schedule named {name!r} already exists in this organization")


def _snapshot(schedule: Schedule) -> dict:
    return {"name": schedule.name, "kind": schedule.kind, "cron": schedule.cron, "enabled": schedule.enabled,
            "target_filter": str(schedule.target_filter or {}), "params": str(schedule.params or {})}
