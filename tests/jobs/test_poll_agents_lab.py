"""Poll jobs against the lab's odd agents: garbage answers, Q-BRIDGE-only switches, IPv6 neighbours,
and the reverse DNS step (issue #7)."""
from __future__ import annotations

import ipaddress
import time

import pytest
from sqlalchemy import func, select

from tests.factories import make_device, make_org, make_snmp_profile
from tests.jobs.helpers import wait_for_job
from zas.extensions import db
from zas.jobs import dispatch
from zas.models import Device, DeviceEvent, DeviceTelemetry, Endpoint, Interface, InterfaceTelemetry
from zas.services import automation, endpoints

pytestmark = pytest.mark.lab


def lab_devices(lab, *names):
    org = make_org(f"Lab-{names[0]}")
    make_snmp_profile(org, community=lab.device(names[0])["community"])
    devices = []
    for name in names:
        d = lab.device(name)
        devices.append(make_device(org, name=name, host=d["host"], snmp_port=d["snmp_port"], platform=d["platform"]))
    db.session.commit()
    return {d.name: d.id for d in devices}


def poll(ids):
    job = automation.create_job("poll", [db.session.get(Device, i) for i in ids.values()], {}, actor_name="test")
    db.session.commit()
    dispatch.enqueue_job(job.id)
    return wait_for_job(job.id)


def lab_host_addresses(lab, name):
    """The IPv6 ULA addresses the lab gives the end hosts behind device `name` ({vlan: [...]})."""
    n = [d["name"] for d in lab.devices].index(name) + 1
    return {vlan: [f"fd00:{n >> 8:x}:{n & 255:x}:{vlan:x}::{10 + k:x}" for k in range(2)] for vlan in (10, 20)}


def test_garbage_agent_is_stored_as_unknown_logged_once_and_never_fails_the_job(committed_app, lab):
    ids = lab_devices(lab, "lab-ios-05", "lab-ios-01")  # snmp-garbage, healthy
    for _ in range(2):
        job = poll(ids)
        assert job.status == "succeeded", [(r.device_name, r.error) for r in job.results]
        assert [r.status for r in job.results] == ["succeeded"] * 2
    db.session.remove()
    bad, good = ids["lab-ios-05"], ids["lab-ios-01"]

    events = dict(db.session.execute(select(DeviceEvent.device_id, func.count()).where(
        DeviceEvent.kind == "agent_garbage").group_by(DeviceEvent.device_id)).all())
    assert events == {bad: 1}  # once for the garbage agent over two polls, never for the good one
    kinds = db.session.scalar(select(DeviceEvent.detail).where(DeviceEvent.device_id == bad))["kinds"]
    assert {"not a number (OCTETSTR): ifHCInOctets", "missing: ifHCOutOctets", "out of range: sysUpTime",
            "not a number (OCTETSTR): in_errors", "out of range: hrProcessorLoad"} <= set(kinds)

    def samples(device_id):
        return db.session.execute(
            select(InterfaceTelemetry.in_bps, InterfaceTelemetry.out_bps, InterfaceTelemetry.in_errors,
                   Interface.speed, Interface.admin_status)
            .join(Interface, Interface.id == InterfaceTelemetry.interface_id)
            .where(Interface.device_id == device_id).order_by(InterfaceTelemetry.ts)).all()

    garbage = samples(bad)
    assert len(garbage) == 8  # 4 interfaces x 2 polls: every row stored ...
    # ... with the bad values unknown: no rate (neither 0 nor a spike), no speed, no error count
    assert all(r.in_bps is None and r.out_bps is None and r.in_errors is None and r.speed is None for r in garbage)
    second = samples(good)[-4:]
    assert [r.in_bps is not None for r in second if r.admin_status == "up"] == [True] * 3
    assert all(r.speed == 1_000_000_000 for r in second)

    device_rows = {d: db.session.execute(select(DeviceTelemetry.uptime_seconds, DeviceTelemetry.cpu_percent)
                                         .where(DeviceTelemetry.device_id == d)).all() for d in (bad, good)}
    assert device_rows[bad] == [(None, None), (None, None)]  # negative uptime, 250 % CPU: unknown
    assert all(u and u > 0 and c is not None for u, c in device_rows[good])
    assert db.session.get(Device, bad).uptime_seconds is None
    assert db.session.get(Device, bad).last_poll_status == "ok"


@pytest.mark.parametrize("name, ports", [("lab-eos-01", {"Ethernet2": 10, "Ethernet3": 20}),
                                         ("lab-junos-01", {"ge-0/0/1": 10, "ge-0/0/2": 20})])
def test_endpoints_from_a_q_bridge_only_switch_with_vlans_and_ipv6(committed_app, lab, name, ports):
    """EOS (FID = VLAN) and Junos (own FIDs mapped by dot1qVlanFdbId, bridge ports != ifIndex) serve
    no dot1dTpFdbTable: endpoints come from dot1qTpFdbTable, with the VLAN and IPv4/IPv6 addresses."""
    ids = lab_devices(lab, name)
    job = poll(ids)
    assert job.status == "succeeded", [(r.error_class, r.error) for r in job.results]
    db.session.remove()
    rows = db.session.execute(select(Endpoint, Interface.name).join(Interface, Interface.id == Endpoint.interface_id)
                              .where(Endpoint.device_id == ids[name])).all()
    assert len(rows) == 4
    assert {(port, ep.vlan) for ep, port in rows} == set(ports.items())
    expected = lab_host_addresses(lab, name)
    for ep, port in rows:
        # the global address, not the link-local one the neighbour table also holds
        assert ep.ipv6 in expected[ports[port]] and ep.ip and ipaddress.ip_address(ep.ip).version == 4

    # "where is this IP?" finds it by IPv6, in any spelling, and by IPv6 prefix
    ep = rows[0][0]
    spelled = ipaddress.ip_address(ep.ipv6).exploded.upper()
    assert [e.id for e in endpoints.search(spelled, None)] == [ep.id]
    net = ipaddress.ip_network(f"{ep.ipv6}/64", strict=False)
    assert {e.id for e in endpoints.search(str(net), None)} == {e.id for e, _ in rows if e.vlan == ep.vlan}


def test_poll_names_endpoints_by_reverse_dns(committed_app, lab, monkeypatch):
    """The poll's endpoint step asks the resolver for each endpoint address. The lab's end hosts are
    10.x/fd00:: addresses that only a real DNS server could answer, so the resolver is replaced
    here (the real one is tested with loopback addresses in tests/services/test_endpoint_dns.py)."""
    asked = []

    def resolver(address):
        asked.append(address)
        # slow: a job reported finished before its names were written would be caught below
        time.sleep(0.3)
        return f"host-{address.replace('.', '-').replace(':', '-')}.lab" if address.endswith(".10") else None

    monkeypatch.setattr(endpoints, "reverse_lookup", resolver)
    monkeypatch.setitem(committed_app.config, "ENDPOINT_DNS", True)
    endpoints.clear_name_cache()
    ids = lab_devices(lab, "lab-ios-02")
    job = poll(ids)
    assert job.status == "succeeded" and "2 named" in job.results[0].output
    db.session.remove()
    eps = list(db.session.scalars(select(Endpoint).where(Endpoint.device_id == ids["lab-ios-02"])))
    assert len(eps) == 4
    for ep in eps:
        if ep.ip.endswith(".10"):
            assert ep.hostname == f"host-{ep.ip.replace('.', '-')}.lab"
        else:
            assert ep.hostname is None
    assert set(asked) == {a for ep in eps for a in (ep.ip, ep.ipv6)}
    endpoints.clear_name_cache()
