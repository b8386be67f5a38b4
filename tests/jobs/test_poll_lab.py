"""Poll and SNMP discover jobs against the device lab's SNMP agents (v2c, v3 authPriv, faults)."""
from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

from tests.factories import make_device, make_org, make_snmp_profile
from tests.jobs.helpers import wait_for_job
from zas.errors import SnmpTimeout
from zas.extensions import db
from zas.jobs import dispatch
from zas.models import Device, DeviceEvent, Endpoint, Interface, InterfaceTelemetry
from zas.services import automation, snmp, telemetry

pytestmark = pytest.mark.lab


def lab_device(org, lab, name, **kw):
    d = lab.device(name)
    return make_device(org, name=name, host=d["host"], snmp_port=d["snmp_port"], platform=d["platform"], **kw)


def v3_profile(org, lab, name):
    v3 = lab.device(name)["snmp_v3"]
    return make_snmp_profile(org, name="v3", version="3", community=None, username=v3["username"],
                             auth_protocol=v3["auth_protocol"], auth_key=v3["auth_key"],
                             priv_protocol=v3["priv_protocol"], priv_key=v3["priv_key"], priority=50)


def run(kind, devices):
    job = automation.create_job(kind, devices, {}, actor_name="test")
    db.session.commit()
    dispatch.enqueue_job(job.id)
    return wait_for_job(job.id)


def test_poll_job_rates_profiles_v3_endpoints_and_a_dead_agent(committed_app, lab):
    org = make_org("Lab")
    wrong = make_snmp_profile(org, name="wrong", community="not-the-community", priority=10)
    right = make_snmp_profile(org, name="right", community=lab.device("lab-ios-01")["community"], priority=20)
    v3 = v3_profile(org, lab, "lab-eos-01")
    ios = lab_device(org, lab, "lab-ios-01")
    eos = lab_device(org, lab, "lab-eos-01", snmp_profile_id=v3.id)
    dead = lab_device(org, lab, "lab-eos-03")  # snmp-timeout fault
    devices = [ios, eos, dead]
    ids = {d.name: d.id for d in devices}
    right_id, v3_id = right.id, v3.id
    db.session.commit()

    first_status = run("poll", devices).status
    time.sleep(1.5)  # counters grow with wall time; two samples need time between them
    second = run("poll", [db.session.get(Device, i) for i in ids.values()])
    assert first_status == second.status == "partial"  # the dead agent fails alone
    results = {r.device_name: r for r in second.results}
    assert results["lab-eos-03"].error_class == "SnmpTimeout"
    assert results["lab-ios-01"].status == results["lab-eos-01"].status == "succeeded"

    db.session.remove()
    ios, eos, dead = (db.session.get(Device, ids[n]) for n in ("lab-ios-01", "lab-eos-01", "lab-eos-03"))
    assert ios.snmp_profile_id == right_id  # the wrong community was tried first, the right one remembered
    assert eos.snmp_profile_id == v3_id and eos.last_poll_status == "ok"
    assert dead.last_poll_status == "timeout" and dead.status == "down"
    for device in (ios, eos):
        rows = db.session.execute(
            select(Interface.if_index, InterfaceTelemetry.in_bps, InterfaceTelemetry.out_bps)
            .join(Interface, Interface.id == InterfaceTelemetry.interface_id)
            .where(Interface.device_id == device.id, InterfaceTelemetry.in_bps.is_not(None),
                   Interface.admin_status == "up")).all()
        assert rows and all(i > 0 and o > 0 for _, i, o in rows), device.name
        # the interface whose 32-bit counters wrap is read from its 64-bit counters: no spike
        wrap = [i for idx, i, _ in rows if idx == 3]
        assert wrap and all(i < 2 * 800_000_000 for i in wrap)
    assert ios.uptime_seconds and ios.uptime_seconds > 0
    eps = list(db.session.scalars(select(Endpoint).where(
                                                         Endpoint.device_id == ios.id)))
    assert len(eps) == 4 and all(e.ip and e.interface_id for e in eps)  # two hosts on each of two access ports
    assert not db.session.scalar(select(func.count()).select_from(DeviceEvent).where(DeviceEvent.kind == "reboot"))


def test_snmp_discover_fills_interfaces_and_facts_without_a_credential(committed_app, lab):
    org = make_org("LabDisc")
    make_snmp_profile(org, community=lab.device("lab-junos-01")["community"])
    device = lab_device(org, lab, "lab-junos-01")  # no credential profile: SNMP only
    device_id = device.id
    db.session.commit()
    job = run("discover", [device])
    assert job.status == "succeeded", [(r.error_class, r.error) for r in job.results]
    db.session.remove()
    device = db.session.get(Device, device_id)
    assert device.vendor == "Juniper" and device.hostname and device.facts_at is not None
    assert {i.name for i in device.interfaces} >= {"ge-0/0/0", "ge-0/0/1"}
    assert all(i.mac and i.if_index for i in device.interfaces)


def test_wrong_community_only_is_auth_failed_and_a_dead_agent_is_timeout(app, lab):
    settings = snmp.SnmpSettings(timeout=0.5, retries=0)
    d = lab.device("lab-ios-01")
    wrong = snmp.SnmpCredentials(1, "2c", community="nope")
    with pytest.raises(snmp.SnmpAuthFailed if hasattr(snmp, "SnmpAuthFailed") else Exception):
        snmp.connect(snmp.SnmpTarget(None, "x", d["host"], d["snmp_port"], (wrong,)), settings)
    dead = lab.device("lab-eos-03")
    with pytest.raises(SnmpTimeout):
        snmp.connect(snmp.SnmpTarget(None, "x", dead["host"], dead["snmp_port"], (wrong,)), settings)


def test_answers_are_light_varbinds_and_easysnmp_keeps_its_own_class(app, lab, caplog):
    """ZAS's calls have easysnmp's C layer build `snmp.Varbind`s (no per-attribute Python hook) with
    the same values the stock class carries, and skip its per-varbind DEBUG lines unless they are
    wanted; the stock class and logger are back after each call, even a failed one."""
    import logging

    import easysnmp

    stock = easysnmp.SNMPVariable
    d = lab.device("lab-ios-01")
    creds = snmp.SnmpCredentials(1, "2c", community=d["community"])
    target = snmp.SnmpTarget(None, "x", d["host"], d["snmp_port"])
    with snmp.Session(target, creds, snmp.SnmpSettings(timeout=1, retries=1)) as session:
        answer = session._call("get_bulk", ["." + snmp.IF_NAME, "." + snmp.IF_OPER], 0, 5)
        assert answer and all(type(v) is snmp.Varbind for v in answer)
        assert easysnmp.SNMPVariable is stock
        plain = easysnmp.Session(hostname=d["host"], remote_port=d["snmp_port"], version=2,
                                 community=d["community"], use_numeric=True)
        expected = plain.get_bulk(["." + snmp.IF_NAME, "." + snmp.IF_OPER], 0, 5)
        assert all(type(v) is stock for v in expected)
        assert [(v.oid, v.oid_index, v.snmp_type, v.value) for v in answer] == \
            [(v.oid, v.oid_index, v.snmp_type, v.value) for v in expected]
        table = session.walk([snmp.IF_NAME])[snmp.IF_NAME]
        names = {(v.snmp_type, v.value) for v in expected if v.oid == "." + snmp.IF_NAME}
        assert names and names <= set(table.values()) and easysnmp.SNMPVariable is stock
    dead = lab.device("lab-eos-03")
    with pytest.raises(SnmpTimeout):
        snmp.connect(snmp.SnmpTarget(None, "x", dead["host"], dead["snmp_port"], (creds,)),
                     snmp.SnmpSettings(timeout=0.3, retries=0))
    assert easysnmp.SNMPVariable is stock and "debug" not in vars(logging.getLogger("easysnmp.interface"))
    with caplog.at_level(logging.DEBUG, logger="easysnmp.interface"):  # troubleshooting: the lines come
        with snmp.Session(target, creds, snmp.SnmpSettings(timeout=1, retries=1)) as session:
            session.walk([snmp.IF_NAME])
    assert any(r.name == "easysnmp.interface" and "getbulk" in r.getMessage() for r in caplog.records)


def test_the_profile_check_answer_is_the_polls_system_group(app, lab):
    """connect() checks a profile with a GET of the system group; the poll's read_system uses that
    answer instead of asking again, and asks itself when there is none."""
    d = lab.device("lab-ios-01")
    creds = snmp.SnmpCredentials(1, "2c", community=d["community"])
    target = snmp.SnmpTarget(None, "x", d["host"], d["snmp_port"], (creds,))
    session, _ = snmp.connect(target, snmp.SnmpSettings(timeout=1, retries=1))
    with session:
        assert session.requests == 1
        system = snmp.read_system(session, [])
        assert session.requests == 1 and system.name == "lab-ios-01" and system.uptime_ticks > 0
        assert system.if_number and system.if_number >= 4
        again = snmp.read_system(session, [])
        assert session.requests == 2 and again.name == system.name and again.uptime_ticks >= system.uptime_ticks


@pytest.mark.slow
def test_a_32_bit_wrap_gives_no_spike(app, lab):
    """Read the wrapping interface's 32-bit counters until they wrap; the rate across it is the real one."""
    d = lab.device("lab-ios-02")
    creds = snmp.SnmpCredentials(1, "2c", community=d["community"])
    settings = snmp.SnmpSettings(timeout=1, retries=1)
    columns = tuple(c for c in snmp.POLL_COLUMNS if c not in (snmp.IF_HC_IN, snmp.IF_HC_OUT))
    prev = None
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        with snmp.Session(snmp.SnmpTarget(None, "x", d["host"], d["snmp_port"]), creds, settings) as session:
            row = next(s for s in snmp.read_interfaces(session, [], columns) if s.if_index == 3)
        now = time.monotonic()
        assert row.bits == 32
        if prev is not None and row.in_octets < prev[1]:
            rate = telemetry.rate_bps(prev[1], row.in_octets, 32, now - prev[0], row.speed)
            assert rate == pytest.approx(800_000_000, rel=0.5)  # 100 MB/s, not a 2**32 spike
            return
        prev = (now, row.in_octets)
        time.sleep(2)
    pytest.fail("the lab's 32-bit counter did not wrap within 90 s")


def test_a_reboot_gives_no_spike_and_an_event(app, lab):
    import netmiko

    org = make_org("LabReboot")
    name = "lab-ios-02"
    device = lab_device(org, lab, name)
    creds = snmp.SnmpCredentials(None, "2c", community=lab.device(name)["community"])
    target = snmp.SnmpTarget(device.id, name, device.host, device.snmp_port, (creds,))
    settings = snmp.SnmpSettings(timeout=0.5, retries=0)

    def poll():
        session, _ = snmp.connect(target, settings)
        with session:
            return telemetry.record_poll(device, snmp.poll(session))

    poll()
    conn = netmiko.ConnectHandler(**lab.netmiko_params(name))
    conn.enable()
    out = conn.send_command("reload", expect_string=r"\[yes/no\]|\[confirm\]", read_timeout=10)
    if "yes/no" in out:
        out = conn.send_command("no", expect_string=r"\[confirm\]", read_timeout=10)
    conn.write_channel("\n")
    time.sleep(1)  # the lab drops the session once the reload starts
    try:
        conn.disconnect()
    except Exception:  # noqa: BLE001 (the device went away under the session: expected)
        pass
    deadline = time.monotonic() + 30
    while True:
        try:
            summary = poll()
            break
        except SnmpTimeout:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
    assert summary.rebooted and summary.rates == 0
    assert db.session.scalar(select(func.count()).select_from(DeviceEvent).where(
        DeviceEvent.device_id == device.id, DeviceEvent.kind == "reboot")) == 1


def test_scheduled_poll_runs_on_an_rq_worker_and_stores_samples(lab, rq_app):
    """The default "SNMP poll" schedule, due now, goes through Redis to a `zas worker` (snmp queue)."""
    from datetime import timedelta

    from tests.jobs.conftest import start_worker
    from zas.jobs import schedules
    from zas.jobs.poll import DEFAULT_POLL
    from zas.models import AutomationJob, Schedule
    from zas.models.types import utcnow

    org = make_org("Lab-rq")
    make_snmp_profile(org, community=lab.device("lab-ios-01")["community"])
    ids = [lab_device(org, lab, name).id for name in ("lab-ios-01", "lab-eos-01")]
    db.session.commit()
    schedules.ensure_defaults()
    poll_schedule = db.session.scalars(select(Schedule).where(Schedule.organization_id == org.id,
                                                              Schedule.name == DEFAULT_POLL)).one()
    poll_schedule.next_run_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    started = schedules.tick()
    db.session.remove()
    job_id = db.session.scalars(select(AutomationJob.id).where(AutomationJob.id.in_(started),
                                                               AutomationJob.kind == "poll")).one()
    worker = start_worker(rq_app, "--burst")
    out, _ = worker.communicate(timeout=120)
    assert worker.returncode == 0, out
    job = wait_for_job(job_id, 10)
    assert job.status == "succeeded", [(r.device_name, r.error) for r in job.results]
    samples = db.session.scalar(select(func.count()).select_from(InterfaceTelemetry)
                                .join(Interface, Interface.id == InterfaceTelemetry.interface_id)
                                .where(Interface.device_id.in_(ids)))
    assert samples > 0 and all("interfaces" in r.output for r in job.results)
    assert {d.last_poll_status for d in db.session.scalars(select(Device).where(Device.id.in_(ids)))} == {"ok"}
