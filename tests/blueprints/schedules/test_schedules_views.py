"""The schedules page: admins see and edit the recurring jobs; form errors sit beside the field."""
from sqlalchemy import select

from tests.factories import PASSWORD, make_org, make_user
from zas.extensions import db
from zas.jobs import schedules as job_schedules
from zas.models import Schedule


def login(client, user):
    client.post("/login", data={"username": user.username, "password": PASSWORD})


def test_admin_sees_and_edits_schedules(app, client):
    org = make_org("Views Sched")
    admin = make_user(role="admin", org=org)
    job_schedules.ensure_defaults()
    login(client, admin)
    page = client.get("/schedules")
    assert page.status_code == 200 and b"<html" in page.data and job_schedules.DEFAULT_BACKUP.encode() in page.data
    schedule = db.session.scalar(select(Schedule).where(Schedule.organization_id == org.id,
                                                        Schedule.name == job_schedules.DEFAULT_BACKUP))
    bad = client.post(f"/schedules/{schedule.id}/edit", data={"name": schedule.name, "cron": "nightly please",
                                                              "organization_id": org.id, "kind": "backup"})
    assert bad.status_code == 422 and b"not a valid cron expression" in bad.data and b"nightly please" in bad.data
    ok = client.post(f"/schedules/{schedule.id}/edit", data={"name": schedule.name, "cron": "15 1 * * *",
                                                             "organization_id": org.id, "kind": "backup",
                                                             "tag": "edge"})
    assert ok.status_code == 302
    db.session.refresh(schedule)
    assert schedule.cron == "15 1 * * *" and schedule.target_filter == {"tag": "edge"} and schedule.enabled is False


def test_viewer_is_not_offered_new_schedule(app, client):
    org = make_org("Views Sched 2")
    login(client, make_user(role="viewer", org=org))
    page = client.get("/schedules")
    assert page.status_code == 200 and b"New schedule" not in page.data
    assert client.get("/schedules/new").status_code == 403
