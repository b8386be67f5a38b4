"""Inventory API: organizations, sites, profiles, devices, interfaces — contract, validation, scoping."""
import json

import pytest
from sqlalchemy import event, func, select

from tests.blueprints.api.helpers import api_as, personas
from tests.factories import make_credential, make_device, make_site, make_snmp_profile
from zas.extensions import db
from zas.models import AuditEvent, Device, DeviceTag, Interface


@pytest.fixture
def world(app, client):
    org, other, users = personas()
    site = make_site(org, "hq")
    cred = make_credential(org, name="ssh")
    return org, other, users, site, cred


def device_body(org, **over):
    body = {"name": "edge-1", "organization_id": org.id, "host": "10.0.0.1", "platform": "cisco_ios"}
    body.update(over)
    return body


def test_operator_creates_device_201_with_id_defaults_and_audit(world, client):
    org, _, users, site, cred = world
    api = api_as(client, users["operator"])
    resp = api.post("/devices", json=device_body(org, site_id=site.id, credential_id=cred.id, tags=["core", "b"]))
    assert resp.status_code == 201, resp.json
    body = resp.json
    assert body["id"] and body["port"] == 22 and body["snmp_port"] == 161 and body["tags"] == ["b", "core"]
    assert body["status"] == "unknown" and "vendor" in body and "drift_status" in body
    ev = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "device.create"))
    assert ev.object_id == body["id"] and ev.actor_name == users["operator"].username and ev.after["host"] == "10.0.0.1"


def test_update_records_before_and_after(world, client):
    org, _, users, *_ = world
    device = make_device(org, name="d1", port=22)
    resp = api_as(client, users["operator"]).patch(f"/devices/{device.id}", json={"port": 2222})
    assert resp.status_code == 200 and resp.json["port"] == 2222
    ev = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "device.update"))
    assert ev.before["port"] == 22 and ev.after["port"] == 2222


@pytest.mark.parametrize("override, field", [
    ({"host": "not a host!"}, "host"),
    ({"platform": "toaster_os"}, "platform"),
    ({"port": 70000}, "port"),
    ({"name": ""}, "name"),
    ({"bogus": 1}, "bogus"),
    ({"organization_id": "x"}, "organization_id"),
    ({"tags": "notalist"}, "tags"),
])
def test_every_invalid_field_is_a_422_naming_it(world, client, override, field):
    org, _, users, *_ = world
    resp = api_as(client, users["operator"]).post("/devices", json=device_body(org, **override))
    assert resp.status_code == 422, resp.json
    assert field in resp.json["errors"] and resp.json["code"]
    assert db.session.scalar(select(func.count(Device.id))) == 0


def test_references_must_be_in_the_devices_organization_and_nothing_is_written(world, client):
    org, other, users, *_ = world
    foreign = make_snmp_profile(other)
    resp = api_as(client, users["admin"]).post("/devices", json=device_body(org, snmp_profile_id=foreign.id))
    assert resp.status_code == 422 and "snmp_profile_id" in resp.json["errors"]
    assert db.session.scalar(select(func.count(Device.id))) == 0
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "device.create")) == 0


def test_duplicate_name_is_a_422_on_name(world, client):
    org, _, users, *_ = world
    make_device(org, name="edge-1")
    resp = api_as(client, users["operator"]).post("/devices", json=device_body(org))
    assert resp.status_code == 422 and "name" in resp.json["errors"]


def test_malformed_json_is_a_clear_400(world, client):
    org, _, users, *_ = world
    resp = api_as(client, users["operator"]).post("/devices", data="{oops", content_type="application/json")
    assert resp.status_code == 400 and "not valid JSON" in resp.json["message"]


def test_oversized_body_is_413(world, client, app, monkeypatch):
    org, _, users, *_ = world
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1000)
    resp = api_as(client, users["operator"]).post(
        "/devices", data=json.dumps(device_body(org, description="x" * 5000)), content_type="application/json")
    assert resp.status_code == 413 and resp.json["status"] == 413


def test_other_organizations_objects_are_404_and_lists_exclude_them(world, client):
    org, other, users, site, cred = world
    device = make_device(org)
    outsider = api_as(client, users["outsider"])
    for path in (f"/devices/{device.id}", f"/sites/{site.id}", f"/credentials/{cred.id}",
                 f"/organizations/{org.id}", f"/devices/{device.id}/interfaces", f"/devices/{device.id}/configs"):
        resp = outsider.get(path)
        assert resp.status_code == 404, path
    assert outsider.patch(f"/devices/{device.id}", json={"port": 23}).status_code == 404
    assert outsider.delete(f"/devices/{device.id}").status_code == 404
    assert outsider.get("/devices").json == []
    # creating into an organization the caller cannot see: a field error, not a 403 that confirms it
    resp = outsider.post("/devices", json=device_body(org))
    assert resp.status_code == 422 and "organization_id" in resp.json["errors"]


def test_viewer_reads_but_cannot_write_operator_cannot_manage_profiles(world, client):
    org, _, users, site, cred = world
    device = make_device(org)
    viewer, operator = api_as(client, users["viewer"]), api_as(client, users["operator"])
    assert viewer.get(f"/devices/{device.id}").status_code == 200
    assert viewer.patch(f"/devices/{device.id}", json={"port": 23}).status_code == 403
    assert viewer.post("/sites", json={"name": "s2", "organization_id": org.id}).status_code == 403
    assert operator.post("/sites", json={"name": "s2", "organization_id": org.id}).status_code == 201
    assert operator.patch(f"/credentials/{cred.id}", json={"username": "x"}).status_code == 403
    assert operator.post("/credentials", json={"name": "c", "organization_id": org.id, "username": "u",
                                               "password": "p4ssword"}).status_code == 403


def test_read_only_token_cannot_write(world, client):
    org, _, users, *_ = world
    api = api_as(client, users["admin"], write=False)
    assert api.get("/devices").status_code == 200
    resp = api.post("/devices", json=device_body(org))
    assert resp.status_code == 403 and "read-only" in resp.json["message"]


def test_secrets_are_write_only(world, client):
    org, _, users, *_ = world
    api = api_as(client, users["admin"])
    resp = api.post("/credentials", json={"name": "c", "organization_id": org.id, "username": "u",
                                          "password": "TopSecret-1", "enable_secret": "Enable-2"})
    assert resp.status_code == 201 and resp.json["has_password"] is True
    resp = api.post("/snmp-profiles", json={"name": "s", "organization_id": org.id, "community": "Comm-3"})
    assert resp.status_code == 201 and resp.json["has_community"] is True
    blob = b"".join(api.get(p).data for p in ("/credentials", "/snmp-profiles", "/audit",
                                               f"/credentials/{resp.json['id'] - 0}"))
    for secret in (b"TopSecret-1", b"Enable-2", b"Comm-3"):
        assert secret not in blob
    ev = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "credential.create"))
    assert ev.after["password"] == "********"


def test_list_paginates_filters_and_sorts(world, client):
    org, _, users, site, _ = world
    for i in range(7):
        d = make_device(org, name=f"n{i}", software_version="15.2" if i % 2 else "16.1", site=site if i < 3 else None)
        d.tags = ["edge"] if i < 2 else []
    db.session.flush()
    api = api_as(client, users["viewer"])
    resp = api.get("/devices?page=2&page_size=3&sort=-name")
    assert resp.status_code == 200
    assert [d["name"] for d in resp.json] == ["n3", "n2", "n1"]
    header = json.loads(resp.headers["X-Pagination"])
    assert header["total"] == 7 and header["page"] == 2 and header["total_pages"] == 3
    assert {d["name"] for d in api.get("/devices?software_version=15.2").json} == {"n1", "n3", "n5"}
    assert {d["name"] for d in api.get("/devices?tag=edge").json} == {"n0", "n1"}
    resp = api.get(f"/devices?site_id={site.id}")
    assert {d["name"] for d in resp.json} == {"n0", "n1", "n2"}, resp.json
    assert [d["name"] for d in api.get("/devices?q=n6").json] == ["n6"]
    resp = api.get("/devices?sort=nope")
    assert resp.status_code == 422 and "sort" in resp.json["errors"]
    resp = api.get("/devices?colour=red")
    assert resp.status_code == 422 and "colour" in resp.json["errors"]


def test_a_page_of_100_devices_takes_a_fixed_number_of_queries(world, client):
    org, _, users, site, cred = world
    for i in range(120):
        d = make_device(org, name=f"q{i:03d}", site=site, credential=cred)
        d.tags = ["a", "b"]
    db.session.flush()
    api = api_as(client, users["viewer"])
    api.get("/devices?page_size=1")  # warm up: token last-used write
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    engine = db.session.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        resp = api.get("/devices?page_size=100&sort=name")
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert resp.status_code == 200 and len(resp.json) == 100
    assert all(len(d["tags"]) == 2 for d in resp.json)
    assert len(statements) <= 8, statements


def test_interfaces_crud_and_listing(world, client):
    org, _, users, *_ = world
    device = make_device(org)
    api = api_as(client, users["operator"])
    resp = api.post(f"/devices/{device.id}/interfaces", json={"name": "Gi0/1", "mac": "AABB.CCDD.EEFF", "vlan": 10,
                                                              "ip_addresses": ["10.1.1.1/24"]})
    assert resp.status_code == 201 and resp.json["mac"] == "aa:bb:cc:dd:ee:ff"
    iface_id = resp.json["id"]
    assert api.post(f"/devices/{device.id}/interfaces", json={"name": "Gi0/1"}).status_code == 422
    resp = api.post(f"/devices/{device.id}/interfaces", json={"name": "Gi0/2", "mac": "zz"})
    assert resp.status_code == 422 and "mac" in resp.json["errors"]
    assert api.patch(f"/interfaces/{iface_id}", json={"description": "uplink"}).json["description"] == "uplink"
    assert [i["name"] for i in api.get(f"/interfaces?device_id={device.id}").json] == ["Gi0/1"]
    assert api.delete(f"/interfaces/{iface_id}").status_code == 204
    assert db.session.scalar(select(func.count(Interface.id))) == 0


def test_organizations_only_global_admin_creates(world, client):
    org, _, users, *_ = world
    assert api_as(client, users["admin"]).post("/organizations", json={"name": "New"}).status_code == 403
    resp = api_as(client, users["global"]).post("/organizations", json={"name": "New"})
    assert resp.status_code == 201 and resp.json["name"] == "New"
    names = {o["name"] for o in api_as(client, users["viewer"]).get("/organizations").json}
    assert names == {org.name}


def test_delete_device_removes_tags(world, client):
    org, _, users, *_ = world
    device = make_device(org)
    device.tags = ["x"]
    db.session.flush()
    assert api_as(client, users["operator"]).delete(f"/devices/{device.id}").status_code == 204
    assert db.session.scalar(select(func.count()).select_from(DeviceTag)) == 0


def test_fast_list_serialisation_equals_the_schema(world):
    from datetime import datetime

    from zas.blueprints.apikit import fast_dump
    from zas.blueprints.devices.schemas import DeviceSchema

    org, _, _, site, cred = world
    device = make_device(org, site=site, credential=cred, vendor="Cisco", model="C9300", serial="X1",
                         software_version="17.9", uptime_seconds=5, last_backup_at=datetime(2026, 1, 2, 3, 4, 5, 6),
                         drift_status="in_sync", description="d")
    device.tags = ["a", "b"]
    db.session.flush()
    bare = make_device(org)
    assert fast_dump(DeviceSchema(), [device, bare]) == DeviceSchema(many=True).dump([device, bare])
