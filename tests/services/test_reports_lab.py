"""Reports over what the lab's SNMP agents really report: two polls give uptime, availability and
interface utilization rows."""
from __future__ import annotations

import time

import pytest

from tests.factories import make_org, make_snmp_profile
from tests.jobs.test_poll_lab import lab_device, run
from zas.lab.pytest_plugin import lab  # noqa: F401  (the session's device lab)
from zas.extensions import db
from zas.models import Device
from zas.services import authz, render, reports

pytestmark = pytest.mark.lab


def test_reports_over_polled_lab_devices(committed_app, lab):
    org = make_org("Lab reports")
    make_snmp_profile(org, name="lab", community=lab.device("lab-ios-01")["community"])
    device = lab_device(org, lab, "lab-ios-01")
    device_id, org_id = device.id, org.id
    db.session.commit()
    run("poll", [device])
    time.sleep(1.5)  # rates need two samples apart in time
    run("poll", [db.session.get(Device, device_id)])
    scope = authz.Scope(user_id=None, username="t", roles={org_id: "viewer"})

    uptime = reports.build("uptime", {}, scope)
    row = dict(zip([c.key for c in uptime.columns], next(iter(uptime.rows))))
    assert row["name"] == "lab-ios-01" and row["polls"] >= 2 and row["availability"] == 100.0
    assert row["uptime_days"] is not None

    util = reports.build("interface-utilization", {}, scope)
    rows = list(util.rows)
    assert rows and all(r[0] == "lab-ios-01" for r in rows)
    assert dict(util.summary)["Interfaces with samples"] >= 1
    assert b"lab-ios-01" in render.render_bytes(reports.build("interface-utilization", {}, scope), "csv")
