"""Configuration versions, golden baselines and drift, facts and interface sync."""
from tests.factories import make_device
from zas.extensions import db
from zas.services import dbmanager

BASE = "hostname a\n! Last configuration change at 1\ninterface Gi1\n description x\n"


def test_unchanged_config_stores_no_new_version(org):
    device = make_device(org)
    v1, created = dbmanager.save_config_version(device, BASE)
    assert created
    v2, created = dbmanager.save_config_version(device, BASE.replace("change at 1", "change at 2"))
    assert not created and v2.id == v1.id
    v3, created = dbmanager.save_config_version(device, BASE.replace("description x", "description y"))
    assert created and v3.id != v1.id and device.latest_config_id == v3.id
    diff = dbmanager.diff_versions(v1, v3, device.platform)
    assert "- description x" in diff and "+ description y" in diff


def test_drift_against_golden_and_intended(org):
    device = make_device(org)
    v1, _ = dbmanager.save_config_version(device, BASE)
    assert device.drift_status == "no_baseline"
    dbmanager.set_golden(device, v1)
    assert device.drift_status == "in_sync"
    dbmanager.save_config_version(device, BASE + "ip domain-name lab\n")
    assert device.drift_status == "drifted" and device.drift_since is not None
    assert "+ip domain-name lab" in dbmanager.drift_diff(device)
    dbmanager.set_golden(device, None)
    device.intended_config = BASE + "ip domain-name lab\n"
    dbmanager.update_drift(device, BASE + "ip domain-name lab\n")
    assert device.drift_status == "in_sync" and device.drift_since is None


def test_sync_interfaces_upserts_and_removes(org):
    device = make_device(org)
    dbmanager.sync_interfaces(device, [{"name": "Gi1", "oper_status": "up"}, {"name": "Gi2", "mtu": 1500}])
    counts = dbmanager.sync_interfaces(device, [{"name": "Gi1", "oper_status": "down"}, {"name": "Gi3"}])
    assert counts == {"created": 1, "updated": 1, "removed": 1}
    db.session.expire_all()
    assert sorted((i.name, i.oper_status) for i in device.interfaces) == [("Gi1", "down"), ("Gi3", None)]


def test_sync_facts_reports_changes(org):
    device = make_device(org)
    changes = dbmanager.sync_facts(device, {"model": "C9300", "serial": "FOC1", "software_version": None})
    assert changes == {"model": (None, "C9300"), "serial": (None, "FOC1")}
    assert device.facts_at is not None
