"""Sign-in: sessions renewed, same message for unknown users and bad passwords, throttled, audited."""
import pytest
from sqlalchemy import select

from tests.conftest import make_test_app
from tests.factories import PASSWORD, make_user
from zas.extensions import db
from zas.models import AuditEvent
from zas.services.authn import GENERIC_FAILURE, THROTTLED


def login(client, username, password):
    return client.post("/login", data={"username": username, "password": password})


def test_login_page_renders(client):
    resp = client.get("/login")
    assert resp.status_code == 200 and b"<html" in resp.data and b'name="password"' in resp.data


def test_pages_need_login(client):
    resp = client.get("/")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]


def test_htmx_request_with_expired_session_redirects_the_browser(client):
    resp = client.get("/", headers={"HX-Request": "true"})
    assert resp.status_code == 401 and "/login" in resp.headers["HX-Redirect"]


def test_successful_login_renews_the_session_and_is_audited(app, client):
    make_user("nina")
    with client.session_transaction() as sess:
        sess["planted"] = "attacker-value"
    resp = login(client, "nina", PASSWORD)
    assert resp.status_code == 302
    with client.session_transaction() as sess:
        assert "planted" not in sess
    assert client.get("/").status_code == 200
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "login.success",
                                                      AuditEvent.actor_name == "nina")) is not None


def test_unknown_user_and_wrong_password_get_the_same_answer(app, client):
    make_user("oscar")
    wrong = login(client, "oscar", "not-the-password")
    unknown = login(client, "nobody-here", "not-the-password")
    assert wrong.status_code == unknown.status_code == 401
    assert GENERIC_FAILURE.encode() in wrong.data and GENERIC_FAILURE.encode() in unknown.data
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.action == "login.failure")).all()
    assert len(actions) == 2


def test_repeated_failures_are_throttled_even_with_the_right_password(app, client):
    make_user("paul")
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        login(client, "paul", "wrong-wrong")
    resp = login(client, "paul", PASSWORD)
    assert resp.status_code == 401 and THROTTLED.encode() in resp.data
    app.extensions.pop("zas_throttle")  # a fresh window for the other tests


def test_open_redirect_after_login_is_refused(app, client):
    make_user("quinn")
    resp = client.post("/login?next=https://evil.example/", data={"username": "quinn", "password": PASSWORD})
    assert resp.headers["Location"] == "/"


def test_logout_ends_the_session(app, client):
    make_user("rita")
    login(client, "rita", PASSWORD)
    client.post("/logout")
    assert client.get("/").status_code == 302


def test_csrf_is_enforced_on_forms(database_url, tmp_path, session_app):
    app = make_test_app(database_url, tmp_path, WTF_CSRF_ENABLED=True)
    with app.app_context():
        resp = app.test_client().post("/login", data={"username": "x", "password": "y"})
    assert resp.status_code == 400 and b"CSRF" in resp.data


def test_session_cookie_flags(app, client):
    make_user("sam")
    resp = login(client, "sam", PASSWORD)
    cookie = resp.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
