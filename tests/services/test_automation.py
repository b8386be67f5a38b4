"""Job requests are validated before anything is written or queued."""
import pytest
from sqlalchemy import func, select

from tests.factories import make_device, make_org
from zas.errors import ValidationError
from zas.extensions import db
from zas.models import AutomationJob, JobResult
from zas.services import automation


@pytest.mark.parametrize("params,field", [
    ({"commands": []}, "params.commands"),
    ({"commands": "show version"}, "params.commands"),
    ({"commands": ["show version\nreload"]}, "params.commands"),
    ({"commands": ["show ver\x07"]}, "params.commands"),
    ({"commands": ["reload"]}, "params.commands"),
    ({"commands": ["show version"], "extra": 1}, "params.extra"),
])
def test_bad_command_params_name_the_field(params, field):
    with pytest.raises(ValidationError) as info:
        automation.validate_params("command", params)
    assert info.value.field == field


@pytest.mark.parametrize("params,field", [
    ({"lines": []}, "params.lines"),
    ({"lines": ["interface Gi0/1", "description a\r\nreload"]}, "params.lines"),
    ({"lines": ["hostname x"], "dry_run": "yes"}, "params.dry_run"),
])
def test_bad_config_params_name_the_field(params, field):
    with pytest.raises(ValidationError) as info:
        automation.validate_params("config", params)
    assert info.value.field == field


def test_unknown_kind():
    with pytest.raises(ValidationError) as info:
        automation.validate_params("explode", {})
    assert info.value.field == "kind"


def test_unknown_and_foreign_device_ids_are_both_just_unknown(org):
    mine = make_device(org)
    theirs = make_device(make_org("Elsewhere"))
    with pytest.raises(ValidationError) as info:
        automation.resolve_targets([mine.id, theirs.id, 999999], None, {org.id})
    assert info.value.field == "device_ids"
    assert str(theirs.id) in str(info.value) and "999999" in str(info.value)
    assert "Elsewhere" not in str(info.value)


def test_filter_selects_by_tag_and_platform(org):
    a = make_device(org, platform="arista_eos")
    a.tags = ["core"]
    make_device(org, platform="arista_eos")
    make_device(org, platform="cisco_ios").tags = ["core"]
    db.session.flush()
    found = automation.resolve_targets(None, {"platform": "arista_eos", "tag": "core"}, {org.id})
    assert [d.id for d in found] == [a.id]
    with pytest.raises(ValidationError) as info:
        automation.resolve_targets(None, {"colour": "red"}, {org.id})
    assert info.value.field == "filter"


def test_create_job_writes_one_result_per_device_in_batches(org):
    devices = [make_device(org) for _ in range(5)]
    job = automation.create_job("backup", devices, {}, actor_name="t", batch_size=2)
    rows = db.session.scalars(select(JobResult).where(JobResult.job_id == job.id)).all()
    assert job.total == 5 and len(rows) == 5
    assert sorted({r.batch_id for r in rows}) == [f"zas-job-{job.id}-0", f"zas-job-{job.id}-1", f"zas-job-{job.id}-2"]


def test_devices_of_two_organizations_need_two_jobs(org):
    with pytest.raises(ValidationError):
        automation.create_job("backup", [make_device(org), make_device(make_org())], {})


def test_invalid_request_writes_nothing(org):
    before = db.session.scalar(select(func.count(AutomationJob.id)))
    with pytest.raises(ValidationError):
        automation.create_job("command", [make_device(org)], {"commands": ["conf t"]})
    assert db.session.scalar(select(func.count(AutomationJob.id))) == before


def test_cancel_marks_queued_devices_and_finishes_the_job(org):
    job = automation.create_job("backup", [make_device(org), make_device(org)], {})
    assert automation.cancel(job, "tester") == 2
    db.session.refresh(job)
    assert job.status == "cancelled" and job.done == 2 and job.finished_at is not None
    assert automation.cancel(job) == 0


def test_finalize_statuses(org):
    job = automation.create_job("backup", [make_device(org), make_device(org)], {})
    first, second = job.results
    first.status, second.status = "succeeded", "failed"
    job.done = 2
    db.session.flush()
    assert automation.finalize_if_done(job.id) == "partial"
    assert automation.finalize_if_done(job.id) is None  # idempotent


def test_device_ids_must_be_integers(org):
    device = make_device(org)
    for bad in ([device.id, True], [str(device.id)], [1.5], "1,2"):
        with pytest.raises(ValidationError) as info:
            automation.resolve_targets(bad, None, {org.id})
        assert info.value.field == "device_ids"
    assert [d.id for d in automation.resolve_targets([device.id, device.id], None, {org.id})] == [device.id]
