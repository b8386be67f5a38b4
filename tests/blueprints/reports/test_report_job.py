"""Scheduled reports through real RQ: the tick queues due report schedules on "reports"; a worker stores the file."""
from __future__ import annotations

from datetime import timedelta

from redis import Redis
from rq import Queue, SimpleWorker

from tests.blueprints.reports.reportdata import build_fleet
from tests.factories import make_user
from zas.extensions import db
from zas.jobs import schedules
from zas.models import StoredReport
from zas.models.types import utcnow
from zas.services import authz
from zas.services.reports import stored


def test_due_report_schedule_is_rendered_by_an_rq_worker(app, org, redis_url, tmp_path):
    build_fleet(org)
    admin = make_user("sched-admin", role="admin", org=org)
    schedule = stored.create_schedule(authz.scope_for(admin), name="daily inv", organization_id=org.id,
                                      report="inventory", fmt="xlsx", frequency="daily", filters={"tag": "dc"})
    schedule.next_run_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    app.config["REDIS_URL"] = redis_url
    try:
        started = schedules.tick()
        queue = Queue("reports", connection=Redis.from_url(redis_url))
        assert started == [] or all(isinstance(j, int) for j in started)
        assert [j.func_name for j in queue.jobs] == ["zas.jobs.report.run"]
        SimpleWorker([queue], connection=queue.connection).work(burst=True)
    finally:
        app.config["REDIS_URL"] = None
        app.extensions.pop("zas_redis", None)
    files = db.session.query(StoredReport).filter_by(schedule_id=schedule.id).all()
    assert len(files) == 1 and files[0].format == "xlsx" and files[0].filename.endswith(".xlsx")
    assert files[0].params["tag"] == "dc" and files[0].content[:2] == b"PK"
    assert schedule.next_run_at > utcnow()


def test_without_redis_the_report_runs_in_process(app, org):
    build_fleet(org)
    admin = make_user("sched-admin2", role="admin", org=org)
    schedule = stored.create_schedule(authz.scope_for(admin), name="monthly sw", organization_id=org.id,
                                      report="software-versions", fmt="pdf", frequency="monthly")
    db.session.flush()
    from zas.jobs import report

    stored_id = report.run(schedule.id)
    row = db.session.get(StoredReport, stored_id)
    assert row.content.startswith(b"%PDF") and row.report == "software-versions"
