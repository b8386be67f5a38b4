"""Editing users and their roles in the UI: password, active flag, role change and removal, all audited."""
from sqlalchemy import select

from tests.factories import PASSWORD, make_org, make_user
from zas.extensions import db
from zas.models import AuditEvent, Membership


def login(client, user):
    client.post("/login", data={"username": user.username, "password": PASSWORD})


def test_admin_resets_a_password_and_deactivates_a_user(app, client):
    org = make_org("Edit Org")
    admin = make_user(role="admin", org=org)
    bob = make_user("bob-edit", role="viewer", org=org)
    login(client, admin)
    page = client.get(f"/users/{bob.id}/edit")
    assert page.status_code == 200 and b"<html" in page.data and b'id="user-roles"' in page.data
    short = client.post(f"/users/{bob.id}/edit", data={"password": "short", "is_active": "y"})
    assert short.status_code == 422 and b"at least 8 characters" in short.data
    ok = client.post(f"/users/{bob.id}/edit", data={"password": "a-new-long-password"})  # unchecked: inactive
    assert ok.status_code == 302
    db.session.refresh(bob)
    assert bob.check_password("a-new-long-password") and not bob.is_active
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_id == bob.id)).all()
    assert "user.update" in actions


def test_admin_changes_and_removes_a_role(app, client):
    org = make_org("Role Org")
    admin = make_user(role="admin", org=org)
    carol = make_user("carol-edit", role="viewer", org=org)
    membership = db.session.scalar(select(Membership).where(Membership.user_id == carol.id))
    login(client, admin)
    client.post(f"/users/{carol.id}/memberships/{membership.id}", data={"role": "operator"})
    db.session.refresh(membership)
    assert membership.role == "operator"
    bad = client.post(f"/users/{carol.id}/memberships/{membership.id}", data={"role": "emperor"},
                      follow_redirects=True)
    assert b"role must be one of" in bad.data
    assert client.post(f"/users/{admin.id}/memberships/{membership.id}").status_code == 404  # not admin's role
    client.post(f"/users/{carol.id}/memberships/{membership.id}/remove")
    assert db.session.scalar(select(Membership).where(Membership.user_id == carol.id)) is None
    changes = db.session.scalars(select(AuditEvent.action).where(AuditEvent.action == "permission.change")).all()
    assert len(changes) >= 2


def test_operator_cannot_open_user_edit(app, client):
    org = make_org("Op Org")
    operator = make_user(role="operator", org=org)
    login(client, operator)
    assert client.get(f"/users/{operator.id}/edit").status_code == 403
