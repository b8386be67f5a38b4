"""The reports API and page: formats, file names, scoping, bad input, schedules and stored files."""
from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.blueprints.reports.reportdata import EVIL, build_fleet
from tests.factories import PASSWORD, make_org, make_user
from zas.extensions import db
from zas.models import Schedule, StoredReport
from zas.services import accounts, reports


@pytest.fixture
def fleet(org):
    return build_fleet(org)


@pytest.fixture
def viewer_token(org):
    user = make_user("viewer", role="viewer", org=org)
    _, clear = accounts.issue_token(user, "t")
    return {"Authorization": f"Bearer {clear}"}


def login(client, user):
    client.post("/login", data={"username": user.username, "password": PASSWORD})


def test_api_needs_authentication(client):
    assert client.get("/api/v1/reports/inventory").status_code == 401


@pytest.mark.parametrize("name", list(reports.REPORTS))
def test_api_every_report_in_every_format_for_a_viewer(client, fleet, viewer_token, name, tmp_path):
    resp = client.get(f"/api/v1/reports/{name}", headers=viewer_token)
    assert resp.status_code == 200 and resp.json["report"] == name
    for fmt in ("csv", "xlsx", "pdf"):
        resp = client.get(f"/api/v1/reports/{name}?format={fmt}", headers=viewer_token)
        assert resp.status_code == 200, resp.data[:300]
        disposition = resp.headers["Content-Disposition"]
        assert disposition.startswith(f'attachment; filename="zas-{name}-20') and disposition.endswith(f'.{fmt}"')
        if fmt == "csv":
            assert resp.mimetype == "text/csv"
            assert list(csv.reader(io.StringIO(resp.data.decode("utf-8-sig"))))[0]
        elif fmt == "xlsx":
            (tmp_path / "r.xlsx").write_bytes(resp.data)
            assert len(load_workbook(tmp_path / "r.xlsx").sheetnames) == 2
        else:
            assert reports.titles()[name] in PdfReader(io.BytesIO(resp.data)).pages[0].extract_text()


def test_api_filters_and_scoping(client, org, fleet, viewer_token):
    other = make_org("Other")
    build_fleet(other, prefix="x-")
    rows = client.get("/api/v1/reports/inventory", headers=viewer_token).json["rows"]
    assert {r["name"] for r in rows} == {"core", "edge", EVIL, "<img src=file:///etc/passwd>"}
    resp = client.get(f"/api/v1/reports/inventory?organization_id={other.id}", headers=viewer_token)
    assert resp.status_code == 404
    rows = client.get("/api/v1/reports/inventory?tag=dc", headers=viewer_token).json["rows"]
    assert [r["name"] for r in rows] == ["core"]
    data = client.get("/api/v1/reports/uptime?format=csv", headers=viewer_token).data.decode("utf-8-sig")
    assert "x-core" not in data and "core" in data


def test_api_bad_input_names_the_accepted_values(client, fleet, viewer_token):
    resp = client.get("/api/v1/reports/nope", headers=viewer_token)
    assert resp.status_code == 404 and "inventory" in resp.json["message"] and "config-drift" in resp.json["message"]
    resp = client.get("/api/v1/reports/inventory?format=docx", headers=viewer_token)
    assert resp.status_code == 422 and "format" in resp.json["errors"]
    assert "json, csv, xlsx, pdf" in str(resp.json["errors"]["format"])
    resp = client.get("/api/v1/reports/uptime?since=yesterday", headers=viewer_token)
    assert resp.status_code == 422 and "since" in resp.json["errors"]


def test_page_shows_a_sortable_table_chart_and_downloads(client, org, fleet):
    login(client, make_user("v2", role="viewer", org=org))
    index = client.get("/reports")
    assert index.status_code == 200 and b"Configuration drift" in index.data
    assert b"Schedule a report" not in index.data  # viewers do not schedule
    page = client.get("/reports/inventory")
    html = page.data.decode()
    assert page.status_code == 200 and "<html" in html and 'class="report-table sortable"' in html
    assert "<svg" in html and "&lt;img src=file:///etc/passwd&gt;" in html and "<img src=file" not in html
    fragment = client.get("/reports/inventory?platform=cisco_ios", headers={"HX-Request": "true"}).data.decode()
    assert 'id="report-body"' in fragment and "<html" not in fragment and EVIL.replace('"', "&#34;") not in fragment
    for fmt in ("csv", "xlsx", "pdf", "json"):
        resp = client.get(f"/reports/config-drift/download/{fmt}?platform=cisco_ios")
        assert resp.status_code == 200
    assert client.get("/reports/nope").status_code == 404
    assert client.get("/reports/inventory/download/doc").status_code == 422


def test_empty_report_page_says_so(client, org):
    login(client, make_user("v3", role="viewer", org=org))
    assert b"No devices match these filters." in client.get("/reports/inventory").data


def test_admin_schedules_a_report_and_downloads_the_stored_file(client, org, fleet):
    from zas.jobs import report as report_job
    from zas.jobs import schedules

    login(client, make_user("boss", role="admin", org=org))
    assert b"Schedule a report" in client.get("/reports").data
    resp = client.post("/reports/schedules", data={"name": "weekly drift", "organization_id": org.id,
                                                    "report": "config-drift", "format": "csv", "frequency": "weekly"})
    assert resp.status_code == 303
    schedule = db.session.query(Schedule).filter_by(name="weekly drift").one()
    assert schedule.kind == "report" and schedule.cron == "0 6 * * 1"
    assert schedule.params == {"report": "config-drift", "format": "csv", "filters": {}, "frequency": "weekly"}
    # the tick hands it to the job; run it here, as the worker would
    calls = []
    original = report_job.enqueue
    report_job.enqueue = calls.append
    try:
        schedule.next_run_at = schedule.next_run_at.replace(year=2000)
        db.session.commit()
        schedules.tick()
    finally:
        report_job.enqueue = original
    assert calls == [schedule.id]
    stored_id = report_job.run(schedule.id)
    stored = db.session.get(StoredReport, stored_id)
    assert stored.filename.startswith("zas-config-drift-") and stored.organization_id == org.id
    assert b"edge" in stored.content
    index = client.get("/reports").data.decode()
    assert stored.filename in index and "weekly drift" in index
    resp = client.get(f"/reports/stored/{stored_id}")
    assert resp.status_code == 200 and b"edge" in resp.data and stored.filename in resp.headers["Content-Disposition"]
    resp = client.post(f"/reports/schedules/{schedule.id}/delete")
    assert resp.status_code == 303 and db.session.get(Schedule, schedule.id) is None


def test_schedule_bad_input_and_other_orgs(client, org):
    other = make_org("Other")
    login(client, make_user("boss2", role="admin", org=org))
    resp = client.post("/reports/schedules", data={"name": "x", "organization_id": org.id, "report": "nope",
                                                    "format": "csv", "frequency": "weekly"}, follow_redirects=True)
    assert b"report must be one of" in resp.data and db.session.query(Schedule).filter_by(kind="report").count() == 0
    resp = client.post("/reports/schedules", data={"name": "x", "organization_id": other.id, "report": "inventory",
                                                    "format": "csv", "frequency": "weekly"})
    assert resp.status_code == 404
    foreign = StoredReport(organization_id=other.id, report="inventory", format="csv", filename="f.csv", params={},
                           size=1, content=b"x")
    db.session.add(foreign)
    db.session.flush()
    assert client.get(f"/reports/stored/{foreign.id}").status_code == 404
