"""The UI in a real browser: sign in, live search, the device tabs, a diff, a backup on lab devices watched
to the end, the import preview, what a viewer is not offered, and failures that never leave a blank area.

Run: .venv/bin/pytest -m ui tests/ui  (add --screenshots to save tests/ui/screenshots/*.png)
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, make_credential, make_device, make_org, make_site, make_user
from zas.extensions import db
from zas.models import Interface
from zas.services import dbmanager

pytestmark = [pytest.mark.ui, pytest.mark.mariadb]

CONFIG_OLD = "hostname core-1\ninterface Gi0/1\n description to-floor-1\n!\nntp server 10.0.0.1\n"
CONFIG_NEW = "hostname core-1\ninterface Gi0/1\n description uplink to core\n!\nntp server 10.0.0.1\n"


def sign_in(page, username: str) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name=f"Welcome, {username}")).to_be_visible()


def inventory(role: str = "operator", username: str = "olga"):
    """An organization with a few devices (one with interfaces and two config versions), committed."""
    org = make_org("Acme")
    site = make_site(org, "HQ")
    cred = make_credential(org)
    devices = [make_device(org, name=name, site=site, credential=cred, status="up", software_version="15.2")
               for name in ("core-1", "core-2", "access-1", "access-2")]
    devices[0].tags = ["core"]
    for n in range(3):
        db.session.add(Interface(device_id=devices[0].id, name=f"Gi0/{n}", oper_status="up", vlan=10,
                                 ip_addresses=[]))
    v1, _ = dbmanager.save_config_version(devices[0], CONFIG_OLD)
    v2, _ = dbmanager.save_config_version(devices[0], CONFIG_NEW)
    make_user(username, role=role, org=org)
    db.session.commit()
    return org, devices, (v1.id, v2.id)


def test_login_search_and_bookmarkable_filters(page, screenshot):
    inventory()
    sign_in(page, "olga")
    screenshot("home")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Devices").click()
    rows = page.locator("#device-table tbody tr")
    expect(rows).to_have_count(4)
    page.evaluate("window.__noReload = true")  # set in this document; a full reload would lose it
    page.get_by_label("Search").press_sequentially("acc", delay=30)
    expect(rows).to_have_count(2)
    expect(page).to_have_url(re.compile(r"/devices\?.*q=acc"))
    assert page.evaluate("window.__noReload") is True
    screenshot("devices")
    page.reload()  # the URL alone reproduces the view
    expect(page.get_by_label("Search")).to_have_value("acc")
    expect(rows).to_have_count(2)
    page.get_by_role("link", name=re.compile("^Name")).click()  # sort by name, descending
    expect(rows.first).to_contain_text("access-2")
    expect(page).to_have_url(re.compile(r"sort=-name"))
    assert not page.js_errors


def test_each_device_tab_loads_in_place_and_by_url(page, screenshot):
    _, devices, _ = inventory()
    sign_in(page, "olga")
    page.goto(f"/devices/{devices[0].id}")
    expect(page.locator("#tab-info")).to_contain_text("15.2")
    screenshot("device-info")
    page.evaluate("window.__noReload = true")
    for label, fragment, text in (("Configuration", "#tab-config", "Versions"),
                                  ("Interfaces", "#tab-interfaces", "Gi0/2"),
                                  ("Tasks / logs", "#tab-tasks", "No job has touched"),
                                  ("Telemetry", "#tab-telemetry", ""),
                                  ("Basic info", "#tab-info", "Facts")):
        page.get_by_role("tab", name=label).click()
        expect(page.locator(fragment)).to_contain_text(text)
        expect(page.get_by_role("tab", name=label)).to_have_attribute("aria-selected", "true")
        screenshot(f"device-{fragment[5:]}")
    assert page.evaluate("window.__noReload") is True
    page.goto(f"/devices/{devices[0].id}/interfaces")  # each tab is also a page of its own
    expect(page.locator("#tab-interfaces")).to_contain_text("Gi0/0")
    page.get_by_label("VLAN").fill("99")
    page.get_by_label("VLAN").press("Enter")
    expect(page.locator("#tab-interfaces")).to_contain_text("No interface matches")
    assert not page.js_errors


def test_configuration_diff_unified_and_side_by_side(page, screenshot):
    _, devices, (v1, v2) = inventory()
    sign_in(page, "olga")
    page.goto(f"/devices/{devices[0].id}/config")
    page.get_by_role("button", name="Compare").click()
    diff = page.locator("#config-diff")
    expect(diff.locator(".del")).to_contain_text("description to-floor-1")
    expect(diff.locator(".add")).to_contain_text("description uplink to core")
    expect(page).to_have_url(re.compile(rf"a={v1}&b={v2}"))
    page.get_by_label("Side by side").check()
    page.get_by_role("button", name="Compare").click()
    expect(page.locator("table.diff.side tr.replace")).to_contain_text("uplink to core")
    screenshot("config-diff")
    page.get_by_role("link", name="View").first.click()
    expect(page.locator("#config-view td.ln").first).to_have_text("1")
    assert not page.js_errors


def test_backup_lab_devices_and_watch_the_job_finish(page, lab, committed_app, screenshot):
    from zas.lab.register import register_demo

    register_demo(lab.devices)
    org = db.session.scalar(db.select(__import__("zas.models", fromlist=["Organization"]).Organization))
    make_user("opal", role="operator", org=org)
    db.session.commit()
    sign_in(page, "opal")
    page.goto("/devices?q=lab-ios-0")
    for name in ("lab-ios-01", "lab-ios-02"):
        page.get_by_label(f"Select {name}").check()
    page.get_by_role("button", name="Back up", exact=True).click()
    expect(page.locator("#job-launch")).to_contain_text("lab-ios-02")
    page.get_by_role("button", name="Start job").click()
    expect(page).to_have_url(re.compile(r"/jobs/\d+$"))
    page.evaluate("window.__noReload = true")
    expect(page.locator("#job-status")).to_have_text("succeeded", timeout=60_000)
    expect(page.locator(".job-progress")).not_to_have_attribute("hx-trigger", re.compile("."))  # polling stopped
    expect(page.locator("tr[data-device='lab-ios-01']")).to_contain_text("succeeded")
    assert page.evaluate("window.__noReload") is True  # progress arrived without a reload
    screenshot("job-backup")
    page.get_by_role("link", name="lab-ios-01").click()
    page.get_by_role("tab", name="Configuration").click()
    expect(page.locator("#tab-config")).to_contain_text("latest")
    assert not page.js_errors


def test_viewer_is_not_offered_operator_actions(page):
    _, devices, _ = inventory(role="viewer", username="vera")
    sign_in(page, "vera")
    page.goto("/devices")
    expect(page.locator("#device-table tbody tr")).to_have_count(4)
    expect(page.get_by_role("button", name="Back up")).to_have_count(0)
    expect(page.locator("input[name=device_ids]")).to_have_count(0)
    page.goto(f"/devices/{devices[0].id}")
    expect(page.get_by_role("button", name="Back up now")).to_have_count(0)
    expect(page.get_by_role("link", name="Change configuration")).to_have_count(0)
    page.get_by_role("tab", name="Configuration").click()
    expect(page.locator("#tab-config")).to_contain_text("Versions")
    expect(page.get_by_role("button", name="Mark as golden")).to_have_count(0)


def test_a_failed_htmx_request_shows_an_inline_error(page):
    _, devices, _ = inventory()
    sign_in(page, "olga")
    page.goto(f"/devices/{devices[1].id}")
    db.session.delete(db.session.get(type(devices[1]), devices[1].id))  # gone before the next click
    db.session.commit()
    page.get_by_role("tab", name="Interfaces").click()
    expect(page.locator("#tab-body [role=alert]")).to_contain_text("Could not load this part of the page (HTTP 404)")


def test_an_expired_session_on_an_htmx_request_goes_to_login(page):
    inventory()
    sign_in(page, "olga")
    page.goto("/devices")
    page.context.clear_cookies()
    page.get_by_label("Search").press_sequentially("core", delay=30)
    expect(page).to_have_url(re.compile(r"/login\?next="))
    expect(page.get_by_role("heading", name="Sign in to ZAS")).to_be_visible()


def test_import_preview_then_confirm(page, tmp_path, screenshot):
    inventory()
    csv = tmp_path / "devices.csv"
    csv.write_text("organization,name,host,platform,tags\nAcme,new-1,10.9.0.1,cisco_ios,imported\n"
                   "Acme,core-1,10.9.0.2,cisco_ios,\n")
    sign_in(page, "olga")
    page.goto("/imports/devices")
    page.get_by_label("CSV or XLSX file").set_input_files(str(csv))
    page.get_by_role("button", name="Preview").click()
    preview = page.locator("#import-preview")
    expect(preview.locator("tr.create")).to_contain_text("new-1")
    expect(preview.locator("tr.update")).to_contain_text("core-1")
    screenshot("import-preview")
    page.get_by_role("button", name="Confirm import").click()
    expect(page.locator(".flashes")).to_contain_text("1 created, 1 updated")
    page.wait_for_function("() => window.htmx !== undefined")  # typed before htmx loads, no search runs
    page.get_by_label("Search").press_sequentially("new-1", delay=30)
    expect(page.locator("#device-table tbody tr")).to_have_count(1)
