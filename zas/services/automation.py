"""Jobs as records: validate a request, create the job and its per-device rows, cancel, read.

Nothing here talks to Redis or devices: the boundary commits, then `zas.jobs.dispatch`
enqueues (side effects after the commit).
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import func, insert, select, update

from zas.errors import NotFound, ValidationError
from zas.extensions import db
from zas.models import AutomationJob, Device, JobLog, JobResult
from zas.models.jobs import FINISHED
from zas.models.types import utcnow

SSH_KINDS = ("backup", "command", "config", "discover")
KINDS = SSH_KINDS + ("poll", "upgrade")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# a `command` job reads; changes go through `config` (dry run, backups before and after)
READ_ONLY_VERBS = ("show", "display", "dir", "ping", "traceroute", "more", "verify")
MAX_LINES = 1000
MAX_LINE_LENGTH = 1024


def _clean_lines(value, field: str, *, read_only: bool = False) -> list[str]:
    if not isinstance(value, list) or not value:
        raise ValidationError(f"{field} must be a non-empty list of strings", field=field)
    if len(value) > MAX_LINES:
        raise ValidationError(f"{field} has {len(value)} lines; at most {MAX_LINES}", field=field)
    lines = []
    for i, line in enumerate(value, 1):
        if not isinstance(line, str):
            raise ValidationError(f"{field}[{i}] must be a string", field=field)
        if CONTROL.search(line):
            # a newline would reach the device as a second command
            raise ValidationError(f"{field}[{i}] contains a newline or control character", field=field)
        if len(line) > MAX_LINE_LENGTH:
            raise ValidationError(f"{field}[{i}] is longer than {MAX_LINE_LENGTH} characters", field=field)
        stripped = line.rstrip()
        if read_only:
            if not stripped.strip():
                raise ValidationError(f"{field}[{i}] is empty", field=field)
            verb = stripped.split()[0].lower()
            if verb not in READ_ONLY_VERBS:
                raise ValidationError(
                    f"{field}[{i}] starts with {verb!r}: command jobs run read-only commands "
                    f"({', '.join(READ_ONLY_VERBS)}); use a config job for changes", field=field)
        lines.append(stripped)
    if not any(line.strip() for line in lines):
        raise ValidationError(f"{field} has no non-empty line", field=field)
    return lines


def validate_params(kind: str, params: dict | None) -> dict:
    """The job's parameters, checked and normalised; raises ValidationError naming the field."""
    params = dict(params or {})
    if kind not in KINDS:
        raise ValidationError(f"kind must be one of {', '.join(KINDS)}", field="kind")
    allowed = {"backup": set(), "discover": set(), "poll": set(), "command": {"commands"},
               "config": {"lines", "dry_run", "save"}, "upgrade": {"image_id", "reload", "dry_run"}}[kind]
    unknown = set(params) - allowed
    if unknown:
        raise ValidationError(f"unknown parameter(s) for a {kind} job: {', '.join(sorted(unknown))}",
                              field=f"params.{sorted(unknown)[0]}")
    if kind == "command":
        params["commands"] = _clean_lines(params.get("commands"), "params.commands", read_only=True)
    if kind == "config":
        params["lines"] = _clean_lines(params.get("lines"), "params.lines")
        for flag, default in (("dry_run", False), ("save", True)):
            value = params.get(flag, default)
            if not isinstance(value, bool):
                raise ValidationError(f"params.{flag} must be true or false", field=f"params.{flag}")
            params[flag] = value
    return params


def resolve_targets(device_ids: Iterable | None, device_filter: dict | None, org_ids: set[int] | None) -> list[Device]:
    """The devices a request names, all visible to the caller; raises ValidationError otherwise.

    `org_ids` None means every organization (a global admin). Devices of other organizations
    are reported as unknown, like ids that do not exist: their existence is not revealed.
    """
    from zas.services import inventory

    if device_ids is not None and device_filter:
        raise ValidationError("give device_ids or filter, not both", field="device_ids")
    if device_ids is not None:
        if not isinstance(device_ids, (list, tuple)) or not device_ids:
            raise ValidationError("device_ids must be a non-empty list", field="device_ids")
        if not all(isinstance(i, int) and not isinstance(i, bool) for i in device_ids):
            raise ValidationError("device_ids must be integers", field="device_ids")
        ids = sorted(set(device_ids))
        query = select(Device).where(Device.id.in_(ids))
        if org_ids is not None:
            query = query.where(Device.organization_id.in_(org_ids))
        devices = list(db.session.scalars(query.order_by(Device.id)))
        missing = sorted(set(ids) - {d.id for d in devices})
        if missing:
            raise ValidationError(f"unknown device ids: {', '.join(map(str, missing[:20]))}", field="device_ids")
        return devices
    if device_filter:
        devices = list(db.session.scalars(inventory.device_query(device_filter, org_ids)))
        if not devices:
            raise ValidationError("the filter matches no device", field="filter")
        return devices
    raise ValidationError("give device_ids or filter", field="device_ids")


def create_job(kind: str, devices: list[Device], params: dict | None, *, user=None, actor_name: str | None = None,
               batch_size: int | None = None, schedule_id: int | None = None) -> AutomationJob:
    """Record a job and one queued result per device (flushed, not committed).

    All devices must belong to one organization. Result rows carry the name of the batch
    (RQ job) that will run them, so the reconciler can tell a dead batch from a queued one.
    """
    params = validate_params(kind, params)
    if batch_size is None:
        from flask import current_app

        batch_size = int(current_app.config["JOB_BATCH_SIZE"])
    orgs = {d.organization_id for d in devices}
    if len(orgs) != 1:
        raise ValidationError("the devices belong to more than one organization; submit one job per organization",
                              field="device_ids")
    job = AutomationJob(kind=kind, params=params, organization_id=orgs.pop(), status="queued", total=len(devices),
                        requested_by_id=getattr(user, "id", None),
                        requested_by_name=actor_name or getattr(user, "username", None), schedule_id=schedule_id)
    db.session.add(job)
    db.session.flush()
    # one executemany, not an ORM object per device: a nightly backup queues every device at once
    db.session.execute(insert(JobResult), [
        {"job_id": job.id, "device_id": device.id, "device_name": device.name, "status": "queued",
         "batch_id": batch_name(job.id, n // batch_size)} for n, device in enumerate(devices)])
    db.session.add(JobLog(job_id=job.id, message=f"{kind} job for {len(devices)} device(s) queued"
                          + (f" by {job.requested_by_name}" if job.requested_by_name else "")))
    db.session.flush()
    return job


def batch_name(job_id: int, n: int) -> str:
    return f"zas-job-{job_id}-{n}"


def batches(job_id: int) -> list[tuple[str, list[int]]]:
    """(batch id, device ids) of a job's unfinished devices, in order."""
    rows = db.session.execute(
        select(JobResult.batch_id, JobResult.device_id).where(JobResult.job_id == job_id, JobResult.status == "queued")
        .order_by(JobResult.id)
    ).all()
    grouped: dict[str, list[int]] = {}
    for batch_id, device_id in rows:
        grouped.setdefault(batch_id, []).append(device_id)
    return list(grouped.items())


def get_job(job_id: int, org_ids: set[int] | None) -> AutomationJob:
    job = db.session.get(AutomationJob, job_id)
    if job is None or (org_ids is not None and job.organization_id not in org_ids):
        raise NotFound(f"job {job_id} not found")
    return job


def cancel(job: AutomationJob, actor_name: str | None = None) -> int:
    """Stop what has not started: queued devices become cancelled now; running ones finish.

    Idempotent; returns how many devices were cancelled.
    """
    if job.status in FINISHED:
        return 0
    job.cancel_requested = True
    now = utcnow()
    cancelled = db.session.execute(
        update(JobResult).where(JobResult.job_id == job.id, JobResult.status == "queued")
        .values(status="cancelled", finished_at=now, error="cancelled before it started")
    ).rowcount
    db.session.execute(update(AutomationJob).where(AutomationJob.id == job.id)
                       .values(done=AutomationJob.done + cancelled))
    db.session.add(JobLog(job_id=job.id, level="warning",
                          message=f"cancel requested{f' by {actor_name}' if actor_name else ''}: "
                                  f"{cancelled} device(s) not started"))
    db.session.flush()
    db.session.refresh(job)
    finalize_if_done(job.id)
    return cancelled


def finalize_if_done(job_id: int) -> str | None:
    """Set the job's final status once every device has an outcome. Idempotent."""
    jobs = AutomationJob.__table__  # the columns it decides on, fresh: not a full ORM load and refresh
    job = db.session.execute(select(jobs.c.status, jobs.c.done, jobs.c.total, jobs.c.cancel_requested)
                             .where(jobs.c.id == job_id)).first()
    if job is None or job.status in FINISHED or job.done < job.total:
        return None
    counts = dict(db.session.execute(
        select(JobResult.status, func.count()).where(JobResult.job_id == job_id).group_by(JobResult.status)
    ).all())
    ok, bad, cancelled = counts.get("succeeded", 0), counts.get("failed", 0), counts.get("cancelled", 0)
    if job.cancel_requested or (cancelled and not ok and not bad):
        status = "cancelled"
    elif bad == 0:
        status = "succeeded"
    elif ok == 0:
        status = "failed"
    else:
        status = "partial"
    changed = db.session.execute(
        update(AutomationJob).where(AutomationJob.id == job_id, AutomationJob.status.in_(("queued", "running")))
        .values(status=status, finished_at=utcnow(), failed=bad)
    ).rowcount
    if changed:
        db.session.add(JobLog(job_id=job_id, message=f"finished: {status} ({ok} succeeded, {bad} failed, "
                                                     f"{cancelled} cancelled)"))
    db.session.flush()
    return status


def fail_unfinished(job_id: int, error_class: str, message: str, batch_ids: list[str] | None = None,
                    statuses: tuple[str, ...] = ("queued", "running")) -> int:
    """Mark the job's devices that never finished as failed (the worker that had them is gone)."""
    query = update(JobResult).where(JobResult.job_id == job_id, JobResult.status.in_(statuses))
    if batch_ids is not None:
        query = query.where(JobResult.batch_id.in_(batch_ids))
    count = db.session.execute(query.values(status="failed", error_class=error_class, error=message,
                                            finished_at=utcnow())).rowcount
    if count:
        db.session.execute(update(AutomationJob).where(AutomationJob.id == job_id)
                           .values(done=AutomationJob.done + count, failed=AutomationJob.failed + count))
        db.session.add(JobLog(job_id=job_id, level="error", message=f"{count} device(s) failed: {message}"))
    db.session.flush()
    finalize_if_done(job_id)
    return count
