"""Jobs end to end against the device lab: real SSH through netmiko, real database, both dispatch modes."""
from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

from tests.jobs.conftest import kill_worker, start_worker
from tests.jobs.helpers import wait_for_job
from tests.jobs.lab_helpers import register
from zas.extensions import db
from zas.jobs import dispatch, reconciler
from zas.models import AutomationJob, ConfigVersion, Device, Interface, JobResult
from zas.services import automation

pytestmark = [pytest.mark.lab, pytest.mark.mariadb]


def run_job(kind, ids, params=None, timeout=90):
    devices = list(db.session.scalars(select(Device).where(Device.id.in_(ids)).order_by(Device.id)))
    job_id = automation.create_job(kind, devices, params or {}, actor_name="test").id
    db.session.commit()
    dispatch.enqueue_job(job_id)
    return wait_for_job(job_id, timeout)


def results(job) -> dict[str, JobResult]:
    return {r.device_name: r for r in job.results}


def versions(device_id) -> int:
    db.session.remove()
    return db.session.scalar(select(func.count(ConfigVersion.id)).where(ConfigVersion.device_id == device_id))


def test_group_backup_ends_partial_with_each_fault_classified(lab, lab_app):
    names = ["lab-ios-01", "lab-eos-01", "lab-junos-01", "lab-ios-03", "lab-eos-03", "lab-junos-03", "lab-ios-04"]
    ids = register(lab, names)
    job = run_job("backup", list(ids.values()))
    by_name = results(job)
    assert job.status == "partial"
    for healthy in ("lab-ios-01", "lab-eos-01", "lab-junos-01"):
        assert by_name[healthy].status == "succeeded", by_name[healthy].error
        assert versions(ids[healthy]) == 1
    assert by_name["lab-ios-03"].error_class == "DeviceAuthFailed"
    assert by_name["lab-eos-03"].error_class == "ConnectionRefused"
    assert by_name["lab-junos-03"].error_class == "DeviceTimeout"
    assert by_name["lab-ios-04"].error_class in ("DeviceDisconnected", "DeviceTimeout")
    for name in ("lab-ios-03", "lab-eos-03", "lab-junos-03", "lab-ios-04"):
        assert versions(ids[name]) == 0
        device = db.session.get(Device, ids[name])
        assert device.last_backup_status == "failed" and device.last_error
    # nothing secret in what the job kept
    password = lab.device("lab-ios-01")["password"]
    texts = [r.output or "" for r in job.results] + [r.error or "" for r in job.results]
    assert not any(password in t for t in texts)


def test_unchanged_rebackup_stores_no_new_version(lab, lab_app):
    ids = register(lab, ["lab-ios-02", "lab-junos-02"])
    first = run_job("backup", list(ids.values()))
    assert first.status == "succeeded"
    second = run_job("backup", list(ids.values()))
    assert second.status == "succeeded"
    assert all("unchanged" in r.output and not r.changed for r in second.results)
    assert versions(ids["lab-ios-02"]) == 1 and versions(ids["lab-junos-02"]) == 1


def test_config_dry_run_changes_nothing_then_the_real_run_shows_in_the_next_backup(lab, lab_app):
    ids = register(lab, ["lab-eos-02"])
    device_id = ids["lab-eos-02"]
    stamp = f"zas-test-{int(time.time() * 1000)}"
    lines = ["interface Ethernet2", f"description {stamp}"]
    assert run_job("backup", [device_id]).status == "succeeded"

    dry = run_job("config", [device_id], {"lines": lines, "dry_run": True})
    assert dry.status == "succeeded"
    assert f"+ description {stamp}" in dry.results[0].diff
    assert run_job("backup", [device_id]).results[0].changed is False  # the device was not touched
    assert versions(device_id) == 1

    real = run_job("config", [device_id], {"lines": lines})
    assert real.status == "succeeded", real.results[0].error
    assert f"description {stamp}" in real.results[0].diff
    newest = db.session.scalar(select(ConfigVersion).where(ConfigVersion.device_id == device_id)
                               .order_by(ConfigVersion.id.desc()).limit(1))
    assert stamp in newest.text and newest.source == "after-change"
    assert run_job("backup", [device_id]).results[0].changed is False  # what the device now runs


def test_config_stops_at_the_rejected_line_and_names_it(lab, lab_app):
    ids = register(lab, ["lab-ios-02"])
    job = run_job("config", list(ids.values()), {"lines": ["interface GigabitEthernet0/1", "frobnicate the port",
                                                             "description never-applied"]})
    result = job.results[0]
    assert job.status == "failed" and result.error_class == "CommandRejected"
    assert "frobnicate the port" in result.error


def test_command_job_keeps_output_per_device(lab, lab_app):
    ids = register(lab, ["lab-ios-01", "lab-junos-01"])
    job = run_job("command", list(ids.values()), {"commands": ["show version"]})
    assert job.status == "succeeded"
    by_name = results(job)
    assert "Cisco IOS Software" in by_name["lab-ios-01"].output
    assert "Junos" in by_name["lab-junos-01"].output or "JUNOS" in by_name["lab-junos-01"].output


def test_discover_fills_facts_and_interfaces(lab, lab_app):
    ids = register(lab, ["lab-ios-01", "lab-eos-01", "lab-junos-01"])
    job = run_job("discover", list(ids.values()))
    assert job.status == "succeeded", [r.error for r in job.results]
    db.session.remove()
    for name, device_id in ids.items():
        device = db.session.get(Device, device_id)
        assert device.model and device.software_version and device.serial and device.uptime_seconds, name
        assert device.hostname == name
        count = db.session.scalar(select(func.count(Interface.id)).where(Interface.device_id == device_id))
        assert count >= 2, name


def test_host_key_is_pinned_a_changed_key_refused_and_accepting_it_works(lab, lab_app):
    ids = register(lab, ["lab-eos-01", "lab-eos-04"])
    healthy, changed = ids["lab-eos-01"], ids["lab-eos-04"]
    # the hostkey fault presents a key other than the device's stable one: pin the stable one
    device = db.session.get(Device, changed)
    device.ssh_host_key = lab.host_key_line("lab-eos-04").split(" ", 1)[1]
    db.session.commit()
    job = run_job("backup", [healthy, changed])
    by_name = results(job)
    assert by_name["lab-eos-04"].error_class == "HostKeyMismatch"
    assert by_name["lab-eos-01"].status == "succeeded"
    db.session.remove()
    pinned = db.session.get(Device, healthy).ssh_host_key
    assert pinned == lab.host_key_line("lab-eos-01").split(" ", 1)[1]
    # an operator accepts the new key: the next contact pins what the device presents
    db.session.get(Device, changed).ssh_host_key = None
    db.session.commit()
    assert run_job("backup", [changed]).status == "succeeded"


def test_rq_worker_backs_up_lab_devices(lab, rq_app):
    ids = register(lab, ["lab-ios-02", "lab-eos-02", "lab-junos-02"])
    devices = list(db.session.scalars(select(Device)))
    job_id = automation.create_job("backup", devices, {}, actor_name="t", batch_size=2).id
    db.session.commit()
    dispatch.enqueue_job(job_id)
    worker = start_worker(rq_app, "--burst")
    out, _ = worker.communicate(timeout=120)
    assert worker.returncode == 0, out
    job = wait_for_job(job_id, 10)
    assert job.status == "succeeded", [(r.device_name, r.error) for r in job.results]
    assert all(versions(i) >= 1 for i in ids.values())


def test_killed_worker_ends_the_job_failed_not_running(lab, rq_app):
    ids = register(lab, ["lab-junos-03"])  # hangs after login: the worker is busy when killed
    devices = list(db.session.scalars(select(Device)))
    job_id = automation.create_job("backup", devices, {}, actor_name="t").id
    db.session.commit()
    dispatch.enqueue_job(job_id)
    worker = start_worker(rq_app, ZAS_SSH_READ_TIMEOUT=120, ZAS_SSH_CONN_TIMEOUT=60)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            db.session.remove()
            if db.session.get(AutomationJob, job_id).status == "running":
                break
            time.sleep(0.2)
        assert db.session.get(AutomationJob, job_id).status == "running"
    finally:
        kill_worker(worker)  # the worker and its work horse, without warning
    db.session.remove()
    stale = rq_app.config["JOB_STALE_AFTER"]
    deadline = time.monotonic() + stale + 30
    while reconciler.reconcile() == 0 and time.monotonic() < deadline:
        db.session.remove()
        time.sleep(0.5)
    db.session.remove()
    job = db.session.get(AutomationJob, job_id)
    assert job.status == "failed" and job.results[0].error_class == "WorkerLost"
    assert ids  # the device was the lab's hanging one
