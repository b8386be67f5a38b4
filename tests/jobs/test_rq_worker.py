"""The same task code through Redis + RQ + `zas worker` processes."""
from __future__ import annotations

from tests.factories import make_credential, make_device, make_org
from tests.jobs.conftest import start_worker
from tests.jobs.helpers import wait_for_job
from zas.extensions import db
from zas.jobs import dispatch
from zas.services import automation


def test_rq_worker_runs_batches_and_records_each_device(rq_app):
    org = make_org()
    cred = make_credential(org)
    devices = [make_device(org, credential=cred) for _ in range(5)]
    job_id = automation.create_job("backup", devices, {}, actor_name="t", batch_size=2).id
    db.session.commit()
    dispatch.enqueue_job(job_id)
    worker = start_worker(rq_app, "--burst")
    out, _ = worker.communicate(timeout=120)
    assert worker.returncode == 0, out
    job = wait_for_job(job_id, timeout=10)
    assert job.status == "failed" and job.done == 5
    assert {r.error_class for r in job.results} == {"ConnectionRefused"}
    # the lanes share one device list: the first lane took every device, the later ones found none,
    # and each result names the lane that ran it (what the reconciler judges it by)
    assert {r.batch_id for r in job.results} == {f"zas-job-{job_id}-0"}
    assert not dispatch.redis_client().exists(f"zas:job-todo:{job_id}")
