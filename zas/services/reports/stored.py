"""Scheduled reports and the files they leave: report schedules are `Schedule` rows with
kind="report" and params {"report", "format", "filters", "frequency"}; each run renders the report
for the schedule's organization into a StoredReport listed for download."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from zas.errors import NotFound, ValidationError
from zas.extensions import db
from zas.models import Organization, Schedule, StoredReport
from zas.models.types import utcnow
from zas.services import audit, authz
from zas.services.reports import FORMATS, REPORTS, build, check_format, check_name
from zas.services.reports.base import Filters

FREQUENCIES = {"daily": ("0 6 * * *", 1), "weekly": ("0 6 * * 1", 7), "monthly": ("0 6 1 * *", 31)}
FILE_FORMATS = tuple(f for f in FORMATS if f != "json")
FILTER_KEYS = ("site_id", "platform", "tag", "top")
KEEP_PER_SCHEDULE = 30


def schedules(scope: authz.Scope) -> list[Schedule]:
    """Report schedules in the organizations the caller administers."""
    query = authz.visible(select(Schedule).where(Schedule.kind == "report"), Schedule.organization_id, scope,
                          "admin")
    return list(db.session.scalars(query.order_by(Schedule.name, Schedule.id)))


def create_schedule(scope: authz.Scope, *, name: str, organization_id, report: str, fmt: str, frequency: str,
                    filters: dict | None = None, actor=None) -> Schedule:
    """Add a report schedule (admin of the organization); raises ValidationError naming the field,
    NotFound for an invisible organization, PermissionDenied for a short role. Flushes only."""
    from zas.services.schedules import next_run

    name = (name or "").strip()
    if not 1 <= len(name) <= 128:
        raise ValidationError("name must be 1-128 characters", field="name")
    try:
        org_id = int(organization_id)
    except (TypeError, ValueError):
        raise ValidationError("organization_id must be a whole number", field="organization_id") from None
    scope.require(org_id, "admin", what="organization")
    if db.session.get(Organization, org_id) is None:
        raise NotFound("organization not found")
    if report not in REPORTS:
        raise ValidationError(f"report must be one of {', '.join(REPORTS)}", field="report")
    if fmt not in FILE_FORMATS:
        raise ValidationError(f"format must be one of {', '.join(FILE_FORMATS)}", field="format")
    if frequency not in FREQUENCIES:
        raise ValidationError(f"frequency must be one of {', '.join(FREQUENCIES)}", field="frequency")
    kept = {k: v for k, v in (filters or {}).items() if k in FILTER_KEYS and v not in (None, "")}
    if db.session.scalar(select(Schedule.id).where(Schedule.organization_id == org_id, Schedule.name == name)):
        raise ValidationError(f"a schedule named {name!r} already exists in this organization", field="name")
    cron = FREQUENCIES[frequency][0]
    schedule = Schedule(organization_id=org_id, name=name, kind="report", cron=cron, target_filter={},
                        params={"report": report, "format": fmt, "filters": kept, "frequency": frequency},
                        enabled=True, next_run_at=next_run(cron, utcnow()))
    db.session.add(schedule)
    db.session.flush()
    audit.record("report_schedule.create", obj=schedule, actor=actor, after=schedule.params)
    return schedule


def delete_schedule(scope: authz.Scope, schedule_id: int, actor=None) -> None:
    """Remove a report schedule (its stored files stay). Raises NotFound or PermissionDenied."""
    schedule = db.session.get(Schedule, schedule_id)
    if schedule is None or schedule.kind != "report":
        raise NotFound("schedule not found")
    scope.require(schedule.organization_id, "admin", what="schedule")
    audit.record("report_schedule.delete", obj=schedule, actor=actor, before=schedule.params)
    db.session.delete(schedule)
    db.session.flush()


def render_schedule(schedule_id: int) -> StoredReport | None:
    """Render a schedule's report for its organization and store the file. Flushes only.

    The period is the schedule's frequency (the last day, week or month). Not idempotent: each
    call stores a new file (older ones beyond KEEP_PER_SCHEDULE are removed).
    """
    from zas.services import render

    schedule = db.session.get(Schedule, schedule_id)
    if schedule is None or schedule.kind != "report":
        return None
    params = schedule.params or {}
    name, fmt = check_name(params.get("report", "")), check_format(params.get("format"))
    days = FREQUENCIES.get(params.get("frequency"), ("", 7))[1]
    args = dict(params.get("filters") or {})
    now = utcnow()
    args.update(organization_id=schedule.organization_id, since=now - timedelta(days=days), until=now)
    org_scope = authz.Scope(user_id=None, username=f"schedule:{schedule.name}",
                            roles={schedule.organization_id: "viewer"})
    report = build(name, args, org_scope)
    content = render.render_bytes(report, fmt)
    stored = StoredReport(organization_id=schedule.organization_id, report=name, format=fmt,
                          filename=render.filename(report, fmt), params=report.filters.as_params(),
                          size=len(content), content=content, schedule_id=schedule.id,
                          created_by_name=f"schedule:{schedule.name}"[:64])
    db.session.add(stored)
    db.session.flush()
    old = list(db.session.scalars(select(StoredReport.id).where(StoredReport.schedule_id == schedule.id)
                                  .order_by(StoredReport.id.desc()).offset(KEEP_PER_SCHEDULE)))
    for stored_id in old:
        db.session.delete(db.session.get(StoredReport, stored_id))
    return stored


def stored_reports(scope: authz.Scope, limit: int = 100) -> list[StoredReport]:
    """Newest stored reports the caller may read (metadata only; content stays deferred)."""
    from sqlalchemy.orm import defer

    query = authz.visible(select(StoredReport).options(defer(StoredReport.content)), StoredReport.organization_id,
                          scope)
    return list(db.session.scalars(query.order_by(StoredReport.id.desc()).limit(limit)))


def get_stored(scope: authz.Scope, stored_id: int) -> StoredReport:
    """A stored report the caller may read; NotFound otherwise."""
    stored = db.session.get(StoredReport, stored_id)
    if stored is None or not scope.can(stored.organization_id, "viewer"):
        raise NotFound("stored report not found")
    return stored


__all__ = ["Filters", "FREQUENCIES", "FILE_FORMATS", "schedules", "create_schedule", "delete_schedule",
           "render_schedule", "stored_reports", "get_stored"]
