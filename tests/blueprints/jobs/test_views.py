"""Job pages: launch dialogs with errors beside the field, the job page that polls only while the job runs,
command output grouped or side by side, dry-run then apply, cancel, the list."""
import pytest
from sqlalchemy import select

from tests.factories import make_device, make_org
from tests.ui.helpers import HX, assert_page_and_fragment, sign_in
from zas.extensions import db
from zas.jobs import dispatch
from zas.models import AutomationJob, JobResult
from zas.services import automation


@pytest.fixture
def queued(monkeypatch):
    """Job ids handed to the queue. The queue is the seam: these tests check the pages, not the runner
    (the browser test runs real jobs against the lab)."""
    calls = []
    monkeypatch.setattr(dispatch, "enqueue_job", calls.append)
    return calls


@pytest.fixture
def setup(app):
    org = make_org("Acme")
    devices = [make_device(org, name=f"sw-{i}") for i in range(3)]
    return org, devices


def test_launch_dialog_lists_the_selected_devices(client, setup):
    org, devices = setup
    sign_in(client, role="operator", org=org)
    url = f"/jobs/new?kind=backup&device_ids={devices[0].id}&device_ids={devices[2].id}"
    page, fragment = assert_page_and_fragment(client, url, "job-launch")
    assert "sw-0" in fragment and "sw-2" in fragment and "sw-1" not in fragment


def test_backup_job_is_created_queued_and_shown(client, setup, queued):
    org, devices = setup
    sign_in(client, role="operator", org=org)
    resp = client.post("/jobs", data={"kind": "backup", "device_ids": [d.id for d in devices]})
    assert resp.status_code == 302
    job = db.session.scalar(select(AutomationJob).order_by(AutomationJob.id.desc()))
    assert resp.headers["Location"].endswith(f"/jobs/{job.id}") and queued == [job.id]
    assert job.kind == "backup" and job.total == 3
    page, fragment = assert_page_and_fragment(client, f"/jobs/{job.id}", f"job-{job.id}")
    assert 'hx-trigger="every 1s"' in fragment and "<progress" in fragment and "sw-1" in fragment


def test_finished_job_fragment_stops_polling(client, setup):
    org, devices = setup
    job = automation.create_job("backup", devices[:1], {})
    job.status, job.done = "succeeded", 1
    db.session.flush()
    sign_in(client, role="viewer", org=org)
    fragment = client.get(f"/jobs/{job.id}", headers=HX).get_data(as_text=True)
    assert f'id="job-{job.id}"' in fragment and "hx-trigger" not in fragment and "succeeded" in fragment


def test_command_errors_are_shown_beside_the_field_with_values_kept(client, setup, queued):
    org, devices = setup
    sign_in(client, role="operator", org=org)
    resp = client.post("/jobs", data={"kind": "command", "device_ids": devices[0].id,
                                      "commands": "show version\nreload"})
    body = resp.get_data(as_text=True)
    assert resp.status_code == 422 and queued == []
    assert 'aria-invalid="true"' in body and "starts with &#39;reload&#39;" in body
    assert "show version\nreload" in body  # what was typed is kept
    assert db.session.scalar(select(AutomationJob)) is None


def test_no_device_selected_is_explained(client, setup, queued):
    sign_in(client, role="operator", org=setup[0])
    resp = client.post("/jobs", data={"kind": "backup"})
    assert resp.status_code == 422 and "select at least one device" in resp.get_data(as_text=True)


def test_devices_of_another_organization_cannot_be_targeted(client, setup, queued):
    other = make_device(make_org("Other"), name="theirs")
    sign_in(client, role="operator", org=setup[0])
    resp = client.post("/jobs", data={"kind": "backup", "device_ids": other.id})
    assert resp.status_code == 422 and queued == [] and "unknown device ids" in resp.get_data(as_text=True)


def _finish(job, outputs):
    for result in db.session.scalars(select(JobResult).where(JobResult.job_id == job.id)):
        result.status, result.output = "succeeded", outputs[result.device_name]
    job.status, job.done = "succeeded", job.total
    db.session.flush()


def test_command_output_grouped_by_identical_output_or_side_by_side(client, setup):
    org, devices = setup
    job = automation.create_job("command", devices, {"commands": ["show version"]})
    _finish(job, {"sw-0": "Version 15.2", "sw-1": "Version 15.2", "sw-2": "Version 16.9"})
    sign_in(client, role="viewer", org=org)
    grouped = client.get(f"/jobs/{job.id}", headers=HX).get_data(as_text=True)
    assert "2 devices: sw-0, sw-1" in grouped and "1 device: sw-2" in grouped
    side = client.get(f"/jobs/{job.id}?view=side", headers=HX).get_data(as_text=True)
    assert 'class="side-by-side"' in side and side.count("Version 15.2") == 2


def test_dry_run_shows_each_diff_and_offers_to_apply(client, setup, queued):
    org, devices = setup
    job = automation.create_job("config", devices[:2], {"lines": ["ntp server 10.0.0.1"], "dry_run": True})
    for result in db.session.scalars(select(JobResult).where(JobResult.job_id == job.id)):
        result.status, result.diff = "succeeded", "--- version 1\n+++ predicted\n@@ -1 +1,2 @@\n+ntp server 10.0.0.1\n"
    job.status, job.done = "succeeded", 2
    db.session.flush()
    sign_in(client, role="operator", org=org)
    body = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert '<span class="add">+ntp server 10.0.0.1</span>' in body and "Apply these lines now" in body
    resp = client.post("/jobs", data={"kind": "config", "lines": "ntp server 10.0.0.1", "save": "y",
                                      "device_ids": [d.id for d in devices[:2]]})
    applied = db.session.get(AutomationJob, queued[0])
    assert resp.status_code == 302 and applied.params["dry_run"] is False and applied.params["lines"] == [
        "ntp server 10.0.0.1"]


def test_viewer_is_not_offered_apply_or_cancel(client, setup):
    org, devices = setup
    job = automation.create_job("backup", devices, {})
    sign_in(client, role="viewer", org=org)
    body = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "Cancel job" not in body
    assert client.post(f"/jobs/{job.id}/cancel").status_code == 403


def test_cancel_stops_queued_devices(client, setup):
    org, devices = setup
    job = automation.create_job("backup", devices, {})
    sign_in(client, role="operator", org=org)
    assert client.post(f"/jobs/{job.id}/cancel").status_code == 302
    db.session.refresh(job)
    assert job.status == "cancelled"


def test_job_list_filters_and_hides_other_organizations(client, setup):
    org, devices = setup
    mine = automation.create_job("backup", devices, {})
    theirs = automation.create_job("backup", [make_device(make_org("Other"))], {})
    sign_in(client, role="viewer", org=org)
    page, fragment = assert_page_and_fragment(client, "/jobs", "job-list")
    assert f"#{mine.id}" in fragment and f"#{theirs.id}<" not in fragment
    assert f"#{mine.id}" not in client.get("/jobs?kind=command", headers=HX).get_data(as_text=True)
    assert client.get(f"/jobs/{theirs.id}").status_code == 404
    assert "kind must be one of" in client.get("/jobs?kind=nope").get_data(as_text=True)
