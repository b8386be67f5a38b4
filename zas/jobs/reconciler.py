"""Finds jobs whose worker died and fails their unfinished devices, so nothing stays "running".

RQ mode: a lane (RQ job) is alive while its heartbeat key exists in Redis or RQ still has it
queued; a running device fails with WorkerLost when the lane that claimed it is not, a queued
one only when no lane of its job is (any of them may still take it from the shared list).
Embedded mode: a job not owned by this process's pool whose heartbeat is stale belonged to a
process that is gone.
Runs every 30 s from the RQ cron scheduler (`zas worker`) or the embedded scheduler thread.
"""
from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from zas.extensions import db
from zas.models import AutomationJob, JobResult
from zas.models.types import utcnow
from zas.services import automation

log = logging.getLogger(__name__)

ALIVE_RQ_STATES = {"queued", "deferred", "scheduled"}


def reconcile() -> int:
    """Fail the devices of dead batches; returns how many were failed. Idempotent."""
    from zas.jobs.dispatch import local_job_ids, redis_client

    stale = float(current_app.config["JOB_STALE_AFTER"])
    cutoff = utcnow() - timedelta(seconds=stale)
    client = redis_client()
    failed = 0
    candidates = db.session.scalars(
        select(AutomationJob.id).where(AutomationJob.status.in_(("queued", "running")))
    ).all()
    for job_id in candidates:
        if client is None:
            if job_id in local_job_ids(current_app._get_current_object()):
                continue
            last = db.session.scalar(select(func.coalesce(AutomationJob.heartbeat_at, AutomationJob.created_at))
                                     .where(AutomationJob.id == job_id))
            if last is not None and last < cutoff:
                failed += automation.fail_unfinished(
                    job_id, "WorkerLost", f"ZAS stopped while this job ran (no heartbeat for {stale:g}s)")
        else:
            failed += _reconcile_rq(client, job_id, stale, cutoff)
        db.session.commit()
    return failed


def _reconcile_rq(client, job_id: int, stale: float, cutoff) -> int:
    """A running device is judged by the lane (RQ job) that claimed it; a queued one may still be
    taken by any lane of its job (they share one list), so it fails only when no lane is alive."""
    rows = db.session.execute(
        select(JobResult.batch_id, JobResult.status).where(JobResult.job_id == job_id,
                                                           JobResult.status.in_(("queued", "running")),
                                                           JobResult.batch_id.is_not(None)).distinct()
    ).all()
    lanes = {batch_id for batch_id, _ in rows}
    alive = {batch_id for batch_id in lanes if _lane_alive(client, batch_id, cutoff)}
    dead_running = sorted({b for b, status in rows if status == "running" and b not in alive})
    dead_queued = sorted({b for b, status in rows if status == "queued"}) if not alive else []
    if not dead_running and not dead_queued:
        # a job with no unfinished lane left but not finalized (a crash between two commits)
        automation.finalize_if_done(job_id)
        return 0
    message = f"the worker running these devices stopped (no heartbeat for {stale:g}s)"
    failed = 0
    if dead_running:
        log.warning("job %s: lanes %s lost their worker", job_id, ", ".join(dead_running))
        failed += automation.fail_unfinished(job_id, "WorkerLost", message, dead_running, statuses=("running",))
    if dead_queued:
        log.warning("job %s: no lane left to run its queued devices", job_id)
        failed += automation.fail_unfinished(job_id, "WorkerLost", message, dead_queued, statuses=("queued",))
    return failed


def _lane_alive(client, batch_id: str, cutoff) -> bool:
    """Its heartbeat is fresh, RQ still holds it queued, or it started moments ago."""
    from rq.exceptions import NoSuchJobError
    from rq.job import Job

    from zas.jobs.runner import heartbeat_key

    if client.exists(heartbeat_key(batch_id)):
        return True
    try:
        rq_job = Job.fetch(batch_id, connection=client)
        state = rq_job.get_status(refresh=True)
        state = getattr(state, "value", state)
        started = rq_job.started_at.replace(tzinfo=None) if rq_job.started_at else None
    except NoSuchJobError:
        return False
    if state in ALIVE_RQ_STATES:
        return True
    return state == "started" and started is not None and started > cutoff  # its first beat is on the way


def run() -> int:
    """RQ entry point."""
    return reconcile()
