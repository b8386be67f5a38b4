"""Interface utilization report: per interface the average and 95th-percentile in/out rate and
utilization over the period, errors, for the top N interfaces by 95th-percentile utilization.

The 95th percentile needs every sample; reading all of them for every interface would not
scale, so the interfaces are ranked by an upper bound (their peak sample: p95 <= max) computed in
SQL, and exact percentiles are computed in rank order only until no remaining bound can beat the
N-th best: the result is exact, and usually touches a few times N interfaces.
"""
from __future__ import annotations

import math
from collections import defaultdict

from sqlalchemy import func, select

from zas.extensions import db
from zas.models import Device, Interface, InterfaceTelemetry, Organization
from zas.services.reports.base import (Chart, Column, Filters, Report, coverage_note, device_ids_query,
                                       resolution_for, scope_label)

TITLE = "Interface utilization"
BATCH = 500
COLUMNS = [
    Column("device", "Device", width=22), Column("organization", "Organization", width=16),
    Column("interface", "Interface", width=18), Column("speed_mbps", "Speed (Mb/s)", "float", 11),
    Column("in_avg_mbps", "In avg (Mb/s)", "float", 11), Column("in_p95_mbps", "In p95 (Mb/s)", "float", 11),
    Column("out_avg_mbps", "Out avg (Mb/s)", "float", 11), Column("out_p95_mbps", "Out p95 (Mb/s)", "float", 11),
    Column("in_p95_util", "In p95 %", "percent", 9), Column("out_p95_util", "Out p95 %", "percent", 9),
    Column("errors", "Errors", "int", 10), Column("samples", "Samples", "int", 9),
]


def percentile(values: list[float], q: float = 95.0) -> float | None:
    """Nearest-rank percentile (the convention of 95th-percentile billing)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100.0 * len(ordered)) - 1)]


def build(filters: Filters) -> Report:
    """The top `filters.top` interfaces by 95th-percentile utilization in the period. Read-only."""
    since, until = filters.since, filters.until
    resolution = resolution_for(since)
    window = (InterfaceTelemetry.resolution == resolution, InterfaceTelemetry.ts >= since,
              InterfaceTelemetry.ts < until)
    scoped_ifaces = select(Interface.id).where(Interface.device_id.in_(device_ids_query(filters)))
    agg = db.session.execute(select(
        InterfaceTelemetry.interface_id, func.max(InterfaceTelemetry.in_bps), func.max(InterfaceTelemetry.out_bps),
        func.avg(InterfaceTelemetry.in_bps), func.avg(InterfaceTelemetry.out_bps),
        func.sum(func.coalesce(InterfaceTelemetry.in_errors, 0) + func.coalesce(InterfaceTelemetry.out_errors, 0)),
        func.count(), func.min(InterfaceTelemetry.ts),
    ).where(*window, InterfaceTelemetry.interface_id.in_(scoped_ifaces))
        .group_by(InterfaceTelemetry.interface_id)).all()
    speeds = _speeds([a[0] for a in agg]) if agg else {}
    first = min((a[7] for a in agg), default=None)
    ranked = sorted(agg, key=lambda a: _bound(a, speeds.get(a[0])), reverse=True)
    top = _exact_top(ranked, speeds, filters.top, window)
    info = _interface_info([t["id"] for t in top])
    rows = []
    for t in top:
        device, org, name = info[t["id"]]
        speed = speeds.get(t["id"])
        rows.append((device, org, name, _mbps(speed), _mbps(t["in_avg"]), _mbps(t["in_p95"]), _mbps(t["out_avg"]),
                     _mbps(t["out_p95"]), _util(t["in_p95"], speed), _util(t["out_p95"], speed), int(t["errors"]),
                     t["samples"]))
    no_speed = sum(1 for a in agg if not speeds.get(a[0]))
    summary = [("Interfaces with samples", len(agg)), ("Shown (top N)", len(rows)),
               ("Without a known speed", no_speed), ("Samples", sum(a[6] for a in agg)),
               ("Errors", int(sum(a[5] or 0 for a in agg))), ("Telemetry resolution", resolution)]
    notes = [n for n in [coverage_note("interface", since, until, first, resolution)] if n]
    if no_speed:
        notes.append("Interfaces without a known speed rank after the others, by their rate.")
    bars = [(f"{r[0]} {r[2]}", max(r[8] or 0, r[9] or 0)) for r in rows[:15] if r[8] is not None or r[9] is not None]
    chart = Chart("p95 utilization, busiest interfaces", bars, "%", 100.0) if bars else None
    return Report("interface-utilization", TITLE, COLUMNS, rows, summary, filters, scope_label(filters),
                  period=(since, until), notes=notes, chart=chart,
                  empty_message="No interface traffic samples for these filters in this period.")


def _bound(a, speed) -> tuple:
    peak = max(a[1] or 0.0, a[2] or 0.0)
    return (1, peak / speed) if speed else (0, peak)


def _exact_top(ranked, speeds: dict, n: int, window) -> list[dict]:
    best: list[tuple[tuple, dict]] = []
    for start in range(0, len(ranked), BATCH):
        batch = ranked[start:start + BATCH]
        if len(best) >= n and _bound(batch[0], speeds.get(batch[0][0])) < best[n - 1][0]:
            break
        samples = defaultdict(lambda: ([], []))
        for iface, inb, outb in db.session.execute(select(
                InterfaceTelemetry.interface_id, InterfaceTelemetry.in_bps, InterfaceTelemetry.out_bps).where(
                *window, InterfaceTelemetry.interface_id.in_([a[0] for a in batch]))):
            if inb is not None:
                samples[iface][0].append(inb)
            if outb is not None:
                samples[iface][1].append(outb)
        for a in batch:
            ins, outs = samples[a[0]]
            item = {"id": a[0], "in_avg": a[3], "out_avg": a[4], "in_p95": percentile(ins),
                    "out_p95": percentile(outs), "errors": a[5] or 0, "samples": a[6]}
            speed = speeds.get(a[0])
            peak = max(item["in_p95"] or 0.0, item["out_p95"] or 0.0)
            best.append(((1, peak / speed) if speed else (0, peak), item))
        best.sort(key=lambda b: b[0], reverse=True)
        del best[n:]
    return [item for _, item in best]


def _speeds(ids: list[int]) -> dict[int, int]:
    out = {}
    for start in range(0, len(ids), 5000):
        out.update(db.session.execute(select(Interface.id, Interface.speed).where(
            Interface.id.in_(ids[start:start + 5000]), Interface.speed > 0)).all())
    return out


def _interface_info(ids: list[int]) -> dict[int, tuple]:
    if not ids:
        return {}
    return {i: (d, o, n) for i, d, o, n in db.session.execute(select(
        Interface.id, Device.name, Organization.name, Interface.name).join(Device, Device.id == Interface.device_id)
        .join(Organization, Organization.id == Device.organization_id).where(Interface.id.in_(ids)))}


def _mbps(bps) -> float | None:
    return round(float(bps) / 1e6, 3) if bps is not None else None


def _util(bps, speed) -> float | None:
    return round(100.0 * float(bps) / speed, 2) if bps is not None and speed else None
