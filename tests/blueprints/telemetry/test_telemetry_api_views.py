"""Telemetry API (scoped series), the dashboard, the device tab fragment and the endpoint search page."""
from __future__ import annotations

from datetime import timedelta

from tests.factories import PASSWORD, make_device, make_org, make_user
from zas.extensions import db
from zas.models import Endpoint, EndpointMove
from zas.models.types import utcnow
from zas.services import accounts, telemetry
from zas.services.snmp import IfSample, PollData, SystemInfo


def polled_device(org, name="core-1"):
    device = make_device(org, name=name)
    t0 = utcnow() - timedelta(minutes=10)
    for n, now in enumerate((t0, t0 + timedelta(seconds=300))):
        s = IfSample(if_index=1, name="Gi0/1", oper_status="up", speed=1_000_000_000, in_octets=n * 37_500_000,
                     out_octets=0, in_errors=n, out_errors=0, in_discards=0, out_discards=0)
        telemetry.record_poll(device, PollData(system=SystemInfo(uptime_ticks=100_000 + n * 30_000),
                                               interfaces=[s], cpu_percent=20.0 + n, mem_used=10, mem_total=40), now=now)
    db.session.flush()
    return device


def bearer(user):
    _, clear = accounts.issue_token(user, "t")
    return {"Authorization": f"Bearer {clear}"}


def test_device_and_interface_series_are_scoped_to_the_callers_organizations(client, org):
    device = polled_device(org)
    other = polled_device(make_org("Other"), "edge-9")
    viewer = make_user("viewer1", role="viewer", org=org)
    h = bearer(viewer)
    resp = client.get(f"/api/v1/devices/{device.id}/telemetry?metric=cpu&since=1h", headers=h)
    assert resp.status_code == 200, resp.json
    assert [p["cpu_percent"] for p in resp.json["points"]] == [20.0, 21.0]
    iface = device.interfaces[0]
    resp = client.get(f"/api/v1/interfaces/{iface.id}/telemetry", headers=h)
    assert resp.status_code == 200
    assert resp.json["points"][-1]["in_bps"] == 1_000_000
    assert client.get(f"/api/v1/devices/{other.id}/telemetry", headers=h).status_code == 404
    assert client.get(f"/api/v1/interfaces/{other.interfaces[0].id}/telemetry", headers=h).status_code == 404
    assert client.get(f"/api/v1/devices/{device.id}/telemetry").status_code == 401


def test_bad_query_names_the_field(client, org):
    device = polled_device(org)
    h = bearer(make_user("viewer2", role="viewer", org=org))
    resp = client.get(f"/api/v1/devices/{device.id}/telemetry?metric=temperature", headers=h)
    assert resp.status_code == 422 and "metric" in resp.json["errors"]
    resp = client.get(f"/api/v1/devices/{device.id}/telemetry?since=yesterday", headers=h)
    assert resp.status_code == 422 and "since" in str(resp.json)


def login(client, user):
    client.post("/login", data={"username": user.username, "password": PASSWORD})


def test_dashboard_page_and_fragment(client, org):
    device = polled_device(org)
    telemetry.record_failure(make_device(org, name="dead-1"), "SnmpTimeout", "no answer")
    login(client, make_user("viewer3", role="viewer", org=org))
    page = client.get("/telemetry")
    assert page.status_code == 200 and b"<html" in page.data
    assert b"dead-1" in page.data and device.name.encode() in page.data  # down list, top interfaces
    frag = client.get("/telemetry", headers={"HX-Request": "true"})
    assert b'id="telemetry-dashboard"' in frag.data and b"<html" not in frag.data


def test_device_telemetry_tab_renders_the_charts(client, org):
    device = polled_device(org)
    login(client, make_user("viewer4", role="viewer", org=org))
    frag = client.get(f"/devices/{device.id}/telemetry", headers={"HX-Request": "true"})
    assert frag.status_code == 200
    assert b'id="tab-telemetry"' in frag.data and b"data-chart" in frag.data
    assert f"/api/v1/devices/{device.id}/telemetry".encode() in frag.data


def test_endpoint_search_page(client, org):
    device = polled_device(org)
    ep = Endpoint(organization_id=org.id, mac="00:50:56:aa:bb:cc", ip="10.1.2.3", vendor="VMware",
                  device_id=device.id, interface_id=device.interfaces[0].id)
    db.session.add(ep)
    db.session.flush()
    db.session.add(EndpointMove(endpoint_id=ep.id, to_device_id=device.id, to_interface_id=device.interfaces[0].id))
    hidden = Endpoint(organization_id=make_org("Else").id, mac="00:50:56:aa:bb:cd", ip="10.1.2.4")
    db.session.add(hidden)
    db.session.flush()
    login(client, make_user("viewer5", role="viewer", org=org))
    for q in ("0050.56aa.bbcc", "10.1.2.3", "10.1.2.0/24", "vmware"):
        resp = client.get("/endpoints/search", query_string={"q": q})
        assert resp.status_code == 200 and b"00:50:56:aa:bb:cc" in resp.data, q
        assert b"00:50:56:aa:bb:cd" not in resp.data
    frag = client.get("/endpoints/search?q=10.1.2.3", headers={"HX-Request": "true"})
    assert b'id="endpoint-results"' in frag.data and b"<html" not in frag.data
    # the section's own address is the same search (what an engineer types)
    page = client.get("/endpoints", query_string={"q": "10.1.2.3"}, follow_redirects=True)
    assert page.status_code == 200 and b"00:50:56:aa:bb:cc" in page.data
