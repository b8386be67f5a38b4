"""Config: push configuration lines to a group, or with `dry_run` predict each device's diff.

A real run backs up before and after, stops a device at the first rejected line and reports
it, and stores the resulting configuration as a new version. A dry run never opens a session.
"""
from __future__ import annotations

from zas.errors import CommandRejected, DeviceError
from zas.services import configmerge, configtext, dbmanager


def run_device(step) -> None:
    lines = step.params["lines"]
    if step.params.get("dry_run"):
        return _dry_run(step, lines)
    with step.session() as session:
        before = session.running_config()
        with step.db() as device:
            dbmanager.save_config_version(device, before, source="before-change", job_id=step.job_id,
                                          actor_name=step.ctx.requested_by)
        try:
            output = session.configure(lines)
        except CommandRejected as exc:
            step.output = configtext.mask_secrets(exc.output or "")
            raise
        if step.params.get("save", True):
            output += session.save()
        after = session.running_config()
    with step.db() as device:
        version, created = dbmanager.save_config_version(device, after, source="after-change", job_id=step.job_id,
                                                         actor_name=step.ctx.requested_by)
        step.changed = created
        step.diff = configtext.mask_secrets(configtext.unified_diff(before, after, device.platform,
                                                                    "before", "after"))
    step.output = configtext.mask_secrets(output)


def _dry_run(step, lines: list[str]) -> None:
    with step.db() as device:
        last = dbmanager.latest_version(device.id)
        if last is None:
            raise DeviceError("no backup to compare against: back the device up first, then dry-run")
        current = configmerge.comparable(last.text, device.platform)
        predicted = configmerge.predict(last.text, lines, device.platform)
        step.diff = configtext.mask_secrets(configtext.unified_diff(
            current, predicted, device.platform, f"version {last.id}", "after these lines (predicted)"))
        step.changed = bool(step.diff)
        step.output = "dry run, nothing sent to the device. Lines:\n" + "\n".join(lines)
