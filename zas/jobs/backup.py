"""Backup: fetch the running configuration and store a version if it changed. Read-only on the device.

The device I/O runs per device; the writes run per group of finished devices (`record`), so a
large backup spends its time on SSH rather than on the database.
"""
from __future__ import annotations

from zas.errors import DeviceError
from zas.services import dbmanager


def run_device(step) -> None:
    """Fetch the running configuration; `record` stores it."""
    with step.session() as session:
        text = session.running_config()
    if not text or not text.strip():
        raise DeviceError("the device returned an empty configuration")
    step.config = text


def record(steps) -> None:
    """Store the group's configurations (a new version only where one changed) and failures."""
    done = [s for s in steps if s.status == "succeeded" and getattr(s, "config", None) is not None]
    ctx = steps[0].ctx
    stored = dbmanager.store_backups([(s.device_id, s.config) for s in done], source="backup",
                                     job_id=ctx.job_id, actor_name=ctx.requested_by)
    for step in done:
        if step.device_id in stored:
            version_id, created, size = stored[step.device_id]
            step.changed = created
            step.output = f"stored version {version_id} ({size} bytes)" if created else \
                f"unchanged since version {version_id}"
    dbmanager.record_backup_failures([(s.device_id, s.error or "backup failed") for s in steps
                                      if s.status == "failed"])
