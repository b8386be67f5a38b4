"""Inventory and access forms: errors beside the field with values kept, secrets write-only, roles."""
from sqlalchemy import select

from tests.factories import make_credential, make_org
from tests.ui.helpers import sign_in
from zas.extensions import db
from zas.models import CredentialProfile, Device, Site, User


def test_device_form_creates_and_shows_errors_beside_fields(client, app):
    org = make_org("Acme")
    sign_in(client, role="operator", org=org)
    assert "<html" in client.get("/devices/new").get_data(as_text=True)
    resp = client.post("/devices/new", data={"organization_id": org.id, "name": "edge-9", "host": "not a host!",
                                             "port": 22, "platform": "cisco_ios", "snmp_port": 161})
    body = resp.get_data(as_text=True)
    assert resp.status_code == 422 and 'aria-invalid="true"' in body and "neither an IP address" in body
    assert 'value="edge-9"' in body  # the typed value is kept
    resp = client.post("/devices/new", data={"organization_id": org.id, "name": "edge-9", "host": "10.1.1.1",
                                             "port": 22, "platform": "cisco_ios", "snmp_port": 161, "tags": "a, b"})
    device = db.session.scalar(select(Device).where(Device.name == "edge-9"))
    assert resp.status_code == 302 and device.tags == ["a", "b"]
    resp = client.post(f"/devices/{device.id}/edit", data={"organization_id": org.id, "name": "edge-9b",
                                                           "host": "10.1.1.2", "port": 22, "platform": "cisco_ios",
                                                           "snmp_port": 161, "tags": ""})
    db.session.refresh(device)
    assert resp.status_code == 302 and device.name == "edge-9b" and device.tags == []


def test_viewer_cannot_open_device_or_site_forms(client, app):
    org = make_org("Acme")
    sign_in(client, role="viewer", org=org)
    assert client.get("/devices/new").status_code == 403
    assert client.get("/sites/new").status_code == 403


def test_site_form(client, app):
    org = make_org("Acme")
    sign_in(client, role="operator", org=org)
    resp = client.post("/sites/new", data={"organization_id": org.id, "name": "DC1", "address": "Main st"})
    assert resp.status_code == 302
    assert db.session.scalar(select(Site).where(Site.name == "DC1")) is not None
    assert "DC1" in client.get("/sites").get_data(as_text=True)


def test_credential_secrets_are_write_only_and_kept_when_blank(client, app):
    org = make_org("Acme")
    cred = make_credential(org, password="hunter2-secret")
    sign_in(client, role="admin", org=org)
    body = client.get(f"/credentials/{cred.id}/edit").get_data(as_text=True)
    assert "hunter2-secret" not in body and "Leave blank to keep" in body
    resp = client.post(f"/credentials/{cred.id}/edit", data={"organization_id": org.id, "name": "renamed",
                                                             "username": "netops", "password": ""})
    assert resp.status_code == 302, [l for l in resp.get_data(as_text=True).splitlines() if "error" in l]
    db.session.refresh(cred)
    assert cred.name == "renamed" and cred.password.reveal() == "hunter2-secret"


def test_operator_is_not_offered_profile_or_user_admin(client, app):
    org = make_org("Acme")
    sign_in(client, role="operator", org=org)
    for url in ("/credentials", "/snmp-profiles", "/users", "/audit", "/credentials/new", "/users/new"):
        assert client.get(url).status_code == 403, url


def test_snmp_profile_and_user_forms(client, app):
    org = make_org("Acme")
    sign_in(client, role="admin", org=org)
    resp = client.post("/snmp-profiles/new", data={"organization_id": org.id, "name": "v2", "version": "2c",
                                                   "community": "c0mm", "priority": 10})
    assert resp.status_code == 302, [l for l in resp.get_data(as_text=True).splitlines() if "error" in l]
    resp = client.post("/users/new", data={"username": "newbie", "password": "short", "organization_id": org.id,
                                           "role": "viewer"})
    assert resp.status_code == 422 and "password must be at least" in resp.get_data(as_text=True)
    resp = client.post("/users/new", data={"username": "newbie", "password": "a long enough password",
                                           "organization_id": org.id, "role": "viewer"})
    assert resp.status_code == 302 and db.session.scalar(select(User).where(User.username == "newbie"))
    assert "newbie" in client.get("/users").get_data(as_text=True)
