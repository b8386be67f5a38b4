"""Inventory report: every device with its facts, status, tags and backup state."""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select

from zas.extensions import db
from zas.models import Device, DeviceTag, Interface
from zas.services.reports.base import (Chart, Column, Filters, Report, chunked, device_columns, scope_label,
                                       scoped, with_device_joins)

TITLE = "Inventory"
COLUMNS = [
    Column("name", "Device", width=24), Column("organization", "Organization", width=18),
    Column("site", "Site", width=16), Column("host", "Host", width=16), Column("platform", "Platform"),
    Column("vendor", "Vendor", width=10), Column("model", "Model", width=16), Column("serial", "Serial", width=16),
    Column("software_version", "Version", width=16), Column("status", "Status", width=10),
    Column("interfaces", "Interfaces", "int", 10), Column("tags", "Tags", width=18),
    Column("last_backup_at", "Last backup", "datetime", 18), Column("last_backup_status", "Backup", width=10),
]


def build(filters: Filters) -> Report:
    """Inventory rows (streamed) and counts per status and platform. Read-only."""
    counts = db.session.execute(
        scoped(select(Device.platform, Device.status, func.count()), filters).group_by(Device.platform, Device.status)
    ).all()
    by_status, by_platform = defaultdict(int), defaultdict(int)
    for platform, status, n in counts:
        by_status[status or "unknown"] += n
        by_platform[platform] += n
    total = sum(by_status.values())
    summary = [("Devices", total)] + [(f"Status {k}", v) for k, v in sorted(by_status.items())] + \
              [("Platforms", len(by_platform))]
    chart = Chart("Devices per platform", sorted(by_platform.items(), key=lambda kv: -kv[1])[:12]) if total else None
    return Report("inventory", TITLE, COLUMNS, _rows(filters), summary, filters, scope_label(filters), chart=chart)


def _rows(filters: Filters):
    query = scoped(with_device_joins(select(
        *device_columns(), Device.host, Device.vendor, Device.model, Device.serial, Device.software_version,
        Device.status, Device.last_backup_at, Device.last_backup_status)), filters)
    for chunk in chunked(query):
        ids = [r.id for r in chunk]
        tags = defaultdict(list)
        for device_id, name in db.session.execute(
                select(DeviceTag.device_id, DeviceTag.name).where(DeviceTag.device_id.in_(ids))):
            tags[device_id].append(name)
        ifaces = dict(db.session.execute(select(Interface.device_id, func.count()).where(
            Interface.device_id.in_(ids)).group_by(Interface.device_id)).all())
        for r in chunk:
            yield (r.name, r.org_name, r.site_name, r.host, r.platform, r.vendor, r.model, r.serial,
                   r.software_version, r.status, ifaces.get(r.id, 0), ", ".join(sorted(tags[r.id])),
                   r.last_backup_at, r.last_backup_status)
