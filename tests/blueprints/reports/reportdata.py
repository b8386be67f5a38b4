"""Report test data: a small fleet with facts, interfaces, telemetry, reboots, configs and targets."""
from __future__ import annotations

from datetime import timedelta

from zas.extensions import db
from zas.models import (DeviceEvent, DeviceTelemetry, Interface, InterfaceTelemetry, SoftwareTarget)
from zas.models.types import utcnow
from zas.services import dbmanager
from tests.factories import make_device, make_site

EVIL = '=HYPERLINK("http://evil.example/x","click")'
EVIL_HTML = "<img src=file:///etc/passwd>"
RUNNING = "hostname {name}\ninterface Gi0/1\n description uplink\n shutdown\n"


def build_fleet(org, *, prefix: str = "") -> dict:
    """Four devices in `org`:

    - core: up 30 days, 10 polls all reachable, golden = running (in sync), gi0/1 busy (1 Gb/s, ~50-90%)
    - edge: 2 reboots, 10 polls with 2 unreachable (80 %), running drifted from golden (+2 -1 lines)
    - EVIL (named like a formula): never backed up, no telemetry
    - EVIL_HTML: last backup failed
    """
    now = utcnow()
    site = make_site(org, f"{prefix}HQ")
    core = make_device(org, name=f"{prefix}core", site=site, platform="cisco_ios", vendor="Cisco", model="C9300",
                       software_version="17.9.4", status="up", uptime_seconds=30 * 86400, facts_at=now)
    core.tags = ["core", "dc"]
    edge = make_device(org, name=f"{prefix}edge", site=site, platform="cisco_ios", vendor="Cisco", model="C9300",
                       software_version="17.6.1", status="up", uptime_seconds=3600, facts_at=now)
    evil = make_device(org, name=f"{prefix}{EVIL}", platform="arista_eos", model="7050", software_version="4.30.1F",
                       status="down")
    evil_html = make_device(org, name=f"{prefix}{EVIL_HTML}", platform="arista_eos", model="7050",
                            software_version="4.9.0F", status="unknown")
    for device in (core, edge):
        dbmanager.save_config_version(device, RUNNING.format(name=device.name))
    dbmanager.set_golden(core, dbmanager.latest_version(core.id))
    dbmanager.set_golden(edge, dbmanager.latest_version(edge.id))
    drifted = RUNNING.format(name=edge.name).replace(" shutdown\n", " no shutdown\n") + "ntp server 192.0.2.1\n"
    dbmanager.save_config_version(edge, drifted)
    dbmanager.record_backup_failure(evil_html, "timed out")
    for i in range(10):
        ts = now - timedelta(hours=10 - i)
        db.session.add(DeviceTelemetry(device_id=core.id, resolution="raw", ts=ts, reachable=True,
                                       uptime_seconds=30 * 86400 - (10 - i) * 3600))
        db.session.add(DeviceTelemetry(device_id=edge.id, resolution="raw", ts=ts, reachable=i not in (3, 4),
                                       uptime_seconds=3600 if i not in (3, 4) else None))
    for hours in (5, 2):
        db.session.add(DeviceEvent(device_id=edge.id, kind="reboot", at=now - timedelta(hours=hours)))
    db.session.add(DeviceEvent(device_id=edge.id, kind="reboot", at=now - timedelta(days=30)))  # outside the period
    busy = Interface(device_id=core.id, name="Gi0/1", speed=1_000_000_000, ip_addresses=[])
    quiet = Interface(device_id=core.id, name="Gi0/2", speed=1_000_000_000, ip_addresses=[])
    nospeed = Interface(device_id=edge.id, name="Vlan1", speed=None, ip_addresses=[])
    db.session.add_all([busy, quiet, nospeed])
    db.session.flush()
    for i in range(20):
        ts = now - timedelta(minutes=5 * (20 - i))
        # busy: in 500..880 Mb/s (p95 = 860 Mb/s by nearest rank), out 100 Mb/s flat
        db.session.add(InterfaceTelemetry(interface_id=busy.id, resolution="raw", ts=ts, in_bps=(500 + 20 * i) * 1e6,
                                          out_bps=100e6, in_errors=1, out_errors=0))
        db.session.add(InterfaceTelemetry(interface_id=quiet.id, resolution="raw", ts=ts, in_bps=1e6, out_bps=2e6,
                                          in_errors=0, out_errors=0))
        db.session.add(InterfaceTelemetry(interface_id=nospeed.id, resolution="raw", ts=ts, in_bps=5e6, out_bps=5e6))
    db.session.add(SoftwareTarget(organization_id=org.id, platform="cisco_ios", model="C9300", version="17.9.4"))
    db.session.flush()
    return {"site": site, "core": core, "edge": edge, "evil": evil, "evil_html": evil_html, "busy": busy,
            "quiet": quiet, "nospeed": nospeed}
