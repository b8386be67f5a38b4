"""Telemetry: rates from counter deltas, samples written in batches, history queries and retention.

Rate rules (no spikes):
- a counter that went down is a 32-bit wrap only on a 32-bit counter and only when the
  implied rate is plausible for the link; a 64-bit counter going down is a reset, never a wrap;
- sysUpTime going backwards is a reboot: every counter restarted, so that interval has no rate;
- counters are kept per interface row id (packed per device in `DevicePollState`), and interfaces
  are matched by name, so ifIndex renumbering (after a reboot or a line card change) does not mix
  two ports' counters;
- a rate above twice the link speed (or 10 Tb/s when the speed is unknown) is discarded.
"""
from __future__ import annotations

import functools
import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, func, insert, select, update
from sqlalchemy.orm.attributes import set_committed_value

from zas.errors import ValidationError
from zas.extensions import db
from zas.models import Device, DeviceEvent, DevicePollState, DeviceTelemetry, Interface, InterfaceTelemetry
from zas.models.types import utcnow
from zas.services import bulkwrite

log = logging.getLogger(__name__)

WRAP = {32: 2**32, 64: 2**64}
UPTIME_WRAP = 2**32  # TimeTicks is 32-bit: sysUpTime rolls over after ~497 days
MAX_UNKNOWN_SPEED_BPS = 10e12
DEVICE_METRICS = ("uptime", "cpu", "memory", "reachable")
RANGES = {"1h": timedelta(hours=1), "24h": timedelta(hours=24), "7d": timedelta(days=7), "30d": timedelta(days=30)}


# --- rate math (pure) ---------------------------------------------------------------------------

def rebooted(prev_ticks: int | None, cur_ticks: int | None, elapsed_seconds: float) -> bool:
    """True when sysUpTime went backwards for a reason other than its own 32-bit rollover."""
    if prev_ticks is None or cur_ticks is None:
        return False
    if cur_ticks >= prev_ticks:
        # restarted after the last poll and already up a while: less uptime gained than time passed
        lost = elapsed_seconds - (cur_ticks - prev_ticks) / 100
        return lost > max(60.0, elapsed_seconds * 0.5)
    wrapped = cur_ticks + UPTIME_WRAP - prev_ticks
    # a rollover advances by about the wall-clock interval; anything else is a restart
    return abs(wrapped / 100 - elapsed_seconds) > max(60.0, elapsed_seconds * 0.5)


def counter_delta(prev: int | None, cur: int | None, bits: int) -> int | None:
    """Increase of a counter between two reads; None when it cannot be known (missing, reset)."""
    if prev is None or cur is None:
        return None
    if cur >= prev:
        return cur - prev
    if bits == 32:
        return cur + WRAP[32] - prev
    return None  # a 64-bit counter does not wrap in practice: it was reset


def rate_bps(prev: int | None, cur: int | None, bits: int, elapsed: float, speed: int | None) -> float | None:
    """Octet counters → bits per second over `elapsed` seconds, or None when implausible."""
    if elapsed <= 0:
        return None
    delta = counter_delta(prev, cur, bits)
    if delta is None:
        return None
    bps = delta * 8 / elapsed
    ceiling = speed * 2 if speed else MAX_UNKNOWN_SPEED_BPS
    if bps > ceiling:
        return None  # a reset that looked like a wrap, or an agent's garbage
    return bps


def count_delta(prev: int | None, cur: int | None) -> int | None:
    """Errors/discards in the interval (32-bit counters); None across a reset."""
    delta = counter_delta(prev, cur, 32)
    if delta is None or delta > WRAP[32] // 2:
        return None
    return delta


# --- writing a poll ---------------------------------------------------------------------------------

@dataclass
class PollSummary:
    """What recording one poll did."""

    interfaces: int = 0
    rates: int = 0
    created: int = 0
    rebooted: bool = False
    problems: int = 0


INTERFACE_STATE = ("if_index", "admin_status", "oper_status", "speed")


def _match_interfaces(rows: list, samples) -> tuple[dict[int, object], dict[int, str]]:
    """({if_index of sample: interface row}, {if_index of sample: name of a row to create}): by name
    (ifName, then ifDescr), then by ifIndex for rows no sample claims by name; unmatched samples
    get a new row named after ifName."""
    by_name = {r.name: r for r in rows}
    claimed: set[int] = set()
    out: dict[int, object] = {}
    pending = []
    for s in samples:
        row = by_name.get(s.name) if s.name else None
        if row is None and s.descr:
            row = by_name.get(s.descr)
        if row is not None and row.id not in claimed:
            out[s.if_index] = row
            claimed.add(row.id)
        else:
            pending.append(s)
    by_index = {r.if_index: r for r in rows if r.if_index is not None and r.id not in claimed}
    names = {x.name for x in samples} | {x.descr for x in samples}
    taken = set(by_name)
    create: dict[int, str] = {}
    for s in pending:
        row = by_index.get(s.if_index)
        if row is not None and row.id not in claimed and row.name not in names:
            out[s.if_index] = row
            claimed.add(row.id)
            continue
        name = s.label[:128]
        if name in taken:  # the name is taken by a row another sample claimed: skip, never merge
            continue
        taken.add(name)
        create[s.if_index] = name
    return out, create


def _state_changes(row, s) -> dict:
    """The interface columns a sample changes (unknown values never overwrite known ones)."""
    same = (row.if_index, row.admin_status, row.oper_status, row.speed) == \
        (s.if_index, s.admin_status, s.oper_status, s.speed)
    if same and (not s.alias or row.description == s.alias):
        return {}  # the usual case, once per interface and poll: nothing moved
    changes = {attr: getattr(s, attr) for attr in INTERFACE_STATE
               if getattr(s, attr) is not None and getattr(row, attr) != getattr(s, attr)}
    if s.alias and row.description != s.alias:
        changes["description"] = s.alias
    return changes


def record_poll(device: Device, data, now: datetime | None = None) -> PollSummary:
    """Store one poll's device and interface samples, update counters, interface state and device
    facts, record a reboot event. Flushes, the caller commits. Not idempotent (each call is a new
    sample)."""
    return record_polls([(device, data)], now)[device.id]


def record_polls(polls: list[tuple[object, object]], now: datetime | None = None) -> dict[int, PollSummary]:
    """`record_poll` for a group of devices at once, {device id: summary}: a handful of statements
    for the whole group (the poll job writes each group of finished devices this way), so a poll
    costs about what its SNMP exchange costs. `polls` holds (device, PollData); a device needs `id`
    and `status` (an ORM Device is refreshed from what was written)."""
    now = now or utcnow()
    db.session.flush()  # pending ORM changes first: the writes below go around the ORM
    ids = [device.id for device, _ in polls]
    itable = Interface.__table__
    by_device: dict[int, list] = defaultdict(list)
    for row in _interface_rows(itable.c.device_id.in_(ids)):
        by_device[row.device_id].append(row)

    matched, creates, pending, summaries = {}, [], {}, {}
    for device, data in polls:
        ifmap, create = _match_interfaces(by_device[device.id], data.interfaces)
        matched[device.id] = ifmap
        pending[device.id] = {name: if_index for if_index, name in create.items()}
        samples = {s.if_index: s for s in data.interfaces}
        for if_index, name in create.items():
            s = samples[if_index]
            creates.append({"device_id": device.id, "name": name, "ip_addresses": [], "description": s.alias or None,
                            **{a: getattr(s, a) for a in INTERFACE_STATE}})
        summaries[device.id] = PollSummary(interfaces=len(data.interfaces), problems=len(data.problems),
                                           created=len(create))
    if creates:
        db.session.execute(itable.insert(), creates)
        for row in _interface_rows(itable.c.device_id.in_({c["device_id"] for c in creates}),
                                   itable.c.name.in_({c["name"] for c in creates})):
            if_index = pending[row.device_id].get(row.name)
            if if_index is not None:
                matched[row.device_id][if_index] = row

    stable = DevicePollState.__table__
    states = {row.device_id: row for row in db.session.execute(
        select(stable.c.device_id, stable.c.ts, stable.c.sys_uptime, stable.c.counters)
        .where(stable.c.device_id.in_(ids)))}

    samples, state_rows, iface_rows, device_rows, device_samples, events = [], [], [], [], [], []
    for device, data in polls:
        summary, ifmap, state = summaries[device.id], matched[device.id], states.get(device.id)
        counters = {c[0]: c for c in (state.counters or ())} if state is not None else {}
        uptime = data.system.uptime_ticks
        elapsed = (now - state.ts).total_seconds() if state is not None else 0.0
        summary.rebooted = state is not None and rebooted(state.sys_uptime, uptime, elapsed)
        if summary.rebooted:
            events.append({"device_id": device.id, "at": now, "kind": "reboot",
                           "detail": {"uptime_seconds": uptime // 100 if uptime is not None else None}})
        packed = []
        for s in data.interfaces:
            row = ifmap.get(s.if_index)
            if row is None:
                continue
            changes = _state_changes(row, s)
            if changes:
                iface_rows.append({"id": row.id, **changes})
            prev = counters.get(row.id)
            in_bps = out_bps = None
            errs = {"in_errors": None, "out_errors": None, "in_discards": None, "out_discards": None}
            if prev is not None and not summary.rebooted:
                _, bits, in_octets, out_octets, *prev_errs = prev
                if bits == s.bits:  # HC counters appeared/vanished: start over
                    in_bps = rate_bps(in_octets, s.in_octets, bits, elapsed, s.speed)
                    out_bps = rate_bps(out_octets, s.out_octets, bits, elapsed, s.speed)
                for name, before in zip(errs, prev_errs):
                    errs[name] = count_delta(before, getattr(s, name))
            if in_bps is not None or out_bps is not None:
                summary.rates += 1
            samples.append(dict(interface_id=row.id, resolution="raw", ts=now, in_bps=in_bps, out_bps=out_bps,
                                in_bps_max=in_bps, out_bps_max=out_bps, oper_status=s.oper_status, samples=1,
                                **errs))
            packed.append([row.id, s.bits, s.in_octets, s.out_octets, s.in_errors, s.out_errors, s.in_discards,
                           s.out_discards])
        state_rows.append({"device_id": device.id, "ts": now, "sys_uptime": uptime, "counters": packed})
        device_samples.append(dict(device_id=device.id, resolution="raw", ts=now,
                                   uptime_seconds=uptime // 100 if uptime is not None else None,
                                   cpu_percent=data.cpu_percent, mem_used=data.mem_used, mem_total=data.mem_total,
                                   reachable=True, samples=1))
        row = {"id": device.id, "last_poll_at": now, "last_poll_status": "ok", "status": "up"}
        if uptime is not None:
            row["uptime_seconds"] = uptime // 100
        if device.status in ("down", "unreachable"):
            events.append({"device_id": device.id, "at": now, "kind": "up", "detail": None})
        device_rows.append(row)
    # a statement or two per table, whatever the number of devices and interfaces
    bulkwrite.insert_rows(InterfaceTelemetry.__table__, samples)
    _upsert_states(state_rows)
    db.session.execute(insert(DeviceTelemetry.__table__), device_samples)
    if events:
        db.session.execute(insert(DeviceEvent.__table__), events)
    bulkwrite.update_by_id(Interface.__table__, iface_rows)
    bulkwrite.update_by_id(Device.__table__, device_rows)
    # ORM copies loaded before these writes: the group's devices take the written values (no
    # reload per device for the caller's next look at them); interface rows are reread if used
    for (device, _), row in zip(polls, device_rows):
        if isinstance(device, Device):
            for key, value in row.items():
                if key != "id":
                    set_committed_value(device, key, value)
    _expire(Interface)
    return summaries


def _interface_rows(*where):
    """Interfaces as plain rows with what matching and state sync compare."""
    itable = Interface.__table__
    return db.session.execute(select(itable.c.id, itable.c.device_id, itable.c.name, itable.c.description,
                                     *(itable.c[a] for a in INTERFACE_STATE)).where(*where))


def _expire(*classes) -> None:
    for obj in [o for o in db.session.identity_map.values() if isinstance(o, classes)]:
        db.session.expire(obj)


def _upsert_states(rows: list[dict]) -> None:
    """INSERT .. ON DUPLICATE KEY UPDATE (ON CONFLICT on SQLite) as one executemany: a round trip
    per group of polls, and a statement compiled once, not per poll."""
    if rows:
        db.session.execute(_upsert_statement(db.engine.dialect.name), rows)
        _expire(DevicePollState)  # the ORM's copies of these rows, if any were loaded, are stale now


@functools.lru_cache(maxsize=None)
def _upsert_statement(dialect: str):
    table = DevicePollState.__table__
    columns = [c.name for c in table.columns if c.name != "device_id"]
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as dialect_insert

        stmt = dialect_insert(table)
        return stmt.on_conflict_do_update(index_elements=["device_id"], set_={c: stmt.excluded[c] for c in columns})
    from sqlalchemy.dialects.mysql import insert as dialect_insert

    stmt = dialect_insert(table)
    return stmt.on_duplicate_key_update({c: stmt.inserted[c] for c in columns})


def record_failure(device: Device, error_class: str, message: str, now: datetime | None = None) -> None:
    """A poll that got no answer: an unreachable sample, the poll status, a `down` event on the
    transition. Flushes; the caller commits."""
    now = now or utcnow()
    status = {"SnmpTimeout": "timeout", "SnmpAuthFailed": "auth_failed",
              "SnmpNoSuchObject": "no_such_object"}.get(error_class, "error")
    device.last_poll_at, device.last_poll_status = now, status
    if status == "timeout":
        db.session.add(DeviceTelemetry(device_id=device.id, resolution="raw", ts=now, reachable=False, samples=1))
        if device.status != "down":
            db.session.add(DeviceEvent(device_id=device.id, at=now, kind="down", detail={"error": message[:500]}))
            device.status = "down"
    db.session.flush()


def note_problems(device: Device, problems: list[str], now: datetime | None = None) -> bool:
    """Record an agent's garbage once per device: a new `agent_garbage` event only when the set of
    problems differs from the last one recorded. True when it was recorded (log it then)."""
    if not problems:
        return False
    kinds = sorted({p.split(":")[-1].strip() + ": " + p.split(":")[0].split()[-1] for p in problems})[:50]
    last = db.session.scalar(select(DeviceEvent).where(DeviceEvent.device_id == device.id,
                                                       DeviceEvent.kind == "agent_garbage")
                             .order_by(DeviceEvent.id.desc()).limit(1))
    if last is not None and (last.detail or {}).get("kinds") == kinds:
        return False
    db.session.add(DeviceEvent(device_id=device.id, at=now or utcnow(), kind="agent_garbage",
                               detail={"kinds": kinds, "sample": problems[:20]}))
    db.session.flush()
    return True


# --- reading ------------------------------------------------------------------------------------------

def parse_window(since: str | None, until: str | None, default: str = "24h") -> tuple[datetime, datetime]:
    """`since`/`until` as ISO 8601 or a range name (1h, 24h, 7d, 30d); raises ValidationError naming the field."""
    now = utcnow()
    end = _parse_time(until, "until") if until else now
    if not since:
        since = default
    start = end - RANGES[since] if since in RANGES else _parse_time(since, "since")
    if start >= end:
        raise ValidationError("since must be before until", field="since")
    return start, end


def _parse_time(value: str, field: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (TypeError, ValueError):
        raise ValidationError(f"{field} must be an ISO 8601 time or one of {', '.join(RANGES)}",
                              field=field) from None
    if parsed.tzinfo is not None:
        parsed = (parsed - parsed.utcoffset()).replace(tzinfo=None)
    return parsed


def resolution_for(start: datetime, end: datetime) -> str:
    """Raw up to 2 days, hourly up to 60 days, daily beyond (what retention still keeps)."""
    span = end - start
    if span <= timedelta(days=2):
        return "raw"
    return "hour" if span <= timedelta(days=60) else "day"


def device_series(device_id: int, metric: str | None, start: datetime, end: datetime) -> dict:
    """{"metric": [...], "resolution", "points": [{ts, ...}]} for a device; metric None: all."""
    if metric and metric not in DEVICE_METRICS:
        raise ValidationError(f"metric must be one of {', '.join(DEVICE_METRICS)}", field="metric")
    resolution = resolution_for(start, end)
    rows = db.session.scalars(select(DeviceTelemetry).where(
        DeviceTelemetry.device_id == device_id, DeviceTelemetry.resolution == resolution,
        DeviceTelemetry.ts >= start, DeviceTelemetry.ts <= end).order_by(DeviceTelemetry.ts))
    fields = {"uptime": ("uptime_seconds",), "cpu": ("cpu_percent",), "memory": ("mem_used", "mem_total"),
              "reachable": ("reachable",)}
    wanted = [f for m in ([metric] if metric else DEVICE_METRICS) for f in fields[m]]
    points = []
    for r in rows:
        point = {"ts": r.ts.isoformat() + "Z"}
        for f in wanted:
            point[f] = getattr(r, f)
        points.append(point)
    return {"device_id": device_id, "metric": metric or "all", "resolution": resolution, "points": points}


def interface_series(interface_id: int, start: datetime, end: datetime) -> dict:
    """Interface rates (bps) and error/discard counts over a window."""
    resolution = resolution_for(start, end)
    rows = db.session.scalars(select(InterfaceTelemetry).where(
        InterfaceTelemetry.interface_id == interface_id, InterfaceTelemetry.resolution == resolution,
        InterfaceTelemetry.ts >= start, InterfaceTelemetry.ts <= end).order_by(InterfaceTelemetry.ts))
    points = [{"ts": r.ts.isoformat() + "Z", "in_bps": r.in_bps, "out_bps": r.out_bps, "in_bps_max": r.in_bps_max,
               "out_bps_max": r.out_bps_max, "in_errors": r.in_errors, "out_errors": r.out_errors,
               "in_discards": r.in_discards, "out_discards": r.out_discards, "oper_status": r.oper_status}
              for r in rows]
    return {"interface_id": interface_id, "resolution": resolution, "points": points}


def latest_rates(interface_ids) -> dict[int, dict]:
    """The last poll's rates per interface id: {id: {in_bps, out_bps, in_util, out_util (percent of
    speed, None if unknown), errors, ts}}. For the Interfaces tab's utilization columns."""
    ids = list(interface_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(InterfaceTelemetry, Interface.speed)
        .join(Interface, Interface.id == InterfaceTelemetry.interface_id)
        .join(DevicePollState, and_(DevicePollState.device_id == Interface.device_id,
                                    DevicePollState.ts == InterfaceTelemetry.ts))
        .where(InterfaceTelemetry.interface_id.in_(ids), InterfaceTelemetry.resolution == "raw")).all()
    out = {}
    for t, speed in rows:
        out[t.interface_id] = {
            "in_bps": t.in_bps, "out_bps": t.out_bps, "ts": t.ts,
            "in_util": round(100 * t.in_bps / speed, 2) if speed and t.in_bps is not None else None,
            "out_util": round(100 * t.out_bps / speed, 2) if speed and t.out_bps is not None else None,
            "in_errors": t.in_errors, "out_errors": t.out_errors,
        }
    return out


def dashboard(org_ids: set[int] | None, limit: int = 10) -> dict:
    """Devices down, top interfaces by utilization (last poll), recent reboots — scoped to `org_ids`."""
    def scoped(query):
        return query if org_ids is None else query.where(Device.organization_id.in_(org_ids))

    down = list(db.session.scalars(scoped(select(Device).where(
        (Device.status.in_(("down", "unreachable"))) | (Device.last_poll_status == "timeout")))
        .order_by(Device.name).limit(100)))
    util = func.greatest if db.engine.dialect.name != "sqlite" else func.max
    score = util(func.coalesce(InterfaceTelemetry.in_bps, 0), func.coalesce(InterfaceTelemetry.out_bps, 0)) \
        / Interface.speed
    top = db.session.execute(scoped(
        select(Interface, Device, InterfaceTelemetry, score.label("score"))
        .join(DevicePollState, DevicePollState.device_id == Interface.device_id)
        .join(InterfaceTelemetry, and_(InterfaceTelemetry.interface_id == Interface.id,
                                       InterfaceTelemetry.ts == DevicePollState.ts,
                                       InterfaceTelemetry.resolution == "raw"))
        .join(Device, Device.id == Interface.device_id)
        .where(Interface.speed > 0, DevicePollState.ts >= utcnow() - timedelta(hours=1)))
        .order_by(score.desc()).limit(limit)).all()
    reboots = db.session.execute(scoped(
        select(DeviceEvent, Device).join(Device, Device.id == DeviceEvent.device_id)
        .where(DeviceEvent.kind == "reboot", DeviceEvent.at >= utcnow() - timedelta(days=7)))
        .order_by(DeviceEvent.at.desc()).limit(limit)).all()
    return {
        "down": down,
        "top_interfaces": [{"interface": i, "device": d, "in_bps": t.in_bps, "out_bps": t.out_bps,
                            "util": round(float(s) * 100, 1) if s is not None else None} for i, d, t, s in top],
        "reboots": [{"device": d, "at": e.at, "detail": e.detail} for e, d in reboots],
    }


# --- retention and roll-ups ------------------------------------------------------------------------

def _bucket(ts: datetime, resolution: str) -> datetime:
    return ts.replace(minute=0, second=0, microsecond=0) if resolution == "hour" else \
        ts.replace(hour=0, minute=0, second=0, microsecond=0)


def _avg(values):
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else None


def _sum(values):
    values = [v for v in values if v is not None]
    return sum(values) if values else None


def _max(values):
    values = [v for v in values if v is not None]
    return max(values) if values else None


def rollup(source: str, target: str, before: datetime, batch: int = 50_000) -> int:
    """Aggregate complete `source` buckets older than `before` into `target` rows not yet rolled up.
    Idempotent: a bucket already present in `target` is not written again. Returns rows written."""
    written = 0
    # only finished buckets: the current hour/day may still gain samples
    cutoff = _bucket(before, target)
    for model, key in ((InterfaceTelemetry, "interface_id"), (DeviceTelemetry, "device_id")):
        key_col = getattr(model, key)
        last = db.session.scalar(select(func.max(model.ts)).where(model.resolution == target))
        query = select(model).where(model.resolution == source, model.ts < cutoff)
        if last is not None:
            query = query.where(model.ts >= last + (timedelta(hours=1) if target == "hour" else timedelta(days=1)))
        groups: dict[tuple, list] = defaultdict(list)
        for row in db.session.execute(query.order_by(key_col, model.ts).execution_options(yield_per=batch)).scalars():
            groups[(getattr(row, key), _bucket(row.ts, target))].append(row)
        rows = []
        for (owner, ts), items in groups.items():
            n = sum(i.samples or 1 for i in items)
            if model is InterfaceTelemetry:
                rows.append(dict(interface_id=owner, resolution=target, ts=ts, samples=n,
                                 in_bps=_avg(i.in_bps for i in items), out_bps=_avg(i.out_bps for i in items),
                                 in_bps_max=_max(i.in_bps_max for i in items),
                                 out_bps_max=_max(i.out_bps_max for i in items),
                                 in_errors=_sum(i.in_errors for i in items),
                                 out_errors=_sum(i.out_errors for i in items),
                                 in_discards=_sum(i.in_discards for i in items),
                                 out_discards=_sum(i.out_discards for i in items),
                                 oper_status=items[-1].oper_status))
            else:
                reach = [i.reachable for i in items if i.reachable is not None]
                rows.append(dict(device_id=owner, resolution=target, ts=ts, samples=n,
                                 uptime_seconds=_max(i.uptime_seconds for i in items),
                                 cpu_percent=_avg(i.cpu_percent for i in items),
                                 mem_used=int(_avg(i.mem_used for i in items)) if _avg(
                                     i.mem_used for i in items) is not None else None,
                                 mem_total=_max(i.mem_total for i in items),
                                 reachable=any(reach) if reach else None))
        for i in range(0, len(rows), 5000):
            db.session.execute(insert(model), rows[i:i + 5000])
        written += len(rows)
    db.session.flush()
    return written


def prune(resolution: str, older_than: datetime) -> int:
    """Delete samples of one resolution older than a time. Returns rows deleted."""
    deleted = 0
    for model in (InterfaceTelemetry, DeviceTelemetry):
        deleted += db.session.execute(delete(model).where(model.resolution == resolution,
                                                          model.ts < older_than)).rowcount or 0
    return deleted


def apply_retention(config, now: datetime | None = None) -> dict:
    """Roll raw samples up to hourly and hourly to daily, then drop what is past its retention
    (ZAS_RETENTION_RAW_DAYS, _HOURLY_DAYS, _DAILY_DAYS). Idempotent; flushes, the caller commits."""
    now = now or utcnow()
    hourly = rollup("raw", "hour", now)
    daily = rollup("hour", "day", now)
    pruned = {
        "raw": prune("raw", now - timedelta(days=float(config["RETENTION_RAW_DAYS"]))),
        "hour": prune("hour", now - timedelta(days=float(config["RETENTION_HOURLY_DAYS"]))),
        "day": prune("day", now - timedelta(days=float(config["RETENTION_DAILY_DAYS"]))),
    }
    events = db.session.execute(delete(DeviceEvent).where(
        DeviceEvent.at < now - timedelta(days=float(config["RETENTION_DAILY_DAYS"])))).rowcount or 0
    return {"hourly": hourly, "daily": daily, "pruned": pruned, "events_pruned": events}


# the name the device Interfaces tab looks for
latest_interface_rates = latest_rates
