"""Scheduled report rendering: `run(schedule_id)` renders a report schedule into a StoredReport.

Queued on the "reports" RQ queue when Redis is configured (so a slow PDF never holds an SSH
worker), otherwise run on a small thread pool inside the web process.
"""
from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

from flask import current_app

from zas.extensions import db
from zas.services.reports import stored

log = logging.getLogger(__name__)
QUEUE = "reports"


def run(schedule_id: int) -> int | None:
    """Render the schedule's report and store the file; returns the StoredReport id (None: schedule gone).

    Writes one StoredReport per call (not idempotent); a failure is logged and leaves nothing stored.
    """
    try:
        report = stored.render_schedule(schedule_id)
        db.session.commit()
        return report.id if report is not None else None
    except Exception:  # the job boundary: log it, store nothing half-written
        db.session.rollback()
        log.exception("report schedule %s failed", schedule_id)
        raise


def enqueue(schedule_id: int) -> None:
    """Hand a due report schedule to the "reports" queue, or to the in-process pool without Redis."""
    from zas.jobs import dispatch

    client = dispatch.redis_client()
    if client is None:
        _executor().submit(_run_in_app, current_app._get_current_object(), schedule_id)
        return
    from redis.exceptions import RedisError
    from rq import Queue

    try:
        Queue(QUEUE, connection=client).enqueue("zas.jobs.report.run", schedule_id, job_timeout=1800,
                                                result_ttl=3600, failure_ttl=86400)
    except RedisError:
        # the schedule's next run is already set: this one is skipped, the tick carries on with the rest
        log.warning("report schedule %s not queued: Redis is not reachable", schedule_id)


def _executor() -> ThreadPoolExecutor:
    ext = current_app.extensions
    if "zas_report_executor" not in ext:
        # one at a time: PDF layout is CPU-heavy and the web process serves pages too
        ext["zas_report_executor"] = ThreadPoolExecutor(max_workers=1, thread_name_prefix="zas-report")
    return ext["zas_report_executor"]


def _run_in_app(app, schedule_id: int) -> None:
    with app.app_context():
        try:
            run(schedule_id)
        except Exception:  # already logged; never kill the pool thread
            pass
        finally:
            db.session.remove()
