"""Schedules through the API: organization admins edit their recurring jobs; bad cron and kinds name the field."""
from sqlalchemy import select

from tests.blueprints.api.helpers import api_as, quick_user
from tests.factories import make_org
from zas.extensions import db
from zas.jobs import schedules as job_schedules
from zas.models import AuditEvent, Schedule


def test_admin_edits_the_default_backup_schedule(app, client):
    org = make_org("Sched Org")
    admin = quick_user(role="admin", org=org)
    job_schedules.ensure_defaults()
    api = api_as(client, admin)
    listed = api.get("/schedules", query_string={"organization_id": org.id}).get_json()
    nightly = next(s for s in listed if s["name"] == job_schedules.DEFAULT_BACKUP)
    assert nightly["kind"] == "backup" and nightly["enabled"] is True
    resp = api.patch(f"/schedules/{nightly['id']}", json={"cron": "30 4 * * 1-5", "target_filter": {"tag": "core"}})
    assert resp.status_code == 200, resp.get_json()
    body = resp.get_json()
    assert body["cron"] == "30 4 * * 1-5" and body["target_filter"] == {"tag": "core"}
    assert body["next_run_at"].split("T")[1].startswith("04:30")
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "schedule.update")) is not None
    off = api.patch(f"/schedules/{nightly['id']}", json={"enabled": False}).get_json()
    assert off["enabled"] is False


def test_bad_input_names_the_field(app, client):
    org = make_org("Sched Org 2")
    api = api_as(client, quick_user(role="admin", org=org))
    base = {"organization_id": org.id, "name": "x", "kind": "backup", "cron": "0 1 * * *"}
    for change, field in (({"cron": "every night"}, "cron"), ({"kind": "config"}, "kind"),
                          ({"target_filter": {"colour": "red"}}, "target_filter"),
                          ({"kind": "command", "params": {"commands": ["reload"]}}, "params.commands")):
        resp = api.post("/schedules", json={**base, **change})
        assert resp.status_code == 422, (change, resp.get_json())
        assert field in resp.get_json()["errors"], resp.get_json()
    assert api.post("/schedules", json=base).status_code == 201
    assert api.post("/schedules", json=base).status_code == 409  # the same name twice
    assert db.session.scalar(select(Schedule).where(Schedule.name == "x")).next_run_at is not None


def test_operator_cannot_change_schedules_and_outsiders_cannot_see_them(app, client):
    org, other = make_org("Sched Org 3"), make_org("Sched Other")
    job_schedules.ensure_defaults()
    schedule = db.session.scalar(select(Schedule).where(Schedule.organization_id == org.id))
    operator = api_as(client, quick_user(role="operator", org=org))
    assert operator.get(f"/schedules/{schedule.id}").status_code == 200
    assert operator.patch(f"/schedules/{schedule.id}", json={"enabled": False}).status_code == 403
    outsider = api_as(client, quick_user(role="admin", org=other))
    assert outsider.get(f"/schedules/{schedule.id}").status_code == 404
    assert outsider.delete(f"/schedules/{schedule.id}").status_code == 404
