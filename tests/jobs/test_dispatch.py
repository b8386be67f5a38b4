"""Dispatch in the embedded mode (thread pool) and with Redis; Redis down means no queued job."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.conftest import make_test_app
from tests.factories import make_credential, make_device, make_org
from tests.jobs.helpers import wait_for_job
from zas.errors import ServiceUnavailable
from zas.extensions import db
from zas.jobs import dispatch, reconciler, schedules
from zas.models import AutomationJob, JobResult, Schedule
from zas.models.types import utcnow
from zas.services import automation


def _refusing_devices(n=2):
    org = make_org()
    cred = make_credential(org)
    return [make_device(org, credential=cred) for _ in range(n)]


def test_embedded_job_runs_in_threads_and_classifies_a_refused_port(committed_app):
    devices = _refusing_devices(3)
    job = automation.create_job("backup", devices, {}, actor_name="t")
    db.session.commit()
    dispatch.enqueue_job(job.id)
    job = wait_for_job(job.id)
    assert job.status == "failed" and job.done == 3 and job.failed == 3
    assert {r.error_class for r in job.results} == {"ConnectionRefused"}
    assert all(d.status == "unreachable" and d.last_backup_status == "failed"
               for d in db.session.scalars(select(type(devices[0]))))


def test_redis_down_is_a_clear_error_before_any_row(database_url, tmp_path, session_app):
    app = make_test_app(database_url, tmp_path, REDIS_URL="redis://127.0.0.1:1/0")
    with app.app_context():
        before = db.session.scalar(select(func.count(AutomationJob.id)))
        with pytest.raises(ServiceUnavailable, match="Redis"):
            dispatch.ensure_available()
        assert db.session.scalar(select(func.count(AutomationJob.id))) == before
        db.session.remove()


def test_redis_lost_between_commit_and_enqueue_leaves_the_job_failed_not_queued(database_url, tmp_path,
                                                                                session_app):
    app = make_test_app(database_url, tmp_path, REDIS_URL="redis://127.0.0.1:1/0")
    with app.app_context():
        try:
            job_id = automation.create_job("backup", _refusing_devices(1), {}, actor_name="t").id
            db.session.commit()
            with pytest.raises(ServiceUnavailable):
                dispatch.enqueue_job(job_id)
            db.session.remove()
            job = db.session.get(AutomationJob, job_id)
            assert job.status == "failed"
            assert job.results[0].error_class == "QueueUnavailable"
        finally:
            db.session.remove()
            from tests.conftest import empty_all_tables

            empty_all_tables()


def test_schedule_tick_starts_due_backups_once(committed_app):
    _refusing_devices(2)
    schedules.ensure_defaults()
    db.session.commit()
    schedule = db.session.scalar(select(Schedule).where(Schedule.name == schedules.DEFAULT_BACKUP))
    assert schedule.cron == committed_app.config["BACKUP_CRON"] and schedule.next_run_at > utcnow()
    schedule.next_run_at = utcnow() - timedelta(minutes=1)
    schedule_id = schedule.id
    db.session.commit()
    started = schedules.tick()
    assert len(started) == 1
    assert schedules.tick() == []  # claimed: the next run is tomorrow
    job = wait_for_job(started[0])
    assert job.kind == "backup" and job.total == 2 and job.schedule_id == schedule_id
    assert job.requested_by_name == f"schedule:{schedules.DEFAULT_BACKUP}"


def test_invalid_cron_names_the_field():
    from zas.errors import ValidationError

    with pytest.raises(ValidationError) as info:
        schedules.next_run("every day", utcnow())
    assert info.value.field == "cron"


def test_embedded_reconciler_fails_jobs_of_a_process_that_is_gone(committed_app):
    job = automation.create_job("backup", _refusing_devices(2), {}, actor_name="t")
    job.status = "running"
    job.heartbeat_at = utcnow() - timedelta(seconds=committed_app.config["JOB_STALE_AFTER"] + 5)
    job_id = job.id
    db.session.commit()
    assert reconciler.reconcile() == 2
    db.session.remove()
    job = db.session.get(AutomationJob, job_id)
    assert job.status == "failed"
    assert {r.error_class for r in job.results} == {"WorkerLost"}
    assert reconciler.reconcile() == 0


def test_rq_reconciler_spares_queued_batches_and_fails_lost_ones(database_url, tmp_path, session_app, redis_url):
    from rq import Queue

    from tests.conftest import empty_all_tables

    app = make_test_app(database_url, tmp_path, REDIS_URL=redis_url)
    with app.app_context():
        try:
            job_id = automation.create_job("backup", _refusing_devices(3), {}, actor_name="t", batch_size=2).id
            db.session.commit()
            dispatch.enqueue_job(job_id)  # no worker runs: both lanes stay queued in RQ
            assert reconciler.reconcile() == 0
            queue = Queue("ssh", connection=dispatch.redis_client())
            assert len(queue) == 2
            first, lost = f"zas-job-{job_id}-0", f"zas-job-{job_id}-1"
            # lane 1 had claimed a device when it vanished with its worker
            claimed = db.session.scalars(select(JobResult).where(JobResult.job_id == job_id,
                                                                 JobResult.batch_id == lost)).first()
            claimed.status = "running"
            claimed_id = claimed.device_id
            db.session.commit()
            queue.remove(lost)
            queue.connection.delete(f"rq:job:{lost}")
            assert reconciler.reconcile() == 1  # its running device; lane 0 may still take the queued ones
            db.session.remove()
            rows = {r.device_id: r for r in db.session.scalars(select(JobResult).where(JobResult.job_id == job_id))}
            assert rows[claimed_id].status == "failed" and rows[claimed_id].error_class == "WorkerLost"
            assert sorted(r.status for r in rows.values()) == ["failed", "queued", "queued"]
            queue.remove(first)
            queue.connection.delete(f"rq:job:{first}")  # now no lane is left to take them
            assert reconciler.reconcile() == 2
            db.session.remove()
            job = db.session.get(AutomationJob, job_id)
            assert job.status == "failed" and {r.error_class for r in job.results} == {"WorkerLost"}
        finally:
            db.session.remove()
            empty_all_tables()
