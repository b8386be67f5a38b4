"""Users, memberships, audit and configs over the API: admins only, scoped, permission changes audited."""
from sqlalchemy import select

from tests.blueprints.api.helpers import api_as, personas
from tests.factories import make_device
from zas.extensions import db
from zas.models import AuditEvent, ConfigVersion, User
from zas.services import audit


def test_org_admin_creates_users_only_in_own_organization(app, client):
    org, other, users = personas()
    api = api_as(client, users["admin"])
    resp = api.post("/users", json={"username": "newbie", "password": "long-enough-1", "organization_id": org.id,
                                    "role": "viewer"})
    assert resp.status_code == 201 and resp.json["memberships"][0]["role"] == "viewer"
    assert "password" not in resp.json and "password_hash" not in resp.get_data(as_text=True)
    resp = api.post("/users", json={"username": "x2", "password": "long-enough-1", "organization_id": other.id,
                                    "role": "viewer"})
    assert resp.status_code == 422 and "organization_id" in resp.json["errors"]
    resp = api.post("/users", json={"username": "x3", "password": "long-enough-1", "is_global_admin": True})
    assert resp.status_code == 403
    assert api_as(client, users["operator"]).get("/users").status_code == 403
    assert api.get(f"/users/{users['outsider'].id}").status_code == 404


def test_membership_changes_are_audited_as_permission_changes(app, client):
    org, other, users = personas()
    api = api_as(client, users["admin"])
    m = api.get(f"/memberships?user_id={users['viewer'].id}").json[0]
    resp = api.patch(f"/memberships/{m['id']}", json={"role": "operator"})
    assert resp.status_code == 200 and resp.json["role"] == "operator"
    ev = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "permission.change"))
    assert ev.before["role"] == "viewer" and ev.after["role"] == "operator"
    assert api_as(client, users["operator"]).patch(f"/memberships/{m['id']}", json={"role": "admin"}).status_code == 403


def test_audit_log_is_for_admins_and_scoped(app, client):
    org, other, users = personas()
    audit.record("device.create", organization_id=org.id, actor_name="a", after={"name": "mine"})
    audit.record("device.create", organization_id=other.id, actor_name="b", after={"name": "theirs"})
    db.session.flush()
    rows = api_as(client, users["admin"]).get("/audit?action=device.create").json
    assert [r["after"]["name"] for r in rows] == ["mine"]
    assert api_as(client, users["operator"]).get("/audit").status_code == 403
    assert len(api_as(client, users["global"]).get("/audit?action=device.").json) == 2


def test_audit_events_cannot_be_edited(app):
    ev = audit.record("x.y", actor_name="a")
    db.session.flush()
    ev.action = "changed"
    import pytest

    with pytest.raises(RuntimeError):
        db.session.flush()
    db.session.rollback()


def test_config_text_is_masked_except_for_admins_and_diff(app, client):
    org, other, users = personas()
    device = make_device(org)
    old = ConfigVersion(device_id=device.id, sha256="a" * 64, text="hostname r1\nenable secret 5 S3cr3tHash\n", size=1)
    new = ConfigVersion(device_id=device.id, sha256="b" * 64, text="hostname r2\nenable secret 5 S3cr3tHash\n", size=1)
    db.session.add_all([old, new])
    db.session.flush()
    viewer, admin = api_as(client, users["viewer"]), api_as(client, users["admin"])
    assert [v["id"] for v in viewer.get(f"/devices/{device.id}/configs").json] == [new.id, old.id]
    assert "S3cr3tHash" not in viewer.get(f"/configs/{new.id}").json["text"]
    assert "S3cr3tHash" in admin.get(f"/configs/{new.id}").json["text"]
    diff = viewer.get(f"/configs/{new.id}/diff?against={old.id}").json["diff"]
    assert "-hostname r1" in diff and "+hostname r2" in diff and "S3cr3tHash" not in diff
    assert api_as(client, users["outsider"]).get(f"/configs/{new.id}").status_code == 404
    assert viewer.get(f"/configs/{new.id}/diff").status_code == 422


def test_user_deactivation_is_global_admin_or_org_admin(app, client):
    org, other, users = personas()
    resp = api_as(client, users["admin"]).patch(f"/users/{users['viewer'].id}", json={"is_active": False})
    assert resp.status_code == 200 and db.session.get(User, users["viewer"].id).is_active is False


def test_endpoints_list_filters_and_scoping(app, client):
    from zas.models import Endpoint

    org, other, users = personas()
    device = make_device(org)
    db.session.add_all([
        Endpoint(organization_id=org.id, mac="aa:bb:cc:00:00:01", ip="10.0.0.5", hostname="printer",
                 device_id=device.id),
        Endpoint(organization_id=org.id, mac="aa:bb:cc:00:00:02", ip="10.0.0.6", hostname="laptop"),
        Endpoint(organization_id=other.id, mac="aa:bb:cc:00:00:03", ip="10.0.0.7", hostname="theirs"),
    ])
    db.session.flush()
    api = api_as(client, users["viewer"])
    assert {e["hostname"] for e in api.get("/endpoints").json} == {"printer", "laptop"}
    assert [e["hostname"] for e in api.get("/endpoints?mac=AABB.CC00.0001").json] == ["printer"]
    assert [e["hostname"] for e in api.get("/endpoints?ip=10.0.0.6").json] == ["laptop"]
    assert [e["hostname"] for e in api.get(f"/endpoints?device_id={device.id}").json] == ["printer"]
    assert [e["hostname"] for e in api.get("/endpoints?q=lap").json] == ["laptop"]
    resp = api.get("/endpoints?mac=nonsense")
    assert resp.status_code == 422 and "mac" in resp.json["errors"]


def test_every_api_write_is_audited(app, client):
    org, other, users = personas()
    api = api_as(client, users["admin"])
    site = api.post("/sites", json={"name": "s", "organization_id": org.id}).json
    api.patch(f"/sites/{site['id']}", json={"address": "a"})
    cred = api.post("/credentials", json={"name": "c", "organization_id": org.id, "username": "u",
                                          "password": "pw-123456"}).json
    dev = api.post("/devices", json={"name": "d", "organization_id": org.id, "host": "10.0.0.1",
                                     "platform": "cisco_ios", "credential_id": cred["id"]}).json
    iface = api.post(f"/devices/{dev['id']}/interfaces", json={"name": "Gi0/1"}).json
    api.delete(f"/interfaces/{iface['id']}")
    api.delete(f"/devices/{dev['id']}")
    api.delete(f"/sites/{site['id']}")
    api.patch(f"/organizations/{org.id}", json={"description": "x"})
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"site.create", "site.update", "site.delete", "credential.create", "device.create", "device.delete",
            "interface.create", "interface.delete", "organization.update"} <= actions
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action != "login.success")).all()
    assert all(e.actor_name == users["admin"].username for e in events)
