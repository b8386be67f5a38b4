"""Software versions report: versions per platform and model, devices per version, and per model
the recommended target (the admin's SoftwareTarget, else the newest version already running on it)."""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select

from zas.extensions import db
from zas.models import Device, Organization, SoftwareTarget
from zas.services.reports.base import Chart, Column, Filters, Report, scope_label, scoped, version_key

TITLE = "Software versions"
SAMPLE = 10  # device names listed per version row that is off target
COLUMNS = [
    Column("organization", "Organization", width=18), Column("platform", "Platform"),
    Column("model", "Model", width=18), Column("version", "Version", width=18),
    Column("devices", "Devices", "int", 9), Column("target", "Target version", width=18),
    Column("target_source", "Target from", width=14), Column("action", "Recommendation", width=22),
    Column("behind", "Devices to change", width=40),
]


def build(filters: Filters) -> Report:
    """One row per (organization, platform, model, version) with the model's target. Read-only.

    The groups are few even for a large fleet, so they are computed before rendering starts.
    """
    groups = db.session.execute(scoped(select(
        Device.organization_id, Organization.name, Device.platform, func.coalesce(Device.model, ""),
        func.coalesce(Device.software_version, ""), func.count()).join(
        Organization, Organization.id == Device.organization_id), filters).group_by(
        Device.organization_id, Organization.name, Device.platform, func.coalesce(Device.model, ""),
        func.coalesce(Device.software_version, ""))).all()
    targets = _targets(groups, filters)
    names = _off_target_names(filters, targets)
    rows, on_target, off_target, per_version = [], 0, 0, defaultdict(int)
    for org_id, org_name, platform, model, version, n in sorted(
            groups, key=lambda g: (g[1], g[2], g[3], version_key(g[4]))):
        target, source = targets.get((org_id, platform, model), (None, None))
        if not version:
            action = "version unknown"
        elif target is None:
            action = "no target"
        elif version == target:
            action = "on target"
        else:
            action = ("upgrade to " if version_key(version) < version_key(target) else "downgrade to ") + target
        if target and version and version != target:
            off_target += n
        elif action == "on target":
            on_target += n
        per_version[f"{platform} {version or '?'}"] += n
        listed = names.get((org_id, platform, model, version), [])
        behind = ", ".join(listed) + (f" and {n - len(listed)} more" if n > len(listed) else "") \
            if action not in ("on target", "no target") and listed else ""
        rows.append((org_name, platform, model or None, version or None, n, target, source, action, behind))
    total = sum(g[5] for g in groups)
    summary = [("Devices", total), ("Models", len(targets)), ("Versions", len({(g[2], g[4]) for g in groups})),
               ("On target", on_target), ("To change", off_target), ("Version unknown", sum(
                   g[5] for g in groups if not g[4]))]
    chart = Chart("Devices per version", sorted(per_version.items(), key=lambda kv: -kv[1])[:12]) if total else None
    return Report("software-versions", TITLE, COLUMNS, rows, summary, filters, scope_label(filters), chart=chart)


def _targets(groups, filters: Filters) -> dict:
    """(org, platform, model) → (target version, where it came from)."""
    admin_set = {}
    org_ids = {g[0] for g in groups}
    if org_ids:
        for t in db.session.scalars(select(SoftwareTarget).where(SoftwareTarget.organization_id.in_(org_ids))):
            admin_set[(t.organization_id, t.platform, t.model)] = t.version
    targets = {}
    for org_id, _name, platform, model, version, _n in groups:
        key = (org_id, platform, model)
        if key in admin_set:
            targets[key] = (admin_set[key], "golden")
        elif version and model and (key not in targets or version_key(version) > version_key(targets[key][0])):
            targets[key] = (version, "newest running")
        else:
            targets.setdefault(key, (None, None))
    return targets


def _off_target_names(filters: Filters, targets: dict) -> dict:
    """A few device names per off-target (org, platform, model, version) group, in one pass."""
    names = defaultdict(list)
    query = scoped(select(Device.organization_id, Device.platform, func.coalesce(Device.model, ""),
                          func.coalesce(Device.software_version, ""), Device.name), filters)
    result = db.session.execute(query.order_by(Device.name).execution_options(yield_per=2000))
    for org_id, platform, model, version, name in result:
        target = targets.get((org_id, platform, model), (None,))[0]
        key = (org_id, platform, model, version)
        if target and version and version != target and len(names[key]) < SAMPLE:
            names[key].append(name)
    return names
