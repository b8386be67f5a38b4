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


def test_a_group_that_cannot_be_written_costs_only_its_bad_device(committed_app, monkeypatch):
    org = make_org()
    cred = make_credential(org)
    devices = [make_device(org, credential=cred) for _ in range(4)]
    bad = devices[2].id
    recorded: list[list[int]] = []
    sys.modules["zas_test_handler"] = _handler({bad}, recorded)
    monkeypatch.setitem(runner.HANDLERS, "command", "zas_test_handler")
    monkeypatch.setattr(runner, "_claim", _claim_without_ssh(runner._claim))
    try:
        job = automation.create_job("command", devices, {"commands": ["show clock"]}, actor_name="t")
        db.session.commit()
        job_id = job.id
        runner.run_batch(job_id, [d.id for d in devices])
    finally:
        sys.modules.pop("zas_test_handler", None)
    db.session.remove()

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


def _claim_without_ssh(claim):
    """The real claim, minus the SSH target (the test handler opens no session)."""
    def wrapped(ctx, step, conn=None):
        ok = claim(ctx, step, conn)
        step.target = None
        return ok
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
    sys.modules["zas_test_handler"] = _handler(set(), recorded)
    monkeypatch.setitem(runner.HANDLERS, "command", "zas_test_handler")
    monkeypatch.setattr(runner, "_claim", _claim_without_ssh(runner._claim))
    real, calls = runner._add_progress, []

    def deadlocks_once(job_id, done, failed):
        calls.append(done)
        if len(calls) == 1:
            raise OperationalError("UPDATE jobs", {}, Exception("(1213, 'Deadlock found when trying to get lock')"))
        return real(job_id, done, failed)

    monkeypatch.setattr(runner, "_add_progress", deadlocks_once)
    try:
        job = automation.create_job("command", devices, {"commands": ["show clock"]}, actor_name="t")
        db.session.commit()
        job_id = job.id
        runner.run_batch(job_id, ids)
    finally:
        sys.modules.pop("zas_test_handler", None)
    db.session.remove()

    job = db.session.get(AutomationJob, job_id)
    assert len(calls) >= 2  # the deadlocked progress was retried
    assert sorted(d for group in recorded for d in group) == sorted(ids)  # each device written once
    assert job.status == "succeeded" and job.done == 3 and job.failed == 0
