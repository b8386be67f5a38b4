"""Interface utilization report: per interface the average and 95th-percentile in/out rate and
utilization over the period, errors, for the top N interfaces by 95th-percentile utilization.

The 95th percentile needs every sample; reading all of them for every interface would not
scale, so the interfaces are ranked in SQL by an upper bound (their peak sample: p95 <= max), a
page at a time, and exact percentiles are computed in rank order only until no remaining bound
can beat the N-th best: the result is exact, and usually touches one page of interfaces. Only
that page and one row of totals leave the database (fetching every interface's aggregate
through the driver took seconds and 128 MiB at 200,000 interfaces).
"""
from __future__ import annotations

import math
from collections import defaultdict

from sqlalchemy import case, exists, func, or_, select

from zas.extensions import db
from zas.models import Device, Interface, InterfaceTelemetry, Organization
from zas.services.reports.base import (Chart, Column, Filters, Report, coverage_note, device_ids_query,
                                       resolution_for, scope_label)

TITLE = "Interface utilization"
BATCH = 500  # interfaces ranked per query, and samples read per query
T = InterfaceTelemetry
COLUMNS = [
    Column("device", "Device", width=22), Column("organization", "Organization", width=16),
    Column("interface", "Interface", width=18), Column("speed_mbps", "Speed (Mb/s)", "float", 11),
    Column("in_avg_mbps", "In avg (Mb/s)", "float", 11), Column("in_p95_mbps", "In p95 (Mb/s)", "float", 11),
    Column("out_avg_mbps", "Out avg (Mb/s)", "float", 11), Column("out_p95_mbps", "Out p95 (Mb/s)", "float", 11),
    Column("in_p95_util", "In p95 %", "percent", 9), Column("out_p95_util", "Out p95 %", "percent", 9),
    Column("errors", "Errors", "int", 10), Column("samples", "Samples", "int", 9),
]
ERRORS = func.coalesce(T.in_errors, 0) + func.coalesce(T.out_errors, 0)


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
    where = [T.resolution == resolution, T.ts >= since, T.ts < until, *_scope(filters)]
    interfaces, samples, errors, first = db.session.execute(select(
        func.count(func.distinct(T.interface_id)), func.count(), func.sum(ERRORS), func.min(T.ts)).where(*where)).one()
    no_speed = db.session.scalar(select(func.count()).select_from(Interface).where(
        or_(Interface.speed.is_(None), Interface.speed <= 0), exists().where(T.interface_id == Interface.id, *where)))
    top = _exact_top(where, filters.top) if interfaces else []
    info = _interface_info([t["id"] for t in top])
    rows = []
    for t in top:
        device, org, name = info[t["id"]]
        speed = t["speed"]
        rows.append((device, org, name, _mbps(speed), _mbps(t["in_avg"]), _mbps(t["in_p95"]), _mbps(t["out_avg"]),
                     _mbps(t["out_p95"]), _util(t["in_p95"], speed), _util(t["out_p95"], speed), int(t["errors"]),
                     t["samples"]))
    summary = [("Interfaces with samples", interfaces), ("Shown (top N)", len(rows)),
               ("Without a known speed", no_speed), ("Samples", samples), ("Errors", int(errors or 0)),
               ("Telemetry resolution", resolution)]
    notes = [n for n in [coverage_note("interface", since, until, first, resolution)] if n]
    if no_speed:
        notes.append("Interfaces without a known speed rank after the others, by their rate.")
    bars = [(f"{r[0]} {r[2]}", max(r[8] or 0, r[9] or 0)) for r in rows[:15] if r[8] is not None or r[9] is not None]
    chart = Chart("p95 utilization, busiest interfaces", bars, "%", 100.0) if bars else None
    return Report("interface-utilization", TITLE, COLUMNS, rows, summary, filters, scope_label(filters),
                  period=(since, until), notes=notes, chart=chart,
                  empty_message="No interface traffic samples for these filters in this period.")


def _scope(filters: Filters) -> list:
    """The samples' scope; none when the caller sees every device unfiltered (a join less to scan)."""
    if filters.org_ids is None and not filters.device_filters():
        return []
    return [T.interface_id.in_(select(Interface.id).where(Interface.device_id.in_(device_ids_query(filters))))]


def _key(peak, speed) -> tuple:
    """Rank: interfaces with a known speed by utilization, then the others by rate."""
    return (1, (peak or 0.0) / speed) if speed else (0, peak or 0.0)


def _ranked(where: list, offset: int, size: int) -> list[tuple[int, int | None, tuple]]:
    """A page of (interface id, speed, upper bound) by descending bound, ranked in the database."""
    peak_in, peak_out = func.coalesce(func.max(T.in_bps), 0.0), func.coalesce(func.max(T.out_bps), 0.0)
    speed = select(Interface.speed).where(Interface.id == T.interface_id).scalar_subquery()
    grouped = select(T.interface_id.label("id"), case((peak_in >= peak_out, peak_in), else_=peak_out).label("peak"),
                     speed.label("speed")).where(*where).group_by(T.interface_id).subquery()
    known = grouped.c.speed > 0
    query = select(grouped.c.id, grouped.c.peak, grouped.c.speed).order_by(
        case((known, 1), else_=0).desc(), case((known, grouped.c.peak / grouped.c.speed), else_=grouped.c.peak).desc(),
        grouped.c.id).offset(offset).limit(size)
    out = []
    for iface, peak, speed in db.session.execute(query):
        speed = speed if speed and speed > 0 else None
        out.append((iface, speed, _key(float(peak or 0.0), speed)))
    return out


def _exact_top(where: list, n: int) -> list[dict]:
    size = max(BATCH, n)
    best: list[tuple[tuple, int, dict]] = []
    offset = 0
    while True:
        page = _ranked(where, offset, size)
        for start in range(0, len(page), BATCH):
            best.extend(_measure(page[start:start + BATCH], where))
        best.sort(key=lambda b: (b[0], -b[1]), reverse=True)
        del best[n:]
        # later pages rank below this page's last bound: stop once that cannot beat the N-th best
        if len(page) < size or (len(best) >= n and min(b for _, _, b in page) < best[n - 1][0]):
            break
        offset += size
    return [item for _, _, item in best]


def _measure(page: list, where: list) -> list[tuple[tuple, int, dict]]:
    """Exact averages, percentiles, errors and sample counts of a page of interfaces."""
    ids = [iface for iface, _, _ in page]
    stats = {i: (a_in, a_out, e, c) for i, a_in, a_out, e, c in db.session.execute(select(
        T.interface_id, func.avg(T.in_bps), func.avg(T.out_bps), func.sum(ERRORS), func.count()).where(
        *where, T.interface_id.in_(ids)).group_by(T.interface_id))}
    samples = defaultdict(lambda: ([], []))
    for iface, inb, outb in db.session.execute(select(T.interface_id, T.in_bps, T.out_bps).where(
            *where, T.interface_id.in_(ids))):
        if inb is not None:
            samples[iface][0].append(inb)
        if outb is not None:
            samples[iface][1].append(outb)
    out = []
    for iface, speed, _bound in page:
        ins, outs = samples[iface]
        in_avg, out_avg, errors, count = stats.get(iface, (None, None, 0, 0))
        item = {"id": iface, "speed": speed, "in_avg": in_avg, "out_avg": out_avg, "in_p95": percentile(ins),
                "out_p95": percentile(outs), "errors": errors or 0, "samples": count}
        out.append((_key(max(item["in_p95"] or 0.0, item["out_p95"] or 0.0), speed), iface, item))
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
