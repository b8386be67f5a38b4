"""Admin-set target software versions: the service, /api/v1/software-targets, the page, and the
software-versions report's use of them."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.blueprints.api.helpers import api_as, quick_user
from tests.factories import PASSWORD, make_device, make_org
from zas.errors import Conflict, PermissionDenied, ValidationError
from zas.extensions import db
from zas.models import AuditEvent, SoftwareTarget
from zas.services import authz, reports, software_targets


def body(org, **over):
    return {"organization_id": org.id, "platform": "cisco_ios", "model": "C9300", "version": "17.9.4", **over}


def audit_actions(prefix="software_target."):
    return [e.action for e in db.session.scalars(select(AuditEvent).where(AuditEvent.action.startswith(prefix))
                                                 .order_by(AuditEvent.id))]


# -- service ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("over, field", [
    ({"platform": "not_a_platform"}, "platform"), ({"platform": ""}, "platform"), ({"model": "  "}, "model"),
    ({"model": "m" * 129}, "model"), ({"version": ""}, "version"), ({"version": "v" * 129}, "version"),
    ({"organization_id": 999_999}, "organization_id"),
])
def test_service_names_the_bad_field_and_writes_nothing(org, over, field):
    scope = authz.Scope(user_id=None, username="a", roles={org.id: "admin"})
    with pytest.raises(ValidationError) as info:
        software_targets.create_target(scope, body(org, **over))
    assert info.value.field == field
    assert db.session.scalar(select(SoftwareTarget.id)) is None and audit_actions() == []


def test_service_audits_every_change_and_refuses_duplicates(org):
    admin = quick_user(role="admin", org=org)
    scope = authz.scope_for(admin)
    target = software_targets.create_target(scope, body(org, model=" C9300 "), actor=admin)
    assert target.model == "C9300"
    with pytest.raises(Conflict):
        software_targets.create_target(scope, body(org, version="17.6.1"))
    other = software_targets.create_target(scope, body(org, model="C9500"))
    with pytest.raises(Conflict):
        software_targets.update_target(scope, other, {"model": "C9300"})
    software_targets.update_target(scope, target, {"version": "17.12.2"}, actor=admin)
    software_targets.delete_target(scope, other, actor=admin)
    assert audit_actions() == ["software_target.create", "software_target.create", "software_target.update",
                               "software_target.delete"]
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "software_target.update")).one()
    assert event.actor_name == admin.username and event.organization_id == org.id
    viewer = authz.Scope(user_id=None, username="v", roles={org.id: "viewer"})
    with pytest.raises(PermissionDenied):
        software_targets.update_target(viewer, target, {"version": "1"})


# -- API -------------------------------------------------------------------------------------------

def test_api_create_read_update_delete(app, client, org):
    api = api_as(client, quick_user(role="admin", org=org))
    resp = api.post("/software-targets", json=body(org))
    assert resp.status_code == 201, resp.json
    created = resp.json
    assert created["id"] and created["version"] == "17.9.4" and created["organization_id"] == org.id
    assert api.get(f"/software-targets/{created['id']}").json["model"] == "C9300"
    resp = api.patch(f"/software-targets/{created['id']}", json={"version": "17.12.2"})
    assert resp.status_code == 200 and resp.json["version"] == "17.12.2"
    listed = api.get("/software-targets", query_string={"organization_id": org.id, "platform": "cisco_ios"})
    assert [t["version"] for t in listed.json] == ["17.12.2"] and "X-Pagination" in listed.headers
    assert api.get("/software-targets", query_string={"platform": "arista_eos"}).json == []
    assert api.delete(f"/software-targets/{created['id']}").status_code == 204
    assert api.get(f"/software-targets/{created['id']}").status_code == 404
    assert audit_actions() == ["software_target.create", "software_target.update", "software_target.delete"]


def test_api_duplicate_is_409_and_bad_platform_422_naming_it(app, client, org):
    api = api_as(client, quick_user(role="admin", org=org))
    assert api.post("/software-targets", json=body(org)).status_code == 201
    dup = api.post("/software-targets", json=body(org, version="1.0"))
    assert dup.status_code == 409 and dup.json["code"]
    bad = api.post("/software-targets", json=body(org, platform="windows_95", model="X"))
    assert bad.status_code == 422 and "platform" in bad.json["errors"]
    long = api.post("/software-targets", json=body(org, model="m" * 129))
    assert long.status_code == 422 and "model" in long.json["errors"]
    unknown = api.post("/software-targets", json=body(org, model="Y", colour="red"))
    assert unknown.status_code == 422 and "colour" in unknown.json["errors"]


def test_api_other_organizations_targets_are_invisible(app, client, org):
    other = make_org("Other")
    theirs = SoftwareTarget(organization_id=other.id, platform="cisco_ios", model="C9300", version="1.0")
    mine = SoftwareTarget(organization_id=org.id, platform="cisco_ios", model="C9300", version="2.0")
    db.session.add_all([theirs, mine])
    db.session.flush()
    api = api_as(client, quick_user(role="admin", org=org))
    assert [t["id"] for t in api.get("/software-targets").json] == [mine.id]
    for method, kwargs in (("get", {}), ("patch", {"json": {"version": "3"}}), ("delete", {})):
        assert getattr(api, method)(f"/software-targets/{theirs.id}", **kwargs).status_code == 404
    create = api.post("/software-targets", json=body(other, model="Z"))
    assert create.status_code == 422 and "organization_id" in create.json["errors"]
    assert db.session.get(SoftwareTarget, theirs.id).version == "1.0"


def test_api_viewer_reads_but_cannot_write(app, client, org):
    target = SoftwareTarget(organization_id=org.id, platform="cisco_ios", model="C9300", version="2.0")
    db.session.add(target)
    db.session.flush()
    for role in ("viewer", "operator"):
        api = api_as(client, quick_user(role=role, org=org))
        assert api.get(f"/software-targets/{target.id}").status_code == 200
        assert api.post("/software-targets", json=body(org, model="N")).status_code == 403
        assert api.patch(f"/software-targets/{target.id}", json={"version": "3"}).status_code == 403
        assert api.delete(f"/software-targets/{target.id}").status_code == 403
    assert db.session.get(SoftwareTarget, target.id).version == "2.0" and audit_actions() == []


# -- page ------------------------------------------------------------------------------------------

def login(client, user):
    resp = client.post("/login", data={"username": user.username, "password": PASSWORD})
    assert resp.status_code in (302, 303)


def test_page_lists_targets_and_admins_add_edit_delete(app, client, org):
    admin = quick_user(role="admin", org=org)
    login(client, admin)
    page = client.get("/reports/software-targets")
    assert page.status_code == 200 and b"<html" in page.data and b"Add a target version" in page.data
    resp = client.post("/reports/software-targets", data=body(org), headers={"HX-Request": "true"})
    assert resp.status_code == 200 and b'id="software-targets"' in resp.data and b"<html" not in resp.data
    assert b"Target added." in resp.data and b"17.9.4" in resp.data
    target = db.session.scalars(select(SoftwareTarget)).one()
    dup = client.post("/reports/software-targets", data=body(org), headers={"HX-Request": "true"})
    assert b"already has a target" in dup.data and b'role="alert"' in dup.data
    bad = client.post("/reports/software-targets", data=body(org, platform="nope", model="X"))
    assert bad.status_code == 422 and b"not a netmiko device_type" in bad.data and b"<html" in bad.data
    assert b'value="X"' in bad.data  # the admin's input is kept
    resp = client.post(f"/reports/software-targets/{target.id}", data={"version": "17.12.2"})
    assert resp.status_code == 303
    assert db.session.get(SoftwareTarget, target.id).version == "17.12.2"
    assert b"17.12.2" in client.get("/reports/software-targets").data
    resp = client.post(f"/reports/software-targets/{target.id}/delete", headers={"HX-Request": "true"})
    assert resp.status_code == 200 and b"Target deleted." in resp.data
    assert db.session.get(SoftwareTarget, target.id) is None
    link = client.get("/reports/software-versions")
    assert b'href="/reports/software-targets"' in link.data


def test_page_is_read_only_for_a_viewer(app, client, org):
    db.session.add(SoftwareTarget(organization_id=org.id, platform="cisco_ios", model="C9300", version="2.0"))
    db.session.flush()
    login(client, quick_user(role="viewer", org=org))
    page = client.get("/reports/software-targets")
    assert page.status_code == 200 and b"2.0" in page.data
    assert b"Add a target version" not in page.data and b"<form" not in page.data.split(b'id="software-targets"')[1]
    assert client.post("/reports/software-targets", data=body(org, model="N")).status_code == 403


def test_forms_carry_and_require_the_csrf_token(app, client, org, monkeypatch):
    admin = quick_user(role="admin", org=org)
    login(client, admin)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    page = client.get("/reports/software-targets").data.decode()
    assert 'name="csrf_token"' in page and 'name="csrf-token"' in page
    resp = client.post("/reports/software-targets", data=body(org), headers={"HX-Request": "true"})
    assert resp.status_code == 400 and db.session.scalar(select(SoftwareTarget.id)) is None


# -- the report ------------------------------------------------------------------------------------

def test_report_uses_the_admins_target_over_the_newest_running(app, client, org):
    for i, version in enumerate(("17.6.1", "17.9.4", "17.12.2")):
        make_device(org, name=f"sw{i}", platform="cisco_ios", model="C9300", software_version=version)
    scope = authz.Scope(user_id=None, username="v", roles={org.id: "viewer"})

    def rows():
        report = reports.build("software-versions", {}, scope)
        keys = [c.key for c in report.columns]
        return {r[3]: dict(zip(keys, r)) for r in report.rows}

    before = rows()
    assert before["17.9.4"]["target"] == "17.12.2" and before["17.9.4"]["target_source"] == "newest running"
    api = api_as(client, quick_user(role="admin", org=org))
    created = api.post("/software-targets", json=body(org, version="17.9.4")).json
    after = rows()
    assert after["17.9.4"]["action"] == "on target" and after["17.9.4"]["target_source"] == "golden"
    assert after["17.12.2"]["action"] == "downgrade to 17.9.4" and after["17.6.1"]["action"] == "upgrade to 17.9.4"
    api.delete(f"/software-targets/{created['id']}")
    assert rows()["17.9.4"]["target"] == "17.12.2"


def test_page_suggests_the_models_of_the_admins_inventory(app, client, org):
    make_device(org, model="C9300-48P")
    make_device(make_org("Elsewhere"), model="SECRET-MODEL-X")  # another organization's
    db.session.flush()
    login(client, quick_user(role="admin", org=org))
    page = client.get("/reports/software-targets").data
    assert b'<datalist id="models"><option value="C9300-48P"></datalist>' in page
    assert b"SECRET-MODEL-X" not in page
