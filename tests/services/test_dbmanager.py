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


def test_store_backups_follows_the_same_rules_as_one_device_at_a_time(org):
    fresh, same, changed, golden_dev, intended_dev = (make_device(org) for _ in range(5))
    dbmanager.save_config_version(same, BASE)
    old, _ = dbmanager.save_config_version(changed, BASE)
    gold, _ = dbmanager.save_config_version(golden_dev, BASE)
    dbmanager.set_golden(golden_dev, gold)
    intended_dev.intended_config = BASE
    db.session.flush()

    stored = dbmanager.store_backups([
        (fresh.id, BASE), (same.id, BASE.replace("change at 1", "change at 9")),  # only a volatile line differs
        (changed.id, BASE + "ntp server 10.0.0.1\n"), (golden_dev.id, BASE + "ip domain-name lab\n"),
        (intended_dev.id, BASE), (999999, BASE),  # a device deleted meanwhile is left out
    ], job_id=None, actor_name="nightly")
    db.session.expire_all()

    assert set(stored) == {fresh.id, same.id, changed.id, golden_dev.id, intended_dev.id}
    assert stored[same.id][1] is False and stored[same.id][0] == same.latest_config_id
    version_id, created, size = stored[changed.id]
    assert created and version_id != old.id and changed.latest_config_id == version_id
    new = dbmanager.get_version(version_id)
    assert new.created_by_name == "nightly" and new.size == size
    assert "+ntp server 10.0.0.1" in dbmanager.diff_versions(old, new, changed.platform)
    assert fresh.latest_config_id == stored[fresh.id][0] and fresh.last_backup_status == "succeeded"
    assert golden_dev.drift_status == "drifted" and golden_dev.drift_since is not None
    assert intended_dev.drift_status == "in_sync" and fresh.drift_status == "no_baseline"


def test_store_backups_keeps_when_a_device_started_drifting(org):
    device = make_device(org)
    gold, _ = dbmanager.save_config_version(device, BASE)
    dbmanager.set_golden(device, gold)
    dbmanager.store_backups([(device.id, BASE + "x\n")])
    db.session.expire_all()
    since = device.drift_since
    dbmanager.store_backups([(device.id, BASE + "y\n")])  # still drifted: since stays
    db.session.expire_all()
    assert device.drift_status == "drifted" and device.drift_since == since
    dbmanager.store_backups([(device.id, BASE)])
    db.session.expire_all()
    assert device.drift_status == "in_sync" and device.drift_since is None


def test_record_backup_failures_marks_each_device(org):
    a, b = make_device(org), make_device(org)
    dbmanager.record_backup_failures([(a.id, "DeviceTimeout: no prompt"), (b.id, "x" * 3000)])
    db.session.expire_all()
    assert a.last_backup_status == b.last_backup_status == "failed"
    assert a.last_error == "DeviceTimeout: no prompt" and len(b.last_error) == 2000
