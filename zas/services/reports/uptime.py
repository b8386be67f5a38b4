"""Uptime report: current uptime, reboots in the period and availability from poll history."""
from __future__ import annotations

from sqlalchemy import case, func, select

from zas.extensions import db
from zas.models import Device, DeviceEvent, DeviceTelemetry
from zas.services.reports.base import (Chart, Column, Filters, Report, chunked, coverage_note, device_columns,
                                       device_ids_query, pct, resolution_for, scope_label, scoped,
                                       with_device_joins)

TITLE = "Uptime and availability"
COLUMNS = [
    Column("name", "Device", width=24), Column("organization", "Organization", width=18),
    Column("site", "Site", width=16), Column("platform", "Platform"), Column("status", "Status", width=10),
    Column("uptime_days", "Uptime (days)", "float", 12), Column("uptime_at", "Uptime as of", "datetime", 18),
    Column("reboots", "Reboots", "int", 9), Column("polls", "Polls", "int", 9),
    Column("availability", "Availability %", "percent", 13),
]
BANDS = (("100%", 100.0), ("≥ 99.9%", 99.9), ("≥ 99%", 99.0), ("≥ 95%", 95.0), ("< 95%", -1.0))


def build(filters: Filters) -> Report:
    """Per-device uptime rows (streamed) and fleet availability. Read-only."""
    since, until = filters.since, filters.until
    resolution = resolution_for(since)
    in_period = (DeviceTelemetry.resolution == resolution, DeviceTelemetry.ts >= since, DeviceTelemetry.ts < until,
                 DeviceTelemetry.reachable.is_not(None))
    ids = device_ids_query(filters)
    up, polls, first = db.session.execute(select(
        func.sum(case((DeviceTelemetry.reachable.is_(True), DeviceTelemetry.samples), else_=0)),
        func.sum(DeviceTelemetry.samples), func.min(DeviceTelemetry.ts),
    ).where(*in_period, DeviceTelemetry.device_id.in_(ids))).one()
    reboots = db.session.scalar(select(func.count()).where(
        DeviceEvent.kind == "reboot", DeviceEvent.at >= since, DeviceEvent.at < until, DeviceEvent.device_id.in_(ids)))
    total = db.session.scalar(scoped(select(func.count()).select_from(Device), filters))
    per_device = select(DeviceTelemetry.device_id.label("d"), (func.sum(case(
        (DeviceTelemetry.reachable.is_(True), DeviceTelemetry.samples), else_=0)) * 100.0
        / func.sum(DeviceTelemetry.samples)).label("a")).where(*in_period, DeviceTelemetry.device_id.in_(ids)) \
        .group_by(DeviceTelemetry.device_id).subquery()
    bands = dict.fromkeys((b for b, _ in BANDS), 0)
    for (value,) in db.session.execute(select(per_device.c.a)):
        bands[next(b for b, floor in BANDS if float(value) >= floor - 1e-9)] += 1
    summary = [("Devices", total), ("Fleet availability %", pct(up or 0, polls or 0)), ("Polls", int(polls or 0)),
               ("Reboots", reboots), ("Telemetry resolution", resolution)]
    notes = [n for n in [coverage_note("poll", since, until, first, resolution)] if n]
    chart = Chart("Devices by availability", list(bands.items())) if polls else None
    return Report("uptime", TITLE, COLUMNS, _rows(filters, resolution), summary, filters, scope_label(filters),
                  period=(since, until), notes=notes, chart=chart)


def _rows(filters: Filters, resolution: str):
    since, until = filters.since, filters.until
    query = scoped(with_device_joins(select(*device_columns(), Device.status, Device.uptime_seconds,
                                            Device.facts_at)), filters)
    for chunk in chunked(query):
        ids = [r.id for r in chunk]
        stats = {d: (up, n) for d, up, n in db.session.execute(select(
            DeviceTelemetry.device_id,
            func.sum(case((DeviceTelemetry.reachable.is_(True), DeviceTelemetry.samples), else_=0)),
            func.sum(DeviceTelemetry.samples),
        ).where(DeviceTelemetry.resolution == resolution, DeviceTelemetry.ts >= since, DeviceTelemetry.ts < until,
                DeviceTelemetry.reachable.is_not(None), DeviceTelemetry.device_id.in_(ids))
            .group_by(DeviceTelemetry.device_id))}
        reboots = dict(db.session.execute(select(DeviceEvent.device_id, func.count()).where(
            DeviceEvent.kind == "reboot", DeviceEvent.at >= since, DeviceEvent.at < until,
            DeviceEvent.device_id.in_(ids)).group_by(DeviceEvent.device_id)).all())
        latest = _latest_uptime(ids)
        for r in chunk:
            up, n = stats.get(r.id, (0, 0))
            seconds, at = latest.get(r.id, (r.uptime_seconds, r.facts_at))
            yield (r.name, r.org_name, r.site_name, r.platform, r.status,
                   round(seconds / 86400, 2) if seconds is not None else None, at if seconds is not None else None,
                   reboots.get(r.id, 0), int(n or 0), pct(up or 0, n or 0))


def _latest_uptime(ids: list[int]) -> dict[int, tuple[int, object]]:
    """The newest polled uptime per device (raw samples), by the highest row id: rows are appended in time."""
    newest = select(func.max(DeviceTelemetry.id)).where(
        DeviceTelemetry.device_id.in_(ids), DeviceTelemetry.resolution == "raw",
        DeviceTelemetry.uptime_seconds.is_not(None)).group_by(DeviceTelemetry.device_id)
    return {d: (s, ts) for d, s, ts in db.session.execute(select(
        DeviceTelemetry.device_id, DeviceTelemetry.uptime_seconds, DeviceTelemetry.ts).where(
        DeviceTelemetry.id.in_(newest)))}
