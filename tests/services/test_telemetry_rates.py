"""Rate math and recording polls: wraps, resets, reboots, renumbering, garbage, retention."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.factories import make_device
from zas.extensions import db
from zas.models import DeviceEvent, DeviceTelemetry, Interface, InterfaceTelemetry
from zas.models.types import utcnow
from zas.services import telemetry
from zas.services.snmp import IfSample, PollData, SystemInfo

GIG = 1_000_000_000


def approx(value):
    return pytest.approx(value, rel=1e-5)  # FLOAT columns are single precision on MariaDB


def test_counter_delta_handles_32_bit_wrap_but_not_64_bit():
    assert telemetry.counter_delta(100, 250, 64) == 150
    assert telemetry.counter_delta(2**32 - 100, 50, 32) == 150
    assert telemetry.counter_delta(2**64 - 100, 50, 64) is None  # a reset, not a wrap
    assert telemetry.counter_delta(None, 5, 64) is None


def test_rate_is_bits_per_second_and_implausible_rates_are_dropped():
    assert telemetry.rate_bps(0, 125_000_000, 64, 10, GIG) == approx(100_000_000)
    # a 32-bit counter that went down after a reset (not a wrap): implied rate far above the link
    assert telemetry.rate_bps(4_000_000_000, 10, 32, 1, 10_000_000) is None
    assert telemetry.rate_bps(1, 2, 64, 0, GIG) is None


@pytest.mark.parametrize("prev,cur,elapsed,expected", [
    (100_000, 130_000, 300, False),          # 300 s later, 300 s more uptime
    (100_000, 500, 300, True),               # uptime went back: reboot
    (2**32 - 10_000, 20_000, 300, False),    # TimeTicks rollover after 497 days
    (100_000, 110_000, 3600, True),          # rebooted and came back within one interval
    (None, 500, 300, False),
])
def test_reboot_detection(prev, cur, elapsed, expected):
    assert telemetry.rebooted(prev, cur, elapsed) is expected


def sample(if_index, name, in_octets, out_octets, bits=64, speed=GIG, **kw):
    return IfSample(if_index=if_index, name=name, descr=name, admin_status="up", oper_status="up", speed=speed,
                    bits=bits, in_octets=in_octets, out_octets=out_octets, in_errors=kw.get("in_errors", 0),
                    out_errors=0, in_discards=0, out_discards=0)


def data(uptime, *samples, problems=()):
    return PollData(system=SystemInfo(name="sw", uptime_ticks=uptime), interfaces=list(samples), cpu_percent=12.0,
                    mem_used=100, mem_total=400, problems=list(problems))


def rates(device):
    rows = db.session.execute(select(Interface.name, InterfaceTelemetry.in_bps, InterfaceTelemetry.out_bps)
                              .join(Interface, Interface.id == InterfaceTelemetry.interface_id)
                              .where(Interface.device_id == device.id).order_by(InterfaceTelemetry.ts)).all()
    return rows


def test_growing_counters_give_positive_rates_and_a_wrap_gives_no_spike(org):
    device = make_device(org)
    t0 = utcnow() - timedelta(minutes=10)
    telemetry.record_poll(device, data(100_000, sample(1, "Gi0/1", 1_000, 2_000),
                                       sample(2, "Gi0/2", 2**32 - 1_000, 0, bits=32)), now=t0)
    s = telemetry.record_poll(device, data(130_000, sample(1, "Gi0/1", 1_000 + 37_500_000, 2_000 + 3_750_000),
                                           sample(2, "Gi0/2", 9_000, 80, bits=32)), now=t0 + timedelta(seconds=300))
    assert s.rates == 2 and not s.rebooted
    latest = {n: (i, o) for n, i, o in rates(device)}
    assert latest["Gi0/1"] == (approx(1_000_000), approx(100_000))
    assert latest["Gi0/2"][0] == approx(10_000 * 8 / 300)  # across the 32-bit wrap
    assert device.status == "up" and device.last_poll_status == "ok" and device.uptime_seconds == 1300


def test_reboot_resets_counters_without_a_spike_and_records_an_event(org):
    device = make_device(org)
    t0 = utcnow() - timedelta(minutes=10)
    telemetry.record_poll(device, data(10_000_000, sample(1, "Gi0/1", 2**32 - 5, 900_000, bits=32)), now=t0)
    s = telemetry.record_poll(device, data(2_000, sample(1, "Gi0/1", 400, 300, bits=32)),
                              now=t0 + timedelta(seconds=300))
    assert s.rebooted and s.rates == 0
    assert [r[1] for r in rates(device)] == [None, None]
    assert db.session.scalar(select(func.count()).select_from(DeviceEvent).where(
        DeviceEvent.device_id == device.id, DeviceEvent.kind == "reboot")) == 1
    # the next interval after the reboot has rates again
    telemetry.record_poll(device, data(32_000, sample(1, "Gi0/1", 400 + 3_000, 300 + 300, bits=32)),
                          now=t0 + timedelta(seconds=600))
    assert rates(device)[-1][1] == approx(80)


def test_ifindex_renumbering_keeps_each_ports_counters(org):
    device = make_device(org)
    t0 = utcnow() - timedelta(minutes=10)
    telemetry.record_poll(device, data(1_000, sample(1, "Gi0/1", 1_000, 0), sample(2, "Gi0/2", 9_000_000, 0)),
                          now=t0)
    # after a reload the agent numbers the ports the other way round
    telemetry.record_poll(device, data(31_000, sample(7, "Gi0/2", 9_000_000 + 300, 0), sample(8, "Gi0/1", 1_300, 0)),
                          now=t0 + timedelta(seconds=300))
    ifaces = {i.name: i for i in db.session.scalars(select(Interface).where(Interface.device_id == device.id))}
    assert len(ifaces) == 2 and ifaces["Gi0/2"].if_index == 7
    last = {n: i for n, i, _ in rates(device)}
    assert last["Gi0/1"] == approx(8) and last["Gi0/2"] == approx(8)


def test_latest_rates_and_the_dashboard_read_the_last_poll_only(org):
    """The Interfaces tab's utilization and the dashboard's top interfaces come from each device's
    last poll (the ts kept in its poll state), not from an older sample."""
    busy, quiet = make_device(org, name="busy"), make_device(org, name="quiet")
    t0 = utcnow() - timedelta(minutes=20)
    for device, octets in ((busy, 3_750_000_000), (quiet, 37_500_000)):
        telemetry.record_poll(device, data(1_000, sample(1, "Gi0/1", 0, 0)), now=t0)
        telemetry.record_poll(device, data(31_000, sample(1, "Gi0/1", octets, 0)), now=t0 + timedelta(seconds=300))
    # the busy port's last interval is idle: 10 % of 1 Gb/s before, nothing now
    telemetry.record_poll(busy, data(61_000, sample(1, "Gi0/1", 3_750_000_000, 0)), now=t0 + timedelta(seconds=600))
    ids = {d.name: db.session.scalar(select(Interface.id).where(Interface.device_id == d.id)) for d in (busy, quiet)}
    latest = telemetry.latest_rates(ids.values())
    assert latest[ids["busy"]]["in_bps"] == 0 and latest[ids["busy"]]["in_util"] == 0
    assert latest[ids["quiet"]]["in_bps"] == approx(1_000_000) and latest[ids["quiet"]]["in_util"] == 0.1
    top = telemetry.dashboard({org.id})["top_interfaces"]
    assert [(t["device"].name, t["in_bps"]) for t in top] == [("quiet", approx(1_000_000)), ("busy", 0)]


def test_interface_state_follows_the_agent_and_unknowns_keep_what_was_known(org):
    device = make_device(org)
    t0 = utcnow() - timedelta(minutes=10)
    telemetry.record_poll(device, data(1_000, sample(1, "Gi0/1", 0, 0)), now=t0)
    down = sample(1, "Gi0/1", 0, 0, speed=100_000_000)
    down.oper_status, down.alias = "down", "uplink to core"
    telemetry.record_poll(device, data(31_000, down), now=t0 + timedelta(seconds=300))
    row = db.session.scalar(select(Interface).where(Interface.device_id == device.id))
    assert (row.oper_status, row.speed, row.description) == ("down", 100_000_000, "uplink to core")
    unknown = sample(1, "Gi0/1", 0, 0, speed=None)
    unknown.oper_status = None
    telemetry.record_poll(device, data(61_000, unknown), now=t0 + timedelta(seconds=600))
    db.session.refresh(row)
    assert (row.oper_status, row.speed, row.description) == ("down", 100_000_000, "uplink to core")


def test_garbage_is_logged_once_per_device(org):
    device = make_device(org)
    problems = ["Gi0/1 ifHighSpeed: not a number (OCTETSTR)", "sysUpTime: out of range"]
    assert telemetry.note_problems(device, problems) is True
    assert telemetry.note_problems(device, list(problems)) is False
    assert db.session.scalar(select(func.count()).select_from(DeviceEvent).where(
        DeviceEvent.device_id == device.id, DeviceEvent.kind == "agent_garbage")) == 1


def test_unknown_values_are_stored_as_null(org):
    device = make_device(org)
    telemetry.record_poll(device, data(None, sample(1, "Gi0/1", None, None, speed=None)))
    row = db.session.scalar(select(DeviceTelemetry).where(DeviceTelemetry.device_id == device.id))
    assert row.uptime_seconds is None and row.reachable is True
    assert db.session.scalar(select(Interface.speed).where(Interface.device_id == device.id)) is None


def test_failure_marks_poll_status_and_a_down_event(org):
    device = make_device(org)
    telemetry.record_failure(device, "SnmpTimeout", "no SNMP answer")
    telemetry.record_failure(device, "SnmpTimeout", "no SNMP answer")
    assert device.last_poll_status == "timeout" and device.status == "down"
    assert db.session.scalar(select(func.count()).select_from(DeviceEvent).where(
        DeviceEvent.device_id == device.id, DeviceEvent.kind == "down")) == 1


def test_retention_rolls_up_then_prunes(app, org):
    device = make_device(org)
    old = utcnow().replace(minute=0, second=0, microsecond=0) - timedelta(days=10)
    for n in range(4):
        telemetry.record_poll(device, data(100_000 + n * 30_000, sample(1, "Gi0/1", n * 3_750_000, 0)),
                              now=old + timedelta(minutes=5 * n))
    out = telemetry.apply_retention(app.config)
    assert out["hourly"] == 2 and out["pruned"]["raw"] == 8  # one interface row + one device row per hour
    hour = db.session.scalar(select(InterfaceTelemetry).where(InterfaceTelemetry.resolution == "hour"))
    assert hour.samples == 4 and hour.in_bps == approx(100_000)
    again = telemetry.apply_retention(app.config)
    assert again["hourly"] == 0  # idempotent


def test_window_and_series_validation(org):
    with pytest.raises(Exception) as exc:
        telemetry.parse_window("yesterday", None)
    assert exc.value.field == "since"
    with pytest.raises(Exception) as exc:
        telemetry.device_series(1, "temperature", *telemetry.parse_window("1h", None))
    assert exc.value.field == "metric"


def test_a_group_of_polls_keeps_each_devices_interfaces_apart(org):
    """The poll job writes a group of devices at once: same interface names on two devices, one
    device seen for the first time, one rebooted, one coming back from down."""
    a, b = make_device(org), make_device(org, status="down")
    t0 = utcnow() - timedelta(minutes=10)
    telemetry.record_polls([(a, data(100_000, sample(1, "eth0", 1_000, 0), sample(2, "eth1", 5_000, 0)))], now=t0)
    db.session.flush()
    summaries = telemetry.record_polls([
        (a, data(500, sample(1, "eth0", 9_000_000, 0), sample(2, "eth1", 9_000_000, 0))),  # rebooted
        (b, data(70_000, sample(1, "eth0", 1_000, 0), sample(3, "eth9", 1_000, 0))),  # first poll, new rows
    ], now=t0 + timedelta(seconds=300))
    db.session.expire_all()
    assert summaries[a.id].rebooted and summaries[a.id].rates == 0 and summaries[a.id].created == 0
    assert summaries[b.id].created == 2 and not summaries[b.id].rebooted
    names = {(i.device_id, i.name, i.if_index) for i in db.session.scalars(select(Interface))}
    assert names == {(a.id, "eth0", 1), (a.id, "eth1", 2), (b.id, "eth0", 1), (b.id, "eth9", 3)}
    per_device = dict(db.session.execute(
        select(Interface.device_id, func.count(InterfaceTelemetry.id))
        .join(Interface, Interface.id == InterfaceTelemetry.interface_id).group_by(Interface.device_id)).all())
    assert per_device == {a.id: 4, b.id: 2}
    kinds = {(e.device_id, e.kind) for e in db.session.scalars(select(DeviceEvent))}
    assert kinds == {(a.id, "reboot"), (b.id, "up")}
    assert a.uptime_seconds == 5 and b.status == "up" and b.last_poll_status == "ok"
