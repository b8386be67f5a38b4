"""What ZAS knows about each device's configuration and facts: versions, diffs, drift, sync.

Flushes only; the job wrapper or the view commits.
"""
from __future__ import annotations

from sqlalchemy import delete, func, select

from zas.errors import NotFound, ValidationError
from zas.extensions import db
from zas.models import ConfigVersion, Device, Interface
from zas.models.types import utcnow
from zas.services import bulkwrite, configtext


def latest_version(device_id: int) -> ConfigVersion | None:
    return db.session.scalar(
        select(ConfigVersion).where(ConfigVersion.device_id == device_id).order_by(ConfigVersion.id.desc()).limit(1)
    )


def save_config_version(device: Device, text: str, *, source: str = "backup", job_id: int | None = None,
                        user=None, actor_name: str | None = None) -> tuple[ConfigVersion, bool]:
    """Store `text` as the device's newest version unless it equals the newest already stored.

    Idempotent: an unchanged configuration (ignoring volatile lines) returns the existing
    version and False. Updates the device's backup status and drift.
    """
    if not text or not text.strip():
        raise ValidationError("the device returned an empty configuration", field="text")
    digest = configtext.content_hash(text, device.platform)
    current = latest_version(device.id)
    now = utcnow()
    device.last_backup_at = now
    device.last_backup_status = "succeeded"
    if current is not None and current.sha256 == digest:
        update_drift(device, text)
        return current, False
    version = ConfigVersion(
        device_id=device.id, sha256=digest, text=text, size=len(text.encode()), source=source, job_id=job_id,
        created_by_id=getattr(user, "id", None), created_by_name=actor_name or getattr(user, "username", None),
    )
    db.session.add(version)
    db.session.flush()
    device.latest_config_id = version.id
    update_drift(device, text)
    return version, True


def store_backups(items: list[tuple[int, str]], *, source: str = "backup", job_id: int | None = None,
                  actor_name: str | None = None) -> dict[int, tuple[int, bool, int]]:
    """`save_config_version` for a group of devices at once: {device_id: (version id, created, size)}.

    The same rules (a version only when the content hash changed; backup status and drift
    updated) in a handful of statements for the whole group instead of an ORM round per device:
    a 500-device backup spends its CPU on SSH, not here. Devices deleted meanwhile are left out.
    """
    if not items:
        return {}
    ids = [device_id for device_id, _ in items]
    devices = {row.id: row for row in db.session.execute(
        select(Device.id, Device.platform, Device.golden_config_id, Device.intended_config, Device.drift_status)
        .where(Device.id.in_(ids)))}
    newest = (select(ConfigVersion.device_id, func.max(ConfigVersion.id).label("id"))
              .where(ConfigVersion.device_id.in_(ids)).group_by(ConfigVersion.device_id).subquery())
    latest = {row.device_id: row for row in db.session.execute(
        select(ConfigVersion.device_id, ConfigVersion.id, ConfigVersion.sha256, ConfigVersion.size)
        .join(newest, ConfigVersion.id == newest.c.id))}
    golden_ids = {d.golden_config_id for d in devices.values() if d.golden_config_id}
    golden = dict(db.session.execute(select(ConfigVersion.id, ConfigVersion.text)
                                     .where(ConfigVersion.id.in_(golden_ids))).all()) if golden_ids else {}
    now, stored, rows, new_versions = utcnow(), {}, [], []
    for device_id, text in items:
        device = devices.get(device_id)
        if device is None:
            continue
        digest = configtext.content_hash(text, device.platform)
        row = {"id": device_id, "last_backup_at": now, "last_backup_status": "succeeded"}
        current = latest.get(device_id)
        if current is not None and current.sha256 == digest:
            stored[device_id] = (current.id, False, current.size)
        else:
            new_versions.append({"device_id": device_id, "sha256": digest, "text": text, "size": len(text.encode()),
                                 "source": source, "job_id": job_id, "created_by_name": actor_name,
                                 "created_at": now})
        base = golden.get(device.golden_config_id) if device.golden_config_id else None
        base = base if base is not None else device.intended_config
        status = "no_baseline" if base is None else (
            "in_sync" if configtext.content_hash(base, device.platform) == digest else "drifted")
        row["drift_status"] = status
        if status != "drifted":
            row["drift_since"] = None
        elif device.drift_status != "drifted":
            row["drift_since"] = now
        rows.append(row)
    if new_versions:
        # one multi-row INSERT, then each device's newest id: the caller holds the devices' job
        # locks, so nothing else adds a backup version to them in between
        db.session.execute(ConfigVersion.__table__.insert(), new_versions)
        sizes = {v["device_id"]: v["size"] for v in new_versions}
        for device_id, version_id in db.session.execute(
                select(ConfigVersion.device_id, func.max(ConfigVersion.id))
                .where(ConfigVersion.device_id.in_(sizes)).group_by(ConfigVersion.device_id)):
            stored[device_id] = (version_id, True, sizes[device_id])
        for row in rows:
            if row["id"] in sizes:
                row["latest_config_id"] = stored[row["id"]][0]
    bulkwrite.update_by_id(Device.__table__, rows)
    return stored


def record_backup_failures(failures: list[tuple[int, str]]) -> None:
    """`record_backup_failure` for a group of devices: [(device_id, error)]."""
    now = utcnow()
    bulkwrite.update_by_id(Device.__table__, [
        {"id": device_id, "last_backup_at": now, "last_backup_status": "failed", "last_error": error[:2000]}
        for device_id, error in failures])


def get_version(version_id: int, device_ids_visible=None) -> ConfigVersion:
    version = db.session.get(ConfigVersion, version_id)
    if version is None:
        raise NotFound(f"configuration version {version_id} not found")
    return version


def diff_versions(old: ConfigVersion, new: ConfigVersion, platform: str, masked: bool = False) -> str:
    """Unified diff between two stored versions (volatile lines ignored)."""
    a, b = old.text, new.text
    if masked:
        a, b = configtext.mask_secrets(a), configtext.mask_secrets(b)
    return configtext.unified_diff(a, b, platform, f"version {old.id}", f"version {new.id}")


def baseline(device: Device) -> tuple[str, str] | None:
    """(label, text) the running configuration should match: the golden version, else the intended text."""
    if device.golden_config_id:
        golden = db.session.get(ConfigVersion, device.golden_config_id)
        if golden is not None:
            return f"golden version {golden.id}", golden.text
    if device.intended_config:
        return "intended configuration", device.intended_config
    return None


def update_drift(device: Device, running: str) -> str:
    """Compare `running` with the baseline and record drifted / in_sync / no_baseline."""
    base = baseline(device)
    if base is None:
        status = "no_baseline"
    else:
        same = configtext.content_hash(base[1], device.platform) == configtext.content_hash(running, device.platform)
        status = "in_sync" if same else "drifted"
    if status == "drifted" and device.drift_status != "drifted":
        device.drift_since = utcnow()
    elif status != "drifted":
        device.drift_since = None
    device.drift_status = status
    return status


def drift_diff(device: Device, masked: bool = False) -> str | None:
    """Diff from the baseline to the newest stored configuration, or None without both."""
    base = baseline(device)
    current = latest_version(device.id)
    if base is None or current is None:
        return None
    a, b = base[1], current.text
    if masked:
        a, b = configtext.mask_secrets(a), configtext.mask_secrets(b)
    return configtext.unified_diff(a, b, device.platform, base[0], f"running (version {current.id})")


def set_golden(device: Device, version: ConfigVersion | None) -> None:
    """Mark `version` as the approved configuration (None clears it) and recompute drift."""
    if version is not None and version.device_id != device.id:
        raise ValidationError("that version belongs to another device", field="version_id")
    device.golden_config_id = version.id if version else None
    current = latest_version(device.id)
    if current is not None:
        update_drift(device, current.text)
    else:
        device.drift_status = None


def record_backup_failure(device: Device, error: str) -> None:
    device.last_backup_at = utcnow()
    device.last_backup_status = "failed"
    device.last_error = error[:2000]


FACT_FIELDS = ("hostname", "vendor", "model", "serial", "software_version", "uptime_seconds")


def sync_facts(device: Device, facts: dict) -> dict:
    """Copy discovered facts onto the device; returns {field: (old, new)} for what changed."""
    changes = {}
    for name in FACT_FIELDS:
        value = facts.get(name)
        if value in (None, ""):
            continue
        if getattr(device, name) != value:
            changes[name] = (getattr(device, name), value)
            setattr(device, name, value)
    device.facts_at = utcnow()
    return changes


INTERFACE_FIELDS = ("if_index", "description", "admin_status", "oper_status", "speed", "mac", "mtu", "vlan",
                    "ip_addresses")


def sync_interfaces(device: Device, found: list[dict], remove_missing: bool = True) -> dict:
    """Upsert interfaces by name; drop the ones the device no longer has. Returns counts."""
    existing = {i.name: i for i in db.session.scalars(select(Interface).where(Interface.device_id == device.id))}
    seen = set()
    created = updated = 0
    for item in found:
        name = item.get("name")
        if not name or name in seen:
            continue
        seen.add(name)
        row = existing.get(name)
        if row is None:
            row = Interface(device_id=device.id, name=name, ip_addresses=[])
            db.session.add(row)
            created += 1
        changed = False
        for field in INTERFACE_FIELDS:
            if field in item and item[field] is not None and getattr(row, field) != item[field]:
                setattr(row, field, item[field])
                changed = True
        updated += changed and name in existing
    removed = 0
    if remove_missing and found:
        gone = [row.id for name, row in existing.items() if name not in seen]
        if gone:
            db.session.execute(delete(Interface).where(Interface.id.in_(gone)))
            removed = len(gone)
    db.session.flush()
    return {"created": created, "updated": int(updated), "removed": removed}
