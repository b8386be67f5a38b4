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

from sqlalchemy import case, func, select

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
    per_iface = select(
        InterfaceTelemetry.interface_id.label("iface"), func.max(InterfaceTelemetry.in_bps).label("max_in"),
        func.max(InterfaceTelemetry.out_bps).label("max_out"), func.avg(InterfaceTelemetry.in_bps).label("avg_in"),
        func.avg(InterfaceTelemetry.out_bps).label("avg_out"),
        func.sum(func.coalesce(InterfaceTelemetry.in_errors, 0) + func.coalesce(InterfaceTelemetry.out_errors, 0))
        .label("errors"), func.count().label("n"), func.min(InterfaceTelemetry.ts).label("first"),
    ).where(*window, InterfaceTelemetry.interface_id.in_(scoped_ifaces)) \
        .group_by(InterfaceTelemetry.interface_id).subquery()
    peak = func.greatest(func.coalesce(per_iface.c.max_in, 0), func.coalesce(per_iface.c.max_out, 0)) \
        if db.engine.dialect.name != "sqlite" else \
        func.max(func.coalesce(per_iface.c.max_in, 0), func.coalesce(per_iface.c.max_out, 0))
    has_speed = case((Interface.speed > 0, 1), else_=0)
    # ranked by the upper bound in SQL, totals as window functions: only candidates leave the database
    ranked_query = select(
        per_iface.c.iface, per_iface.c.max_in, per_iface.c.max_out, per_iface.c.avg_in, per_iface.c.avg_out,
        per_iface.c.errors, per_iface.c.n, per_iface.c.first, Interface.speed,
        func.count().over().label("t_ifaces"), func.sum(per_iface.c.n).over().label("t_samples"),
        func.sum(per_iface.c.errors).over().label("t_errors"), func.sum(1 - has_speed).over().label("t_nospeed"),
        func.min(per_iface.c.first).over().label("t_first"),
    ).join(Interface, Interface.id == per_iface.c.iface).order_by(
        has_speed.desc(), case((Interface.speed > 0, peak / Interface.speed), else_=peak).desc(), per_iface.c.iface)
    candidates = _Candidates(ranked_query, max(filters.top * 4, BATCH))
    first_rows = candidates.peek()
    totals = first_rows[0] if first_rows else None
    speeds = candidates.speeds
    top = _exact_top(candidates, speeds, filters.top, window)
    info = _interface_info([t["id"] for t in top])
    rows = []
    for t in top:
        device, org, name = info[t["id"]]
        speed = speeds.get(t["id"])
        rows.append((device, org, name, _mbps(speed), _mbps(t["in_avg"]), _mbps(t["in_p95"]), _mbps(t["out_avg"]),
                     _mbps(t["out_p95"]), _util(t["in_p95"], speed), _util(t["out_p95"], speed), int(t["errors"]),
                     t["samples"]))
    no_speed = int(totals.t_nospeed) if totals else 0
    first = totals.t_first if totals else None
    summary = [("Interfaces with samples", int(totals.t_ifaces) if totals else 0), ("Shown (top N)", len(rows)),
               ("Without a known speed", no_speed), ("Samples", int(totals.t_samples) if totals else 0),
               ("Errors", int(totals.t_errors or 0) if totals else 0), ("Telemetry resolution", resolution)]
    notes = [n for n in [coverage_note("interface", since, until, first, resolution)] if n]
    if no_speed:
        notes.append("Interfaces without a known speed rank after the others, by their rate.")
    bars = [(f"{r[0]} {r[2]}", max(r[8] or 0, r[9] or 0)) for r in rows[:15] if r[8] is not None or r[9] is not None]
    chart = Chart("p95 utilization, busiest interfaces", bars, "%", 100.0) if bars else None
    return Report("interface-utilization", TITLE, COLUMNS, rows, summary, filters, scope_label(filters),
                  period=(since, until), notes=notes, chart=chart,
                  empty_message="No interface traffic samples for these filters in this period.")


class _Candidates:
    """The ranked interfaces, fetched a page at a time (the ranking query re-runs only if the first
    page does not settle the top N, which needs more than 4N candidates with a high peak)."""

    def __init__(self, query, page: int):
        self.query, self.page, self.offset, self.speeds = query, page, 0, {}
        self._buffer: list = []
        self._done = False

    def _fetch(self) -> None:
        rows = db.session.execute(self.query.limit(self.page).offset(self.offset)).all()
        self.offset += len(rows)
        self._done = len(rows) < self.page
        for r in rows:
            if r.speed and r.speed > 0:
                self.speeds[r.iface] = r.speed
        self._buffer.extend(rows)

    def peek(self) -> list:
        if not self._buffer and not self._done:
            self._fetch()
        return self._buffer[:1]

    def batches(self):
        while True:
            if not self._buffer:
                if self._done:
                    return
                self._fetch()
                if not self._buffer:
                    return
            batch, self._buffer = self._buffer[:BATCH], self._buffer[BATCH:]
            yield batch


def _bound(a, speed) -> tuple:
    peak = max(a.max_in or 0.0, a.max_out or 0.0)
    return (1, peak / speed) if speed else (0, peak)


def _exact_top(candidates, speeds: dict, n: int, window) -> list[dict]:
    best: list[tuple[tuple, dict]] = []
    for batch in candidates.batches():
        if len(best) >= n and _bound(batch[0], speeds.get(batch[0].iface)) < best[n - 1][0]:
            break
        samples = defaultdict(lambda: ([], []))
        for iface, inb, outb in db.session.execute(select(
                InterfaceTelemetry.interface_id, InterfaceTelemetry.in_bps, InterfaceTelemetry.out_bps).where(
                *window, InterfaceTelemetry.interface_id.in_([a.iface for a in batch]))):
            if inb is not None:
                samples[iface][0].append(inb)
            if outb is not None:
                samples[iface][1].append(outb)
        for a in batch:
            ins, outs = samples[a.iface]
            item = {"id": a.iface, "in_avg": a.avg_in, "out_avg": a.avg_out, "in_p95": percentile(ins),
                    "out_p95": percentile(outs), "errors": a.errors or 0, "samples": a.n}
            speed = speeds.get(a.iface)
            peak = max(item["in_p95"] or 0.0, item["out_p95"] or 0.0)
            best.append(((1, peak / speed) if speed else (0, peak), item))
        best.sort(key=lambda b: b[0], reverse=True)
        del best[n:]
    return [item for _, item in best]


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
