"""Waiting for jobs in tests (bounded; a hung job fails the test instead of hanging it)."""
from __future__ import annotations

import time

from zas.extensions import db
from zas.models import AutomationJob


def wait_for_job(job_id: int, timeout: float = 90) -> AutomationJob:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        db.session.remove()
        job = db.session.get(AutomationJob, job_id)
        if job.finished:
            return job
        db.session.remove()  # hold no connection while waiting: SQLite's pool has one
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} did not finish within {timeout}s (status {job.status}, {job.done}/{job.total})")
