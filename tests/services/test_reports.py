"""Each report's content against data built here, scoping, periods and bad input."""
from __future__ import annotations

from datetime import timedelta

import pytest

from tests.blueprints.reports.reportdata import EVIL, EVIL_HTML, build_fleet
from tests.factories import make_device, make_org
from zas.errors import NotFound, ValidationError
from zas.extensions import db
from zas.models import DeviceTelemetry
from zas.models.types import utcnow
from zas.services import authz, reports
from zas.services.reports.base import version_key
from zas.services.reports.utilization import percentile


def scope_of(*orgs, role="viewer"):
    return authz.Scope(user_id=None, username="t", roles={o.id: role for o in orgs})


def rows_by(report, key="name"):
    index = [c.key for c in report.columns].index(key)
    return {row[index]: dict(zip([c.key for c in report.columns], row)) for row in report.rows}


@pytest.fixture
def fleet(org):
    return build_fleet(org)


def test_inventory_lists_devices_with_facts_tags_and_counts(org, fleet):
    other = make_org("Other")
    make_device(other, name="not-yours")
    report = reports.build("inventory", {}, scope_of(org))
    rows = rows_by(report)
    assert set(rows) == {"core", "edge", EVIL, EVIL_HTML}
    assert rows["core"]["tags"] == "core, dc" and rows["core"]["site"] == "HQ" and rows["core"]["interfaces"] == 2
    assert rows["core"]["model"] == "C9300" and rows["core"]["organization"] == "Acme"
    assert rows[EVIL_HTML]["last_backup_status"] == "failed"
    assert dict(report.summary)["Devices"] == 4 and dict(report.summary)["Status up"] == 2
    assert dict(report.chart.bars) == {"cisco_ios": 2, "arista_eos": 2}


def test_inventory_filters_by_platform_tag_and_site(org, fleet):
    assert set(rows_by(reports.build("inventory", {"platform": "arista_eos"}, scope_of(org)))) == {EVIL, EVIL_HTML}
    assert set(rows_by(reports.build("inventory", {"tag": "dc"}, scope_of(org)))) == {"core"}
    assert set(rows_by(reports.build("inventory", {"site_id": fleet["site"].id}, scope_of(org)))) == {"core", "edge"}


def test_reports_are_scoped_to_the_callers_organizations(org, fleet):
    other = make_org("Other")
    build_fleet(other, prefix="x-")
    for name in reports.REPORTS:
        report = reports.build(name, {}, scope_of(org))
        text = repr(list(report.rows))
        assert "x-" not in text, name
    with pytest.raises(NotFound):
        reports.build("inventory", {"organization_id": other.id}, scope_of(org))
    everything = authz.Scope(user_id=None, username="root", global_admin=True)
    assert len(rows_by(reports.build("inventory", {}, everything))) == 8


def test_uptime_counts_reboots_in_the_period_and_availability(org, fleet):
    report = reports.build("uptime", {}, scope_of(org))
    rows = rows_by(report)
    assert rows["edge"]["reboots"] == 2  # the one 30 days ago is outside the default 7 days
    assert rows["edge"]["availability"] == 80.0 and rows["edge"]["polls"] == 10
    assert rows["core"]["availability"] == 100.0
    assert rows["core"]["uptime_days"] == pytest.approx(30 - 1 / 24, abs=0.01)  # the newest poll's uptime
    assert rows[EVIL]["availability"] is None and rows[EVIL]["polls"] == 0
    summary = dict(report.summary)
    assert summary["Fleet availability %"] == 90.0 and summary["Reboots"] == 2
    assert dict(report.chart.bars)["100%"] == 1 and dict(report.chart.bars)["< 95%"] == 1
    assert any("only covers" in n for n in report.notes)  # the devices were polled for 10 hours, not 7 days


def test_uptime_says_what_a_longer_period_covers(org, fleet):
    now = utcnow()
    report = reports.build("uptime", {"since": (now - timedelta(days=60)).date().isoformat()}, scope_of(org))
    assert dict(report.summary)["Telemetry resolution"] == "hour"
    assert any("No poll history" in n for n in report.notes)
    db.session.add(DeviceTelemetry(device_id=fleet["core"].id, resolution="day", ts=now - timedelta(days=3),
                                   reachable=True, samples=288))
    db.session.flush()
    report = reports.build("uptime", {"since": (now - timedelta(days=800)).isoformat()}, scope_of(org))
    assert dict(report.summary)["Telemetry resolution"] == "day"
    assert any("daily roll-ups are kept 730 days" in n and "only covers" in n for n in report.notes)
    assert rows_by(report)["core"]["polls"] == 288


def test_config_drift_lists_drifted_never_backed_up_and_failed(org, fleet):
    report = reports.build("config-drift", {}, scope_of(org))
    rows = rows_by(report)
    assert set(rows) == {"edge", EVIL, EVIL_HTML}  # core is in sync
    edge = rows["edge"]
    assert edge["issue"] == "drifted" and edge["added"] == 2 and edge["removed"] == 1
    assert edge["baseline"].startswith("golden version") and edge["since"] is not None
    assert rows[EVIL]["issue"] == "never backed up"
    assert "last backup failed" in rows[EVIL_HTML]["issue"]
    summary = dict(report.summary)
    assert summary["In sync"] == 1 and summary["Drifted"] == 1 and summary["Never backed up"] == 2
    assert summary["Last backup failed"] == 1


def test_config_drift_against_the_intended_configuration(org):
    from zas.services import dbmanager

    device = make_device(org, name="intent", intended_config="hostname intent\n")
    dbmanager.save_config_version(device, "hostname intent\nsnmp-server community x RO\n")
    row = rows_by(reports.build("config-drift", {}, scope_of(org)))["intent"]
    assert row["baseline"] == "intended configuration" and (row["added"], row["removed"]) == (1, 0)


def test_software_versions_recommend_the_golden_or_newest_version(org, fleet):
    report = reports.build("software-versions", {}, scope_of(org))
    rows = {(r[1], r[2], r[3]): dict(zip([c.key for c in report.columns], r)) for r in report.rows}
    on = rows[("cisco_ios", "C9300", "17.9.4")]
    assert on["action"] == "on target" and on["target_source"] == "golden" and on["devices"] == 1
    behind = rows[("cisco_ios", "C9300", "17.6.1")]
    assert behind["action"] == "upgrade to 17.9.4" and behind["behind"] == "edge"
    # no admin target for the 7050: the newest running one (4.30.1F > 4.9.0F, not by string order)
    old = rows[("arista_eos", "7050", "4.9.0F")]
    assert old["target"] == "4.30.1F" and old["target_source"] == "newest running"
    assert old["behind"] == EVIL_HTML
    summary = dict(report.summary)
    assert summary["On target"] == 2 and summary["To change"] == 2


def test_version_key_orders_numerically():
    assert sorted(["15.2(10)M", "15.2(4)M", "15.10(1)"], key=version_key) == ["15.2(4)M", "15.2(10)M", "15.10(1)"]


def test_interface_utilization_top_n_with_p95(org, fleet):
    report = reports.build("interface-utilization", {}, scope_of(org))
    rows = list(report.rows)
    keys = [c.key for c in report.columns]
    first = dict(zip(keys, rows[0]))
    assert (first["device"], first["interface"]) == ("core", "Gi0/1")
    assert first["in_p95_mbps"] == 860.0 and first["in_p95_util"] == 86.0
    assert first["in_avg_mbps"] == 690.0 and first["out_p95_util"] == 10.0 and first["errors"] == 20
    assert [dict(zip(keys, r))["interface"] for r in rows] == ["Gi0/1", "Gi0/2", "Vlan1"]  # no speed ranks last
    top1 = list(reports.build("interface-utilization", {"top": 1}, scope_of(org)).rows)
    assert len(top1) == 1 and top1[0][2] == "Gi0/1"
    assert dict(report.summary)["Interfaces with samples"] == 3


def test_percentile_is_nearest_rank():
    assert percentile(list(range(1, 101))) == 95
    assert percentile([5.0]) == 5.0 and percentile([]) is None


def test_empty_result_says_so(org):
    for name in reports.REPORTS:
        report = reports.build(name, {}, scope_of(org))
        assert list(report.rows) == [] and report.empty_message


@pytest.mark.parametrize("params, field", [
    ({"since": "yesterday"}, "since"), ({"since": "2026-01-02", "until": "2026-01-01"}, "since"),
    ({"top": "0"}, "top"), ({"site_id": "x"}, "site_id"), ({"since": "2010-01-01", "until": "2026-01-01"}, "since"),
])
def test_bad_filters_name_the_field(org, params, field):
    with pytest.raises(ValidationError) as info:
        reports.build("uptime", params, scope_of(org))
    assert info.value.field == field


def test_unknown_report_and_format_name_the_accepted_values():
    with pytest.raises(NotFound, match="config-drift"):
        reports.check_name("nope")
    with pytest.raises(ValidationError, match="json, csv, xlsx, pdf"):
        reports.check_format("docx")


def test_interface_utilization_is_exact_when_the_peak_misleads(org, monkeypatch):
    """A one-sample spike has the highest peak but a low p95: paging on the bound still finds the
    steadily busy interface, whichever page size the ranking uses."""
    from zas.models import Interface, InterfaceTelemetry
    from zas.services.reports import utilization

    device = make_device(org, name="r1")
    spiky = Interface(device_id=device.id, name="spiky", speed=1_000_000_000, ip_addresses=[])
    steady = Interface(device_id=device.id, name="steady", speed=1_000_000_000, ip_addresses=[])
    idle = Interface(device_id=device.id, name="idle", speed=1_000_000_000, ip_addresses=[])
    db.session.add_all([spiky, steady, idle])
    db.session.flush()
    now = utcnow()
    for i in range(40):
        ts = now - timedelta(minutes=5 * (i + 1))
        db.session.add_all([
            InterfaceTelemetry(interface_id=spiky.id, resolution="raw", ts=ts, in_bps=990e6 if i == 0 else 10e6,
                               out_bps=0.0),
            InterfaceTelemetry(interface_id=steady.id, resolution="raw", ts=ts, in_bps=600e6, out_bps=0.0),
            InterfaceTelemetry(interface_id=idle.id, resolution="raw", ts=ts, in_bps=1e6, out_bps=0.0)])
    db.session.flush()
    for batch in (1, 2, 500):
        monkeypatch.setattr(utilization, "BATCH", batch)
        report = reports.build("interface-utilization", {"top": "1"}, scope_of(org))
        rows = list(report.rows)
        assert [r[2] for r in rows] == ["steady"], batch
        assert rows[0][5] == 600.0 and rows[0][11] == 40
        summary = dict(report.summary)
        assert summary["Interfaces with samples"] == 3 and summary["Samples"] == 120
    two = [r[2] for r in reports.build("interface-utilization", {"top": "2"}, scope_of(org)).rows]
    assert two == ["steady", "spiky"]
