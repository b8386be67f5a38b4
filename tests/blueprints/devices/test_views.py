"""Device pages: list filters and search, each tab as page and fragment, config view/diff/golden, permissions."""
import pytest

from tests.factories import make_device, make_org, make_site
from tests.ui.helpers import HX, assert_page_and_fragment, sign_in
from zas.extensions import db
from zas.models import Interface, JobResult
from zas.services import automation, dbmanager

CONFIG_1 = "hostname r1\nenable secret 5 $1$abcd$verysecret\ninterface Gi0/1\n description old\n"
CONFIG_2 = "hostname r1\nenable secret 5 $1$abcd$verysecret\ninterface Gi0/1\n description new uplink\n"


@pytest.fixture
def lab(app):
    """Two organizations; a signed-in operator of the first sees only its devices."""
    org, other = make_org("Acme"), make_org("Other")
    site = make_site(org, "HQ")
    devices = [make_device(org, name=f"core-{i}", site=site, platform="cisco_ios", status="up",
                           software_version="15.2") for i in range(3)]
    devices.append(make_device(org, name="edge-1", platform="arista_eos", status="down", software_version="4.30"))
    devices[0].tags = ["core", "lab"]
    hidden = make_device(other, name="secret-router")
    db.session.flush()
    return org, devices, hidden


def test_device_list_is_a_page_and_a_fragment(client, lab):
    sign_in(client, role="operator", org=lab[0])
    page, fragment = assert_page_and_fragment(client, "/devices", "device-table")
    assert "core-0" in fragment and "edge-1" in fragment
    assert "secret-router" not in page  # another organization's device is never listed
    assert 'id="device-q"' in page and "hx-push-url" in page


def test_search_filters_sort_and_pagination_come_from_the_url(client, lab):
    sign_in(client, role="viewer", org=lab[0])
    body = client.get("/devices?q=edge", headers=HX).get_data(as_text=True)
    assert "edge-1" in body and "core-0" not in body
    body = client.get("/devices?platform=cisco_ios&status=up&software_version=15.2").get_data(as_text=True)
    assert "core-1" in body and "edge-1" not in body
    body = client.get("/devices?tag=core", headers=HX).get_data(as_text=True)
    assert "core-0" in body and "core-1" not in body
    body = client.get("/devices?sort=-name&page_size=2", headers=HX).get_data(as_text=True)
    assert body.index("edge-1") < body.index("core-2") and "core-0" not in body and "Page 1 of 2" in body
    body = client.get("/devices?sort=-name&page_size=2&page=2", headers=HX).get_data(as_text=True)
    assert "core-0" in body and "edge-1" not in body


def test_bad_list_arguments_are_named_not_a_crash(client, lab):
    sign_in(client, role="viewer", org=lab[0])
    resp = client.get("/devices?site_id=abc", headers=HX)
    assert resp.status_code == 422 and "site_id must be a whole number" in resp.get_data(as_text=True)
    resp = client.get("/devices?sort=bogus")
    assert resp.status_code == 422 and "sort must be one of" in resp.get_data(as_text=True)


def test_viewer_sees_no_job_or_edit_buttons(client, lab):
    org, devices, _ = lab
    sign_in(client, role="viewer", org=org)
    body = client.get("/devices").get_data(as_text=True)
    assert "bulk-form" not in body and "Add device" not in body
    body = client.get(f"/devices/{devices[0].id}").get_data(as_text=True)
    assert "Back up now" not in body and "Change configuration" not in body and "Edit" not in body
    assert client.get("/jobs/new?kind=backup").status_code == 403
    assert client.post("/jobs", data={"kind": "backup", "device_ids": devices[0].id}).status_code == 403


def test_operator_sees_job_buttons(client, lab):
    org, devices, _ = lab
    sign_in(client, role="operator", org=org)
    body = client.get("/devices").get_data(as_text=True)
    assert 'id="bulk-form"' in body and 'name="device_ids"' in body
    assert "Back up now" in client.get(f"/devices/{devices[0].id}").get_data(as_text=True)


def test_another_organizations_device_is_not_found(client, lab):
    sign_in(client, role="admin", org=lab[0])
    for suffix in ("", "/config", "/interfaces", "/tasks", "/telemetry"):
        assert client.get(f"/devices/{lab[2].id}{suffix}").status_code == 404


@pytest.mark.parametrize("suffix,fragment_id", [("", "tab-info"), ("/config", "tab-config"),
                                                ("/interfaces", "tab-interfaces"), ("/tasks", "tab-tasks"),
                                                ("/telemetry", "tab-telemetry")])
def test_each_tab_is_a_page_and_a_fragment(client, lab, suffix, fragment_id):
    device = lab[1][0]
    sign_in(client, role="viewer", org=lab[0])
    page, _ = assert_page_and_fragment(client, f"/devices/{device.id}{suffix}", fragment_id)
    assert 'role="tablist"' in page and device.name in page


def test_basic_info_shows_facts_and_drift(client, lab):
    device = lab[1][0]
    device.serial, device.drift_status = "FTX123", "drifted"
    sign_in(client, role="viewer", org=lab[0])
    body = client.get(f"/devices/{device.id}").get_data(as_text=True)
    assert "FTX123" in body and "drifted" in body and "HQ" in body


def _versions(device):
    v1, _ = dbmanager.save_config_version(device, CONFIG_1)
    v2, _ = dbmanager.save_config_version(device, CONFIG_2)
    db.session.flush()
    return v1, v2


def test_config_version_view_has_line_numbers_and_masks_secrets_for_non_admins(client, lab):
    device = lab[1][0]
    v1, v2 = _versions(device)
    sign_in(client, role="operator", org=lab[0])
    body = client.get(f"/devices/{device.id}/config?version={v1.id}", headers=HX).get_data(as_text=True)
    assert 'id="config-view"' in body and '<td class="ln">4</td>' in body
    assert "verysecret" not in body and "&lt;removed&gt;" in body
    download = client.get(f"/devices/{device.id}/config/{v1.id}/download")
    assert download.status_code == 200 and b"verysecret" not in download.data and b"hostname r1" in download.data


def test_admin_sees_the_configuration_unmasked(client, lab):
    device = lab[1][0]
    v1, _ = _versions(device)
    sign_in(client, role="admin", org=lab[0])
    body = client.get(f"/devices/{device.id}/config?version={v1.id}").get_data(as_text=True)
    assert "verysecret" in body


def test_unified_and_side_by_side_diff(client, lab):
    device = lab[1][0]
    v1, v2 = _versions(device)
    sign_in(client, role="viewer", org=lab[0])
    body = client.get(f"/devices/{device.id}/config?a={v1.id}&b={v2.id}", headers=HX).get_data(as_text=True)
    assert '<span class="del">- description old</span>' in body
    assert '<span class="add">+ description new uplink</span>' in body
    body = client.get(f"/devices/{device.id}/config?a={v2.id}&b={v1.id}&mode=side",
                      headers=HX).get_data(as_text=True)
    assert 'class="diff side"' in body and '<tr class="replace">' in body
    assert body.index("description old") < body.index("description new uplink")  # oldest on the left


def test_diff_against_another_devices_version_names_the_field(client, lab):
    device, other = lab[1][0], lab[1][1]
    v1, _ = _versions(device)
    w, _ = dbmanager.save_config_version(other, "hostname x\n")
    sign_in(client, role="viewer", org=lab[0])
    resp = client.get(f"/devices/{device.id}/config?a={v1.id}&b={w.id}", headers=HX)
    assert resp.status_code == 200 and f"b: no version {w.id} of {device.name}" in resp.get_data(as_text=True)
    assert client.get(f"/devices/{device.id}/config/{w.id}/download").status_code == 404


def test_mark_golden_needs_an_operator_and_recomputes_drift(client, lab):
    device = lab[1][0]
    v1, v2 = _versions(device)
    sign_in(client, role="operator", org=lab[0])
    resp = client.post(f"/devices/{device.id}/config/golden", data={"version_id": v1.id})
    assert resp.status_code == 302
    db.session.refresh(device)
    assert device.golden_config_id == v1.id and device.drift_status == "drifted"
    body = client.get(f"/devices/{device.id}/config").get_data(as_text=True)
    assert "golden" in body and "The newest configuration differs from the baseline" in body


def test_viewer_cannot_mark_golden(client, lab):
    device = lab[1][0]
    v1, _ = _versions(device)
    sign_in(client, role="viewer", org=lab[0])
    assert "Mark as golden" not in client.get(f"/devices/{device.id}/config").get_data(as_text=True)
    assert client.post(f"/devices/{device.id}/config/golden", data={"version_id": v1.id}).status_code == 403


def test_interfaces_tab_filters_by_name_status_and_vlan(client, lab):
    device = lab[1][0]
    for n in range(60):
        db.session.add(Interface(device_id=device.id, name=f"Gi0/{n:02d}", oper_status="up" if n % 2 else "down",
                                 vlan=10 if n < 5 else 20, speed=1_000_000_000, ip_addresses=[]))
    db.session.flush()
    sign_in(client, role="viewer", org=lab[0])
    body = client.get(f"/devices/{device.id}/interfaces", headers=HX).get_data(as_text=True)
    assert "Gi0/00" in body and "Gi0/59" not in body and "Page 1 of 2" in body and "1 Gb/s" in body
    body = client.get(f"/devices/{device.id}/interfaces?vlan=10&status=up", headers=HX).get_data(as_text=True)
    assert "Gi0/01" in body and "Gi0/03" in body and "Gi0/02" not in body and "Gi0/07" not in body
    body = client.get(f"/devices/{device.id}/interfaces?name=Gi0/5", headers=HX).get_data(as_text=True)
    assert "Gi0/55" in body and "Gi0/44" not in body
    resp = client.get(f"/devices/{device.id}/interfaces?vlan=ten", headers=HX)
    assert "vlan must be a whole number" in resp.get_data(as_text=True)


def test_tasks_tab_lists_jobs_with_this_devices_output(client, lab, app):
    device = lab[1][0]
    job = automation.create_job("command", [device, lab[1][1]], {"commands": ["show version"]})
    result = db.session.query(JobResult).filter_by(job_id=job.id, device_id=device.id).one()
    result.status, result.output = "succeeded", "Cisco IOS Software, Version 15.2"
    db.session.flush()
    sign_in(client, role="viewer", org=lab[0])
    body = client.get(f"/devices/{device.id}/tasks", headers=HX).get_data(as_text=True)
    assert f"Job #{job.id}" in body and "Cisco IOS Software, Version 15.2" in body


def test_telemetry_tab_has_content_not_an_empty_box(client, lab):
    sign_in(client, role="viewer", org=lab[0])
    body = client.get(f"/devices/{lab[1][0].id}/telemetry", headers=HX).get_data(as_text=True)
    assert "id=\"tab-telemetry\"" in body and "tab-body" not in body
    assert len(body.strip()) > 100  # something to read, not an empty box
