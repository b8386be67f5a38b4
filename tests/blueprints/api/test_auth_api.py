"""Tokens and authentication: login for a token, hashed storage, read-only, expiry, revocation, CSRF."""
from datetime import timedelta

from sqlalchemy import select

from tests.blueprints.api.helpers import ApiClient, api_as, personas
from tests.conftest import make_test_app
from tests.factories import PASSWORD
from zas.extensions import db
from zas.models import ApiToken, AuditEvent
from zas.models.types import utcnow
from zas.services.authn import GENERIC_FAILURE


def test_login_for_a_token_which_is_stored_hashed(app, client):
    _, _, users = personas()
    resp = client.post("/api/v1/auth/tokens", json={"username": users["viewer"].username, "password": PASSWORD,
                                                    "write": False})
    assert resp.status_code == 201 and resp.json["token"].startswith("zas_") and resp.json["write"] is False
    clear = resp.json["token"]
    row = db.session.get(ApiToken, resp.json["id"])
    assert row.token_hash == ApiToken.hash(clear) and clear not in (row.token_hash, row.prefix)
    api = ApiClient(client, clear)
    assert api.get("/devices").status_code == 200
    assert db.session.get(ApiToken, row.id).last_used_at is not None
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "login.success")) is not None


def test_failed_login_same_message_for_unknown_user_and_audited(app, client):
    _, _, users = personas()
    bad = client.post("/api/v1/auth/tokens", json={"username": users["viewer"].username, "password": "wrong-pass"})
    ghost = client.post("/api/v1/auth/tokens", json={"username": "nobody-here", "password": "wrong-pass"})
    assert bad.status_code == ghost.status_code == 401
    assert bad.json["message"] == ghost.json["message"] == GENERIC_FAILURE
    assert len(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "login.failure")).all()) == 2


def test_login_is_throttled(app, client):
    _, _, users = personas()
    name = users["viewer"].username
    for _ in range(int(app.config["LOGIN_MAX_FAILURES"])):
        client.post("/api/v1/auth/tokens", json={"username": name, "password": "wrong-pass"})
    resp = client.post("/api/v1/auth/tokens", json={"username": name, "password": PASSWORD})
    assert resp.status_code == 401 and "Too many" in resp.json["message"]


def test_missing_bad_revoked_and_expired_tokens_are_401(app, client):
    _, _, users = personas()
    assert client.get("/api/v1/devices").status_code == 401
    assert ApiClient(client, "zas_nonsense").get("/devices").status_code == 401
    api = api_as(client, users["viewer"])
    token = db.session.scalars(select(ApiToken).where(ApiToken.user_id == users["viewer"].id)).one()
    assert api.delete(f"/tokens/{token.id}").status_code == 204
    assert api.get("/devices").status_code == 401
    from zas.services import accounts

    row, clear = accounts.issue_token(users["viewer"], "soon", expires_at=utcnow() + timedelta(seconds=30))
    row.expires_at = utcnow() - timedelta(seconds=1)
    db.session.flush()
    assert ApiClient(client, clear).get("/devices").status_code == 401


def test_tokens_list_is_own_and_never_shows_values(app, client):
    _, _, users = personas()
    api = api_as(client, users["viewer"])
    created = api.post("/tokens", json={"name": "script", "write": False})
    assert created.status_code == 201
    listing = api.get("/tokens")
    assert {t["name"] for t in listing.json} == {"test", "script"}
    assert created.json["token"] not in listing.get_data(as_text=True)
    other = api_as(client, users["operator"])
    assert other.delete(f"/tokens/{created.json['id']}").status_code == 404


def test_session_writes_need_csrf_bearer_writes_do_not(database_url, tmp_path):
    import re

    from tests.conftest import empty_all_tables
    from zas.services import accounts

    app = make_test_app(database_url, tmp_path, WTF_CSRF_ENABLED=True)
    # requests run outside any pushed app context, as in production (g is per request)
    with app.app_context():
        org, _, users = personas()
        username, org_id = users["operator"].username, org.id
        _, bearer_token = accounts.issue_token(users["operator"], "t")
        db.session.commit()
        db.session.remove()
    try:
        client = app.test_client()
        login_page = client.get("/login").get_data(as_text=True)
        form_token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
        assert client.post("/login", data={"username": username, "password": PASSWORD,
                                           "csrf_token": form_token}).status_code == 302
        # the session is renewed at login: the page's meta tag carries the new token
        home = client.get("/").get_data(as_text=True)
        csrf_token = re.search(r'name="csrf-token" content="([^"]+)"', home).group(1)
        body = {"name": "s1", "organization_id": org_id}
        assert client.post("/api/v1/sites", json=body).status_code == 400
        resp = client.post("/api/v1/sites", json=body, headers={"X-CSRFToken": csrf_token})
        assert resp.status_code == 201, resp.json
        bearer = ApiClient(app.test_client(), bearer_token)
        assert bearer.post("/sites", json={"name": "s2", "organization_id": org_id}).status_code == 201
    finally:
        with app.app_context():
            empty_all_tables()
