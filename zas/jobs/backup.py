"""Backup: fetch the running configuration and store a version if it changed. Read-only on the device."""
from __future__ import annotations

from zas.services import dbmanager


def run_device(step) -> None:
    """Fetch the running configuration; store it as a new version only when it changed."""
    with step.session() as session:
        text = session.running_config()
    with step.db() as device:
        version, created = dbmanager.save_config_version(device, text, source="backup", job_id=step.job_id,
                                                         actor_name=step.ctx.requested_by)
        step.changed = created
        step.output = (f"stored version {version.id} ({version.size} bytes)" if created
                       else f"unchanged since version {version.id}")


def on_failure(step, device, error: str) -> None:
    dbmanager.record_backup_failure(device, error or "backup failed")
