"""Telemetry retention: roll raw samples up to hourly and daily, drop what is past its retention.

`run()` is what the scheduler calls: `zas worker`'s cron (every hour) and the embedded scheduler
thread alike. Safe to run concurrently with polls and idempotent (a bucket is rolled up once).
"""
from __future__ import annotations

import logging

from flask import current_app

from zas.extensions import db
from zas.services import telemetry

log = logging.getLogger(__name__)


def run() -> dict:
    """Apply ZAS_RETENTION_* to the telemetry tables; commits. Returns what was rolled up and pruned."""
    try:
        result = telemetry.apply_retention(current_app.config)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    finally:
        db.session.remove()
    log.info("telemetry retention: %s", result)
    return result
