"""Configuration drift report: devices whose running configuration differs from its golden or
intended one (lines added and removed, since when), and devices never backed up or whose last
backup failed."""
from __future__ import annotations

from collections import Counter

from sqlalchemy import func, or_, select

from zas.extensions import db
from zas.models import ConfigVersion, Device
from zas.services import configtext
from zas.services.reports.base import (Chart, Column, Filters, Report, chunked, device_columns, scope_label,
                                       scoped, with_device_joins)

TITLE = "Configuration drift"
CHUNK = 200  # two configuration texts per drifted device are in memory at once
COLUMNS = [
    Column("name", "Device", width=24), Column("organization", "Organization", width=18),
    Column("site", "Site", width=16), Column("platform", "Platform"), Column("issue", "Issue", width=22),
    Column("since", "Since", "datetime", 18), Column("baseline", "Baseline", width=20),
    Column("added", "Lines added", "int", 11), Column("removed", "Lines removed", "int", 12),
    Column("last_backup_at", "Last backup", "datetime", 18), Column("last_backup_status", "Backup", width=10),
]
PROBLEM = or_(Device.drift_status == "drifted", Device.latest_config_id.is_(None),
              Device.last_backup_status == "failed")


def build(filters: Filters) -> Report:
    """Devices with a drift or backup problem (streamed), and counts per drift state. Read-only."""
    states = Counter()
    for drift, has_backup, failed, n in db.session.execute(scoped(select(
            Device.drift_status, Device.latest_config_id.is_not(None), Device.last_backup_status == "failed",
            func.count()), filters).group_by(Device.drift_status, Device.latest_config_id.is_not(None),
                                              Device.last_backup_status == "failed")):
        states["devices"] += n
        states[drift or "no_baseline"] += n if has_backup else 0
        states["never backed up"] += 0 if has_backup else n
        states["last backup failed"] += n if failed else 0
    summary = [("Devices", states["devices"]), ("In sync", states["in_sync"]), ("Drifted", states["drifted"]),
               ("No baseline", states["no_baseline"]), ("Never backed up", states["never backed up"]),
               ("Last backup failed", states["last backup failed"])]
    chart = Chart("Devices by configuration state", [(k, v) for k, v in summary[1:]]) if states["devices"] else None
    return Report("config-drift", TITLE, COLUMNS, _rows(filters), summary, filters, scope_label(filters),
                  chart=chart, empty_message="No drifted devices and no backup problems for these filters.")


def _rows(filters: Filters):
    query = scoped(with_device_joins(select(
        *device_columns(), Device.drift_status, Device.drift_since, Device.golden_config_id, Device.intended_config,
        Device.latest_config_id, Device.last_backup_at, Device.last_backup_status, Device.created_at,
    )), filters).where(PROBLEM)
    for chunk in chunked(query, CHUNK):
        drifted = [r for r in chunk if r.drift_status == "drifted" and r.latest_config_id]
        wanted = {r.latest_config_id for r in drifted} | {r.golden_config_id for r in drifted if r.golden_config_id}
        texts = dict(db.session.execute(select(ConfigVersion.id, ConfigVersion.text).where(
            ConfigVersion.id.in_(wanted))).all()) if wanted else {}
        for r in chunk:
            yield _row(r, texts)


def _row(r, texts: dict) -> tuple:
    issues, since, baseline, added, removed = [], None, None, None, None
    if r.latest_config_id is None:
        issues.append("never backed up")
        since = r.created_at
    if r.last_backup_status == "failed":
        issues.append("last backup failed")
        since = since or r.last_backup_at
    if r.drift_status == "drifted" and r.latest_config_id:
        issues.insert(0, "drifted")
        since = r.drift_since or since
        if r.golden_config_id and r.golden_config_id in texts:
            baseline, base_text = f"golden version {r.golden_config_id}", texts[r.golden_config_id]
        else:
            baseline, base_text = "intended configuration", r.intended_config
        running = texts.get(r.latest_config_id)
        if base_text is not None and running is not None:
            added, removed = configtext.diff_stats(configtext.unified_diff(base_text, running, r.platform))
    return (r.name, r.org_name, r.site_name, r.platform, ", ".join(issues), since, baseline, added, removed,
            r.last_backup_at, r.last_backup_status)
