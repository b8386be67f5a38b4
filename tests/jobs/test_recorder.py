"""The job runner's recorder: grouped writes, and what happens when a group cannot be written."""
from __future__ import annotations

import sys
import types

from sqlalchemy import select

from tests.factories import make_credential, make_device, make_org
from zas.extensions import db
from zas.jobs import runner
from zas.models import AutomationJob, Device, JobLog, JobResult
from zas.services import automation


def _handler(poisoned: set[int], recorded: list[list[int]]) -> types.ModuleType:
    """A kind whose device step succeeds at once and whose bulk write refuses any group that
    holds a poisoned device (a row the database will not take, isolated on purpose)."""
    module = types.ModuleType("zas_test_handler")

    def run_device(step):
        step.output = f"done {step.device_id}"
        step.log("step ran")

    def record(steps):
        ids = [s.device_id for s in steps]
        recorded.append(ids)
        if poisoned & set(ids):
            raise RuntimeError("this row cannot be written")

    module.run_device, module.record = run_device, record
    return module


def _run_command_job(monkeypatch, module: types.ModuleType, devices, before_run=None) -> int:
    """Run a command job over `devices` with `module` as the kind's handler (no SSH target);
    `before_run(job_id)` may change the job's rows first. Returns the job id."""
    sys.modules["zas_test_handler"] = module
    monkeypatch.setitem(runner.HANDLERS, "command", "zas_test_handler")
    monkeypatch.setattr(runner, "_prepare", _prepare_without_ssh(runner._prepare))
    try:
        job = automation.create_job("command", devices, {"commands": ["show clock"]}, actor_name="t")
        db.session.commit()
        job_id = job.id
        if before_run:
            before_run(job_id)
        runner.run_batch(job_id, [d.id for d in devices])
    finally:
        sys.modules.pop("zas_test_handler", None)
    db.session.remove()
    return job_id


def test_a_group_that_cannot_be_written_costs_only_its_bad_device(committed_app, monkeypatch):
    org = make_org()
    cred = make_credential(org)
    devices = [make_device(org, credential=cred) for _ in range(4)]
    bad = devices[2].id
    recorded: list[list[int]] = []
    job_id = _run_command_job(monkeypatch, _handler({bad}, recorded), devices)

    job = db.session.get(AutomationJob, job_id)
    results = {r.device_id: r for r in db.session.scalars(select(JobResult).where(JobResult.job_id == job_id))}
    assert job.status == "partial" and job.done == 4 and job.failed == 1
    assert results[bad].status == "failed" and results[bad].error_class == "InternalError"
    assert all(r.status == "succeeded" and r.output == f"done {d}" for d, r in results.items() if d != bad)
    # the bad device's group was tried together first, then every device alone
    assert any(len(group) > 1 and bad in group for group in recorded) and [bad] in recorded
    logs = db.session.execute(select(JobLog.device_id, JobLog.message).where(JobLog.job_id == job_id,
                                                                             JobLog.device_id.is_not(None))).all()
    assert sorted(d for d, m in logs if m == "step ran") == sorted(results)  # nobody's log is lost
    assert [d for d, m in logs if m.startswith("InternalError")] == [bad]
    assert db.session.get(Device, bad).last_error.startswith("InternalError")


def _prepare_without_ssh(prepare):
    """The real preparation, minus the SSH target (the test handler opens no session)."""
    def wrapped(ctx, step):
        prepare(ctx, step)
        step.target = None
    return wrapped


def test_a_deadlock_on_the_progress_row_redoes_only_the_progress(committed_app, monkeypatch):
    """The results are committed before the progress: retrying a deadlocked progress update must
    not write the kind's rows again (a poll would store its samples twice) nor lose the count."""
    from sqlalchemy.exc import OperationalError

    org = make_org()
    cred = make_credential(org)
    devices = [make_device(org, credential=cred) for _ in range(3)]
    ids = [d.id for d in devices]
    recorded: list[list[int]] = []
    real, calls = runner._add_progress, []

    def deadlocks_once(job_id, done, failed):
        calls.append(done)
        if len(calls) == 1:
            raise OperationalError("UPDATE jobs", {}, Exception("(1213, 'Deadlock found when trying to get lock')"))
        return real(job_id, done, failed)

    monkeypatch.setattr(runner, "_add_progress", deadlocks_once)
    job_id = _run_command_job(monkeypatch, _handler(set(), recorded), devices)

    job = db.session.get(AutomationJob, job_id)
    assert len(calls) >= 2  # the deadlocked progress was retried
    assert sorted(d for group in recorded for d in group) == sorted(ids)  # each device written once
    assert job.status == "succeeded" and job.done == 3 and job.failed == 0


def test_claiming_ahead_runs_each_queued_device_once_and_leaves_the_others_alone(committed_app, monkeypatch):
    """A kind with CLAIM_AHEAD claims several devices per transaction; a device cancelled or
    already taken by another lane inside such a chunk is not run by this one."""
    from datetime import timedelta

    from sqlalchemy import update

    from zas.models.types import utcnow

    org = make_org()
    cred = make_credential(org)
    devices = [make_device(org, credential=cred) for _ in range(7)]
    ids = [d.id for d in devices]
    ran: list[int] = []
    module = _handler(set(), [])
    module.CLAIM_AHEAD = 3
    real_run = module.run_device

    def run_device(step):
        ran.append(step.device_id)
        real_run(step)

    module.run_device = run_device
    cancelled, elsewhere = ids[1], ids[4]

    def taken_or_cancelled(job_id):
        db.session.execute(update(JobResult).where(JobResult.job_id == job_id, JobResult.device_id == cancelled)
                           .values(status="cancelled"))
        db.session.execute(update(JobResult).where(JobResult.job_id == job_id, JobResult.device_id == elsewhere)
                           .values(status="running", started_at=utcnow() - timedelta(seconds=5)))
        db.session.commit()

    job_id = _run_command_job(monkeypatch, module, devices, taken_or_cancelled)

    assert sorted(ran) == sorted(set(ids) - {cancelled, elsewhere})
    status = dict(db.session.execute(select(JobResult.device_id, JobResult.status)
                                     .where(JobResult.job_id == job_id)).all())
    assert status[cancelled] == "cancelled" and status[elsewhere] == "running"
    assert all(status[d] == "succeeded" for d in ran)
