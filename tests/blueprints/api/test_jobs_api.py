"""Jobs API: 202 on submit, Redis down is a 503 with no row, roles, detail, cancel, audit."""
import pytest
from sqlalchemy import func, select

from tests.blueprints.api.helpers import api_as, personas
from tests.factories import make_credential, make_device
from zas.extensions import db
from zas.models import AuditEvent, AutomationJob


@pytest.fixture
def queued(app, redis_url, monkeypatch):
    """Jobs go to this test's own Redis; no worker runs them, so they stay queued."""
    monkeypatch.setitem(app.config, "REDIS_URL", redis_url)
    app.extensions.pop("zas_redis", None)
    yield
    app.extensions.pop("zas_redis", None)
    import redis

    redis.Redis.from_url(redis_url).flushdb()  # other tests count this database's queues


@pytest.fixture
def world(app):
    org, other, users = personas()
    cred = make_credential(org)
    devices = [make_device(org, credential=cred) for _ in range(3)]
    return org, other, users, devices


def test_operator_submits_202_and_reads_progress_results_log(world, client, queued):
    org, _, users, devices = world
    api = api_as(client, users["operator"])
    resp = api.post("/jobs", json={"kind": "command", "device_ids": [d.id for d in devices],
                                   "params": {"commands": ["show version"]}})
    assert resp.status_code == 202 and set(resp.json) == {"id", "status"} and resp.json["status"] == "queued"
    detail = api.get(f"/jobs/{resp.json['id']}").json
    assert detail["progress"] == {"done": 0, "total": 3}
    assert sorted(r["device_id"] for r in detail["results"]) == sorted(d.id for d in devices)
    assert {"device_id", "status", "output", "error"} <= set(detail["results"][0])
    assert detail["log"] and "queued" in detail["log"][0]["message"]
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"job.launch", "credential.use"} <= actions
    assert [j["id"] for j in api.get("/jobs").json] == [resp.json["id"]]


def test_submit_by_filter(world, client, queued):
    org, _, users, devices = world
    resp = api_as(client, users["operator"]).post("/jobs", json={"kind": "backup",
                                                                 "filter": {"organization_id": org.id}})
    assert resp.status_code == 202
    assert db.session.get(AutomationJob, resp.json["id"]).total == 3


def test_redis_down_is_503_and_no_job_row(world, client, app, monkeypatch):
    org, _, users, devices = world
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:1/0")
    app.extensions.pop("zas_redis", None)
    try:
        resp = api_as(client, users["operator"]).post("/jobs", json={"kind": "backup", "device_ids": [devices[0].id]})
    finally:
        app.extensions.pop("zas_redis", None)
    assert resp.status_code == 503
    assert db.session.scalar(select(func.count(AutomationJob.id))) == 0


def test_viewer_cannot_run_jobs_and_outsider_devices_are_unknown(world, client, queued):
    org, other, users, devices = world
    resp = api_as(client, users["viewer"]).post("/jobs", json={"kind": "backup", "device_ids": [devices[0].id]})
    assert resp.status_code == 403
    resp = api_as(client, users["outsider"]).post("/jobs", json={"kind": "backup", "device_ids": [devices[0].id]})
    assert resp.status_code == 422 and "device_ids" in resp.json["errors"]
    assert db.session.scalar(select(func.count(AutomationJob.id))) == 0


@pytest.mark.parametrize("body, field", [
    ({"kind": "reboot", "device_ids": [1]}, "kind"),
    ({"kind": "command", "device_ids": [1], "params": {"commands": ["reload"]}}, "params.commands"),
    ({"kind": "backup"}, "device_ids"),
    ({"kind": "backup", "device_ids": [1], "extra": 1}, "extra"),
])
def test_bad_job_requests_name_the_field(world, client, queued, body, field):
    org, _, users, devices = world
    body = dict(body)
    if body.get("device_ids") == [1]:
        body["device_ids"] = [devices[0].id]
    resp = api_as(client, users["operator"]).post("/jobs", json=body)
    assert resp.status_code == 422 and field in resp.json["errors"], resp.json


def test_cancel_and_outsider_404(world, client, queued):
    org, _, users, devices = world
    api = api_as(client, users["operator"])
    job_id = api.post("/jobs", json={"kind": "backup", "device_ids": [devices[0].id]}).json["id"]
    assert api_as(client, users["outsider"]).get(f"/jobs/{job_id}").status_code == 404
    assert api_as(client, users["viewer"]).post(f"/jobs/{job_id}/cancel").status_code == 403
    resp = api.post(f"/jobs/{job_id}/cancel")
    assert resp.status_code == 200 and resp.json["status"] == "cancelled"
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "job.cancel")) is not None
