"""The access matrix: every registered route × method, tried as anonymous, viewer, operator and
admin of the owning organization, an admin of another organization and a global admin.

Expectations come from RULES below, one line per route. A route that is registered but not
listed fails `test_every_route_is_in_the_matrix`, so a new page or endpoint cannot ship without
saying who may use it.

Needs:
  public        anyone, signed in or not
  login         any signed-in user
  viewer/operator/admin
                that role in the organization owning the object in the path (an outsider: 404;
                a lower role in the owning organization: 403). Without an object in the path
                (lists, creates), a lower role gets 403 and an outsider 403/404/422 (creating
                into an organization they cannot see is a field error).
  any_operator/any_admin
                that role in at least one organization (checked before any object)
  global_admin  global admins only
  self          only the object's owner (the owning org's admin persona here); anyone else 404
"""
from __future__ import annotations

import pytest
from flask import g
from sqlalchemy import select

from tests.blueprints.api.helpers import api_as, quick_user
from tests.factories import PASSWORD, make_credential, make_device, make_org, make_site, make_snmp_profile
from zas.extensions import db
from zas.models import (ApiToken, ConfigVersion, Endpoint, Interface, Membership, Schedule, SoftwareTarget,
                        StoredReport)
from zas.services import accounts, automation

PERSONAS = ("anonymous", "viewer", "operator", "admin", "outsider", "global")
RANK = {"viewer": 1, "operator": 2, "admin": 3}

# (method, rule): (need, body). Bodies are valid for the lowest allowed role; "csv:" bodies are uploads.
RULES: dict[tuple[str, str], tuple[str, object]] = {
    # --- REST API -------------------------------------------------------------------------------
    ("POST", "/api/v1/auth/tokens"): ("public", lambda w: {"username": w["users"]["viewer"].username,
                                                           "password": PASSWORD}),
    ("GET", "/api/v1/openapi.json"): ("public", None),
    ("GET", "/api/v1/docs"): ("public", None),
    ("GET", "/api/v1/organizations"): ("login", None),
    ("POST", "/api/v1/organizations"): ("global_admin", {"name": "Matrix New Org"}),
    ("GET", "/api/v1/organizations/<int:org_id>"): ("viewer", None),
    ("PATCH", "/api/v1/organizations/<int:org_id>"): ("admin", {"description": "changed"}),
    ("DELETE", "/api/v1/organizations/<int:org_id>"): ("global_admin", None),
    ("GET", "/api/v1/schedules"): ("login", None),
    ("POST", "/api/v1/schedules"): ("admin", lambda w: {"organization_id": w["org"].id, "name": "matrix backup",
                                                        "kind": "backup", "cron": "0 3 * * *"}),
    ("GET", "/api/v1/schedules/<int:schedule_id>"): ("viewer", None),
    ("PATCH", "/api/v1/schedules/<int:schedule_id>"): ("admin", {"enabled": False}),
    ("DELETE", "/api/v1/schedules/<int:schedule_id>"): ("admin", None),
    ("GET", "/api/v1/sites"): ("login", None),
    ("POST", "/api/v1/sites"): ("operator", lambda w: {"name": "new-site", "organization_id": w["org"].id}),
    ("GET", "/api/v1/sites/<int:site_id>"): ("viewer", None),
    ("PATCH", "/api/v1/sites/<int:site_id>"): ("operator", {"address": "elsewhere"}),
    ("DELETE", "/api/v1/sites/<int:site_id>"): ("operator", None),
    ("GET", "/api/v1/credentials"): ("login", None),
    ("POST", "/api/v1/credentials"): ("admin", lambda w: {"name": "c-new", "organization_id": w["org"].id,
                                                           "username": "u", "password": "pw-123456"}),
    ("GET", "/api/v1/credentials/<int:profile_id>"): ("viewer", None),
    ("PATCH", "/api/v1/credentials/<int:profile_id>"): ("admin", {"username": "v"}),
    ("DELETE", "/api/v1/credentials/<int:profile_id>"): ("admin", None),
    ("GET", "/api/v1/snmp-profiles"): ("login", None),
    ("POST", "/api/v1/snmp-profiles"): ("admin", lambda w: {"name": "s-new", "organization_id": w["org"].id,
                                                             "community": "c-123"}),
    ("GET", "/api/v1/snmp-profiles/<int:profile_id>"): ("viewer", None),
    ("PATCH", "/api/v1/snmp-profiles/<int:profile_id>"): ("admin", {"priority": 5}),
    ("DELETE", "/api/v1/snmp-profiles/<int:profile_id>"): ("admin", None),
    ("GET", "/api/v1/devices"): ("login", None),
    ("POST", "/api/v1/devices"): ("operator", lambda w: {"name": "d-new", "organization_id": w["org"].id,
                                                          "host": "10.9.9.9", "platform": "cisco_ios"}),
    ("GET", "/api/v1/devices/<int:device_id>"): ("viewer", None),
    ("PATCH", "/api/v1/devices/<int:device_id>"): ("operator", {"port": 2022}),
    ("DELETE", "/api/v1/devices/<int:device_id>"): ("operator", None),
    ("GET", "/api/v1/devices/<int:device_id>/interfaces"): ("viewer", None),
    ("POST", "/api/v1/devices/<int:device_id>/interfaces"): ("operator", {"name": "Gi9/9"}),
    ("GET", "/api/v1/devices/<int:device_id>/configs"): ("viewer", None),
    ("GET", "/api/v1/devices/<int:device_id>/telemetry"): ("viewer", None),
    ("GET", "/api/v1/interfaces"): ("login", None),
    ("GET", "/api/v1/interfaces/<int:interface_id>"): ("viewer", None),
    ("PATCH", "/api/v1/interfaces/<int:interface_id>"): ("operator", {"description": "x"}),
    ("DELETE", "/api/v1/interfaces/<int:interface_id>"): ("operator", None),
    ("GET", "/api/v1/interfaces/<int:interface_id>/telemetry"): ("viewer", None),
    ("GET", "/api/v1/endpoints"): ("login", None),
    ("GET", "/api/v1/endpoints/<int:endpoint_id>"): ("viewer", None),
    ("GET", "/api/v1/jobs"): ("login", None),
    ("POST", "/api/v1/jobs"): ("operator", lambda w: {"kind": "backup", "device_ids": [w["device"].id]}),
    ("GET", "/api/v1/jobs/<int:job_id>"): ("viewer", None),
    ("POST", "/api/v1/jobs/<int:job_id>/cancel"): ("operator", None),
    ("GET", "/api/v1/configs/<int:version_id>"): ("viewer", None),
    ("GET", "/api/v1/configs/<int:version_id>/diff"): ("viewer", lambda w: {"against": w["version"].id}),
    ("GET", "/api/v1/users"): ("any_admin", None),
    ("POST", "/api/v1/users"): ("admin", lambda w: {"username": "m-new", "password": "long-password",
                                                     "organization_id": w["org"].id, "role": "viewer"}),
    ("GET", "/api/v1/users/<int:user_id>"): ("admin", None),
    ("PATCH", "/api/v1/users/<int:user_id>"): ("admin", {"is_active": True}),
    ("DELETE", "/api/v1/users/<int:user_id>"): ("global_admin", None),
    ("GET", "/api/v1/memberships"): ("any_admin", None),
    ("POST", "/api/v1/memberships"): ("admin", lambda w: {"user_id": w["loner"].id, "organization_id": w["org"].id,
                                                           "role": "viewer"}),
    ("GET", "/api/v1/memberships/<int:membership_id>"): ("admin", None),
    ("PATCH", "/api/v1/memberships/<int:membership_id>"): ("admin", {"role": "viewer"}),
    ("DELETE", "/api/v1/memberships/<int:membership_id>"): ("admin", None),
    ("GET", "/api/v1/tokens"): ("login", None),
    ("POST", "/api/v1/tokens"): ("login", {"name": "more"}),
    ("GET", "/api/v1/tokens/<int:token_id>"): ("self", None),
    ("DELETE", "/api/v1/tokens/<int:token_id>"): ("self", None),
    ("GET", "/api/v1/audit"): ("any_admin", None),
    ("POST", "/api/v1/imports/devices"): ("any_operator", lambda w: "csv:organization,name,host,platform\n"
                                                                      f"{w['org'].name},imp-1,10.7.7.7,cisco_ios\n"),
    ("POST", "/api/v1/imports/interfaces"): ("any_operator", lambda w: "csv:organization,device,name\n"
                                                                         f"{w['org'].name},{w['device'].name},Te1\n"),
    ("GET", "/api/v1/exports/devices"): ("login", None),
    ("GET", "/api/v1/exports/interfaces"): ("login", None),
    ("GET", "/api/v1/reports/<string:name>"): ("login", None),
    ("GET", "/api/v1/software-targets"): ("login", None),
    ("POST", "/api/v1/software-targets"): ("admin", lambda w: {"organization_id": w["org"].id, "platform": "cisco_ios",
                                                               "model": "C9500", "version": "17.12.4"}),
    ("GET", "/api/v1/software-targets/<int:target_id>"): ("viewer", None),
    ("PATCH", "/api/v1/software-targets/<int:target_id>"): ("admin", {"version": "17.12.4"}),
    ("DELETE", "/api/v1/software-targets/<int:target_id>"): ("admin", None),
    # --- pages ----------------------------------------------------------------------------------
    ("GET", "/static/<path:filename>"): ("public", None),
    ("GET", "/healthz"): ("public", None),
    ("GET", "/login"): ("public", None),
    ("POST", "/login"): ("public", None),
    ("POST", "/logout"): ("login", None),
    ("GET", "/"): ("login", None),
    ("GET", "/admin"): ("login", None),
    ("GET", "/audit"): ("any_admin", None),
    ("GET", "/configs"): ("login", None),
    ("GET", "/credentials"): ("any_admin", None),
    ("GET", "/credentials/new"): ("any_admin", None),
    ("POST", "/credentials/new"): ("any_admin", None),
    ("GET", "/credentials/<int:profile_id>/edit"): ("admin", None),
    ("POST", "/credentials/<int:profile_id>/edit"): ("admin", None),
    ("GET", "/snmp-profiles"): ("any_admin", None),
    ("GET", "/snmp-profiles/new"): ("any_admin", None),
    ("POST", "/snmp-profiles/new"): ("any_admin", None),
    ("GET", "/snmp-profiles/<int:profile_id>/edit"): ("admin", None),
    ("POST", "/snmp-profiles/<int:profile_id>/edit"): ("admin", None),
    ("GET", "/devices"): ("login", None),
    ("GET", "/devices/new"): ("any_operator", None),
    ("POST", "/devices/new"): ("any_operator", None),
    ("GET", "/devices/<int:device_id>"): ("viewer", None),
    ("GET", "/devices/<int:device_id>/edit"): ("operator", None),
    ("POST", "/devices/<int:device_id>/edit"): ("operator", None),
    ("GET", "/devices/<int:device_id>/config"): ("viewer", None),
    ("GET", "/devices/<int:device_id>/config/<int:version_id>/download"): ("viewer", None),
    ("POST", "/devices/<int:device_id>/config/golden"): ("operator", None),
    ("GET", "/devices/<int:device_id>/interfaces"): ("viewer", None),
    ("GET", "/devices/<int:device_id>/tasks"): ("viewer", None),
    ("GET", "/devices/<int:device_id>/telemetry"): ("viewer", None),
    ("GET", "/endpoints/"): ("login", None),
    ("GET", "/endpoints/search"): ("login", None),
    ("GET", "/imports/devices"): ("any_operator", None),
    ("POST", "/imports/devices"): ("any_operator", None),
    ("GET", "/jobs"): ("login", None),
    ("POST", "/jobs"): ("any_operator", None),
    ("GET", "/jobs/new"): ("any_operator", None),
    ("GET", "/jobs/<int:job_id>"): ("viewer", None),
    ("POST", "/jobs/<int:job_id>/cancel"): ("operator", None),
    ("GET", "/organizations"): ("login", None),
    ("GET", "/organizations/new"): ("global_admin", None),
    ("POST", "/organizations/new"): ("global_admin", None),
    ("GET", "/organizations/<int:org_id>/edit"): ("admin", None),
    ("POST", "/organizations/<int:org_id>/edit"): ("admin", None),
    ("GET", "/reports"): ("login", None),
    ("GET", "/reports/<name>"): ("login", None),
    ("GET", "/reports/<name>/download/<fmt>"): ("login", None),
    ("POST", "/reports/schedules"): ("admin", lambda w: {"name": "weekly", "organization_id": w["org"].id,
                                                          "report": "inventory", "format": "csv",
                                                          "frequency": "daily"}),
    ("POST", "/reports/schedules/<int:schedule_id>/delete"): ("admin", None),
    ("GET", "/reports/stored/<int:stored_id>"): ("viewer", None),
    ("GET", "/reports/software-targets"): ("login", None),
    ("POST", "/reports/software-targets"): ("admin", lambda w: {"organization_id": w["org"].id, "platform": "cisco_ios",
                                                                "model": "C9500", "version": "17.12.4"}),
    ("POST", "/reports/software-targets/<int:target_id>"): ("admin", {"version": "17.12.4"}),
    ("POST", "/reports/software-targets/<int:target_id>/delete"): ("admin", None),
    ("GET", "/schedules"): ("login", None),
    ("GET", "/schedules/new"): ("any_admin", None),
    ("POST", "/schedules/new"): ("any_admin", None),
    ("GET", "/schedules/<int:schedule_id>/edit"): ("admin", None),
    ("POST", "/schedules/<int:schedule_id>/edit"): ("admin", None),
    ("GET", "/sites"): ("login", None),
    ("GET", "/sites/new"): ("any_operator", None),
    ("POST", "/sites/new"): ("any_operator", None),
    ("GET", "/sites/<int:site_id>/edit"): ("operator", None),
    ("POST", "/sites/<int:site_id>/edit"): ("operator", None),
    ("GET", "/telemetry"): ("login", None),
    ("GET", "/users"): ("any_admin", None),
    ("GET", "/users/new"): ("any_admin", None),
    ("POST", "/users/new"): ("any_admin", None),
    ("GET", "/users/<int:user_id>/memberships"): ("admin", None),
    ("GET", "/users/<int:user_id>/edit"): ("admin", None),
    ("POST", "/users/<int:user_id>/edit"): ("admin", {"is_active": "y"}),
    ("POST", "/users/<int:user_id>/memberships/<int:membership_id>"): ("admin", {"role": "operator"}),
    ("POST", "/users/<int:user_id>/memberships/<int:membership_id>/remove"): ("admin", None),
    ("POST", "/users/<int:user_id>/memberships"): ("admin", None),
}


def registered_routes(app) -> set[tuple[str, str]]:
    return {(method, rule.rule) for rule in app.url_map.iter_rules()
            for method in rule.methods - {"HEAD", "OPTIONS"}}


def test_every_route_is_in_the_matrix(session_app):
    missing = registered_routes(session_app) - set(RULES)
    assert not missing, f"routes without an access rule in tests/test_access_matrix.py: {sorted(missing)}"


def test_the_matrix_lists_no_stale_routes(session_app):
    stale = set(RULES) - registered_routes(session_app)
    assert not stale, f"rules for routes that no longer exist: {sorted(stale)}"


def build_world():
    org, other = make_org("Matrix Org"), make_org("Other Org")
    users = {role: quick_user(role=role, org=org) for role in ("viewer", "operator", "admin")}
    users["outsider"] = quick_user(role="admin", org=other)
    users["global"] = quick_user(global_admin=True)
    site = make_site(org, "hq")
    cred = make_credential(org, name="ssh")
    snmp = make_snmp_profile(org, name="snmp")
    device = make_device(org, name="r1", credential=cred, site=site)
    iface = Interface(device_id=device.id, name="Gi0/1")
    endpoint = Endpoint(organization_id=org.id, mac="aa:bb:cc:00:00:01", device_id=device.id)
    version = ConfigVersion(device_id=device.id, sha256="a" * 64, text="hostname r1\n", size=12)
    schedule = Schedule(organization_id=org.id, name="nightly", kind="report", cron="0 2 * * *",
                        params={"report": "inventory", "format": "csv", "frequency": "daily"})
    stored = StoredReport(organization_id=org.id, report="inventory", format="csv", filename="i.csv", size=1,
                          content=b"x", params={})
    target = SoftwareTarget(organization_id=org.id, platform="cisco_ios", model="C9300", version="17.9.4")
    db.session.add_all([iface, endpoint, version, schedule, stored, target])
    job = automation.create_job("backup", [device], {}, user=users["admin"])
    loner = quick_user()
    db.session.flush()
    token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == users["admin"].id))
    if token is None:
        token, _ = accounts.issue_token(users["admin"], "owned")
    membership = db.session.scalar(select(Membership).where(Membership.user_id == users["viewer"].id))
    return {"org": org, "other": other, "users": users, "site": site, "cred": cred, "snmp": snmp, "device": device,
            "iface": iface, "endpoint": endpoint, "version": version, "job": job, "loner": loner, "token": token,
            "membership": membership, "schedule": schedule, "stored": stored, "target": target}


def path_for(rule: str, w) -> str:
    ids = {"org_id": w["org"].id, "site_id": w["site"].id, "device_id": w["device"].id,
           "interface_id": w["iface"].id, "endpoint_id": w["endpoint"].id, "job_id": w["job"].id,
           "version_id": w["version"].id, "user_id": w["users"]["viewer"].id, "membership_id": w["membership"].id,
           "token_id": w["token"].id, "schedule_id": w["schedule"].id, "stored_id": w["stored"].id,
           "target_id": w["target"].id,
           "profile_id": w["snmp"].id if "snmp" in rule else w["cred"].id,
           "name": "inventory", "fmt": "csv", "filename": "css/zas.css"}
    out = rule
    for key, value in ids.items():
        for conv in ("int:", "string:", "path:", ""):
            out = out.replace(f"<{conv}{key}>", str(value))
    assert "<" not in out, f"no value for a parameter of {rule}: add it to path_for"
    return out


def allowed(need: str, persona: str, has_object: bool) -> bool:
    if need == "public":
        return True
    if persona == "anonymous":
        return False
    if need == "self":
        return persona == "admin"
    if persona == "global" or need == "login":
        return True
    if need == "global_admin":
        return False
    if need in ("any_operator", "any_admin"):
        if persona == "outsider":
            return True  # an admin elsewhere
        return RANK[persona] >= RANK[need.split("_")[1]]
    if persona == "outsider":
        return False
    return RANK[persona] >= RANK[need]


def expected_denial(need: str, persona: str, has_object: bool, is_api: bool) -> set[int]:
    if persona == "anonymous":
        return {401} if is_api else {302, 401}
    if need == "self":
        return {404}
    if persona == "outsider" and has_object and need in RANK:
        return {404}
    if persona == "outsider":
        return {403, 404, 422}
    if need == "global_admin" and has_object:
        return {403}
    return {403}


def request(client, persona, method, path, body, w, redis_url):
    kwargs = {}
    if isinstance(body, str) and body.startswith("csv:"):
        kwargs = {"data": body[4:].encode(), "content_type": "text/csv"}
    elif body is not None and method == "GET":
        kwargs = {"query_string": body}
    elif body is not None and path.startswith("/api/"):
        kwargs = {"json": body}
    elif body is not None:
        kwargs = {"data": body}
    # the test client's requests share one app context, so `g` would carry the last caller over
    for key in ("_login_user", "api_token", "zas_scope", "csrf_token"):
        g.pop(key, None)
    if persona == "anonymous":
        return client.open(path, method=method, **kwargs)
    if path.startswith("/api/"):
        api = api_as(client, w["users"][persona])
        return getattr(api, method.lower())(path[len("/api/v1"):], **kwargs)
    # a signed-in session without a password check per request (the login page has its own tests)
    with client.session_transaction() as sess:
        sess.clear()
        sess["_user_id"] = w["users"][persona].get_id()
        sess["_fresh"] = True
    try:
        return client.open(path, method=method, **kwargs)
    finally:
        with client.session_transaction() as sess:
            sess.clear()


ORDER = ("anonymous", "outsider", "viewer", "operator", "admin", "global")


@pytest.mark.parametrize("method, rule", sorted(RULES), ids=lambda v: v)
def test_access(app, client, redis_url, monkeypatch, method, rule):
    need, body = RULES[(method, rule)]
    monkeypatch.setitem(app.config, "REDIS_URL", redis_url)  # job launches queue and stay queued
    app.extensions.pop("zas_redis", None)
    w = build_world()
    path = path_for(rule, w)
    body = body(w) if callable(body) else body
    has_object = "<" in rule and not rule.startswith("/static")
    is_api = rule.startswith("/api/")
    unsafe = method in ("POST", "PATCH", "DELETE")
    tried_allowed = False
    try:
        for persona in ORDER:
            ok = allowed(need, persona, has_object)
            if ok and unsafe and tried_allowed:
                continue  # the lowest allowed role proved the threshold; the write already happened
            resp = request(client, persona, method, path, body, w, redis_url)
            status = resp.status_code
            if ok:
                tried_allowed = True
                assert status < 500 and status not in (401, 403, 404), (
                    persona, status, resp.get_data(as_text=True)[:300])
                if persona == "anonymous" or need == "public":
                    continue
                if not is_api and rule != "/logout":
                    assert "/login" not in resp.headers.get("Location", ""), (persona, "sent to login")
            else:
                assert status in expected_denial(need, persona, has_object, is_api), (
                    persona, status, resp.get_data(as_text=True)[:300])
                if status == 302:
                    assert "/login" in resp.headers["Location"]
    finally:
        app.extensions.pop("zas_redis", None)
        import redis

        redis.Redis.from_url(redis_url).flushdb()
