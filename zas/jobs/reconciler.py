"""Finds jobs whose worker died and fails their unfinished devices, so nothing stays "running".

RQ mode: a batch is alive while its heartbeat key exists in Redis or RQ still has it queued;
otherwise its unfinished devices fail with WorkerLost. Embedded mode: a job not owned by this
process's pool whose heartbeat is stale belonged to a process that is gone.
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
    from rq.exceptions import NoSuchJobError
    from rq.job import Job

    from zas.jobs.runner import heartbeat_key

    batch_ids = db.session.scalars(
        select(JobResult.batch_id).where(JobResult.job_id == job_id, JobResult.status.in_(("queued", "running")),
                                         JobResult.batch_id.is_not(None)).distinct()
    ).all()
    dead = []
    for batch_id in batch_ids:
        if client.exists(heartbeat_key(batch_id)):
            continue
        try:
            rq_job = Job.fetch(batch_id, connection=client)
            state = rq_job.get_status(refresh=True)
            state = getattr(state, "value", state)
            started = rq_job.started_at.replace(tzinfo=None) if rq_job.started_at else None
        except NoSuchJobError:
            state, started = None, None
        if state in ALIVE_RQ_STATES:
            continue
        if state == "started" and started is not None and started > cutoff:
            continue  # started moments ago; its first heartbeat is on the way
        dead.append(batch_id)
    if not dead:
        # a job with no unfinished batch left but not finalized (a crash between two commits)
        automation.finalize_if_done(job_id)
        return 0
    log.warning("job %s: batches %s lost their worker", job_id, ", ".join(dead))
    return automation.fail_unfinished(
        job_id, "WorkerLost", f"the worker running these devices stopped (no heartbeat for {stale:g}s)", dead)


def run() -> int:
    """RQ entry point."""
    return reconcile()
