"""Recurring jobs: schedules are rows (editable per organization); a tick every minute starts
the due ones. The tick is driven by RQ's cron scheduler in `zas worker`, or by the embedded
scheduler thread; claiming a schedule is one conditional UPDATE, so two ticks never double-run it.
"""
from __future__ import annotations

import logging
from datetime import datetime

from flask import current_app
from sqlalchemy import select, update

from zas.errors import ZasError
from zas.extensions import db
from zas.models import Organization, Schedule
from zas.models.types import utcnow
from zas.services import automation
from zas.services.schedules import next_run

log = logging.getLogger(__name__)

DEFAULT_BACKUP = "Nightly backup"


def ensure_defaults() -> int:
    """Give every organization a nightly backup of all its devices (once; admins may edit or disable it)."""
    cron = current_app.config["BACKUP_CRON"]
    have = set(db.session.scalars(select(Schedule.organization_id).where(Schedule.name == DEFAULT_BACKUP)))
    created = 0
    for org_id in db.session.scalars(select(Organization.id)):
        if org_id not in have:
            db.session.add(Schedule(organization_id=org_id, name=DEFAULT_BACKUP, kind="backup", cron=cron,
                                    params={}, target_filter={}, next_run_at=next_run(cron, utcnow())))
            created += 1
    db.session.flush()
    from zas.jobs.poll import ensure_default_schedules as ensure_poll_schedules

    return created + ensure_poll_schedules()


def tick(now: datetime | None = None) -> list[int]:
    """Start every due schedule's job; returns the new job ids. Safe to run from many workers at once."""
    from zas.jobs import dispatch

    now = now or utcnow()
    ensure_defaults()
    db.session.commit()
    started = []
    due = db.session.scalars(select(Schedule).where(Schedule.enabled.is_(True), Schedule.next_run_at <= now)).all()
    for schedule in due:
        following = next_run(schedule.cron, now)
        claimed = db.session.execute(
            update(Schedule).where(Schedule.id == schedule.id, Schedule.next_run_at == schedule.next_run_at)
            .values(next_run_at=following, last_run_at=now)
        ).rowcount
        db.session.commit()
        if not claimed:
            continue
        if schedule.kind == "report":  # renders a file, not a device job: the "reports" queue
            from zas.jobs import report

            report.enqueue(schedule.id)
            continue
        try:
            filters = dict(schedule.target_filter or {})
            filters["organization_id"] = schedule.organization_id
            devices = automation.resolve_targets(None, filters, {schedule.organization_id})
            job = automation.create_job(schedule.kind, devices, schedule.params, actor_name=f"schedule:{schedule.name}",
                                        batch_size=int(current_app.config["JOB_BATCH_SIZE"]), schedule_id=schedule.id)
            schedule.last_job_id = job.id
            db.session.commit()
            dispatch.enqueue_job(job.id)
            started.append(job.id)
        except ZasError as exc:
            db.session.rollback()
            log.info("schedule %s (%s) skipped: %s", schedule.id, schedule.name, exc)
    return started


def run() -> list[int]:
    """RQ entry point."""
    return tick()
