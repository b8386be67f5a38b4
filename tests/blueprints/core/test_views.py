"""Home and admin pages: the nav, the organization switcher, what each role is offered."""
from tests.factories import make_device, make_org
from tests.ui.helpers import sign_in


def test_home_shows_counts_nav_and_getting_started(client, app):
    org = make_org("Acme")
    make_device(org, drift_status="drifted")
    sign_in(client, role="operator", org=org)
    body = client.get("/").get_data(as_text=True)
    for label in ("Devices", "Jobs", "Configs", "Telemetry", "Reports", "Admin"):
        assert f">{label}</a>" in body
    assert 'href="/telemetry"' in body and 'href="/reports"' in body
    assert "Getting started" in body and "dry run" in body


def test_organization_switcher_lists_only_my_organizations(client, app):
    first, second, hidden = make_org("Alpha"), make_org("Beta"), make_org("Gamma")
    user = sign_in(client, role="viewer", org=first)
    from zas.extensions import db
    from zas.models import Membership

    db.session.add(Membership(user=user, organization=second, role="viewer"))
    db.session.flush()
    body = client.get("/").get_data(as_text=True)
    assert 'id="org-switcher"' in body and ">Alpha</option>" in body and ">Beta</option>" in body
    assert "Gamma" not in body


def test_admin_index_offers_access_pages_to_admins_only(client, app):
    org = make_org("Acme")
    sign_in(client, role="operator", org=org)
    body = client.get("/admin").get_data(as_text=True)
    assert "Sites" in body and "Credential profiles" not in body and "Users and memberships" not in body
    client.post("/logout")
    sign_in(client, role="admin", org=org)
    body = client.get("/admin").get_data(as_text=True)
    assert "Credential profiles" in body and "Users and memberships" in body and "Audit log" in body
