"""Reads the web pages need that no other service offers yet: filter choices, a device's
interfaces, jobs and config versions, a job's results and log. Read-only; no Flask request objects."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import defer, selectinload

from zas.errors import NotFound, ValidationError
from zas.extensions import db
from zas.models import (AutomationJob, ConfigVersion, Device, DeviceTag, Interface, JobLog, JobResult, Organization,
                        Site)
from zas.models.devices import DEVICE_STATUSES
from zas.models.jobs import JOB_KINDS, JOB_STATUSES
from zas.services.authz import Scope
from zas.services.inventory import Page, paginate
from zas.services.textsearch import contains


def _in_orgs(query, column, org_ids):
    return query if org_ids is None else query.where(column.in_(org_ids or {-1}))


OPTIONS_TTL = 60.0  # seconds a device list's drop-down choices may lag behind the inventory
_options_cache: dict = {}


def device_filter_options(org_ids: set[int] | None, now: float | None = None) -> dict:
    """The choices of the device list's filter drop-downs, limited to what the caller can see.

    Kept a minute per set of organizations: the DISTINCTs scan the fleet, and a new platform or tag
    appearing in a drop-down a minute late costs nothing (typing it in the URL works at once).
    """
    import time

    from flask import current_app

    now = time.monotonic() if now is None else now
    key = (db.engine.url.render_as_string(), None if org_ids is None else frozenset(org_ids))
    hit = _options_cache.get(key)
    # tests roll their rows back (and SQLite reuses ids): a cache would carry one test's rows into the next
    ttl = 0 if current_app.testing else OPTIONS_TTL
    if hit is not None and now - hit[0] < ttl:
        return _options_with_fresh_rows(hit[1], org_ids)
    values = _distinct_options(org_ids)
    if len(_options_cache) > 1000:
        _options_cache.clear()
    _options_cache[key] = (now, values)
    return _options_with_fresh_rows(values, org_ids)


def _options_with_fresh_rows(values: dict, org_ids) -> dict:
    # organizations and sites are few and their names change: always read them (cheap, indexed)
    return {
        "organizations": list(db.session.scalars(_in_orgs(select(Organization), Organization.id, org_ids)
                                                 .order_by(Organization.name))),
        "sites": list(db.session.scalars(_in_orgs(select(Site), Site.organization_id, org_ids).order_by(Site.name))),
        **values,
    }


def _distinct_options(org_ids: set[int] | None) -> dict:
    def distinct_values(column):
        query = _in_orgs(select(column).distinct(), Device.organization_id, org_ids).where(column.is_not(None))
        return [v for v in db.session.scalars(query.order_by(column)) if v != ""]

    tags = select(DeviceTag.name).distinct().order_by(DeviceTag.name)
    if org_ids is not None:
        tags = tags.join(Device, Device.id == DeviceTag.device_id).where(Device.organization_id.in_(org_ids or {-1}))
    return {
        "platforms": distinct_values(Device.platform),
        "statuses": list(DEVICE_STATUSES),
        "software_versions": distinct_values(Device.software_version),
        "tags": list(db.session.scalars(tags)),
    }


def get_device(device_id: int, scope: Scope) -> Device:
    """A device the caller can see; NotFound otherwise (existence in other organizations is not revealed)."""
    device = db.session.get(Device, device_id)
    if device is None or not scope.can(device.organization_id, "viewer"):
        raise NotFound(f"device {device_id} not found")
    return device


def list_interfaces(device_id: int, filters: dict, page: int, page_size: int) -> Page:
    """A page of a device's interfaces; `name` (substring), `status` (oper status) and `vlan` filter."""
    query = select(Interface).where(Interface.device_id == device_id)
    if filters.get("name"):
        query = query.where(contains(Interface.name, filters["name"]))
    if filters.get("status"):
        query = query.where(Interface.oper_status == filters["status"])
    if filters.get("vlan") is not None:
        query = query.where(Interface.vlan == filters["vlan"])
    return paginate(query.order_by(Interface.name, Interface.id), page, page_size)


def interface_statuses(device_id: int) -> list[str]:
    return [s for s in db.session.scalars(select(Interface.oper_status).distinct().where(
        Interface.device_id == device_id, Interface.oper_status.is_not(None)).order_by(Interface.oper_status))]


def device_results(device_id: int, page: int, page_size: int = 20) -> Page:
    """The job results of a device, newest first, each with its job loaded."""
    query = (select(JobResult).where(JobResult.device_id == device_id).options(selectinload(JobResult.job))
             .order_by(JobResult.id.desc()))
    return paginate(query, page, page_size)


def device_log(device_id: int, job_ids: list[int]) -> dict[int, list[JobLog]]:
    """The per-device log lines of the given jobs, by job id."""
    if not job_ids:
        return {}
    rows = db.session.scalars(select(JobLog).where(JobLog.device_id == device_id, JobLog.job_id.in_(job_ids))
                              .order_by(JobLog.id))
    out: dict[int, list[JobLog]] = {}
    for row in rows:
        out.setdefault(row.job_id, []).append(row)
    return out


def config_versions(device_id: int, limit: int = 200) -> list[ConfigVersion]:
    """A device's stored versions, newest first, without their text."""
    return list(db.session.scalars(select(ConfigVersion).where(ConfigVersion.device_id == device_id)
                                   .options(defer(ConfigVersion.text)).order_by(ConfigVersion.id.desc()).limit(limit)))


def device_version(device: Device, version_id: int, field: str = "version") -> ConfigVersion:
    """One of the device's versions; a ValidationError naming `field` if it is another device's or missing."""
    version = db.session.get(ConfigVersion, version_id)
    if version is None or version.device_id != device.id:
        raise ValidationError(f"{field}: no version {version_id} of {device.name}", field=field)
    return version


def recent_versions(org_ids: set[int] | None, page: int, page_size: int = 50) -> Page:
    """Configuration versions across the caller's devices, newest first."""
    query = (select(ConfigVersion).join(Device, Device.id == ConfigVersion.device_id)
             .options(defer(ConfigVersion.text), selectinload(ConfigVersion.device))
             .order_by(ConfigVersion.id.desc()))
    return paginate(_in_orgs(query, Device.organization_id, org_ids), page, page_size)


def drifted_devices(org_ids: set[int] | None, limit: int = 50) -> list[Device]:
    query = _in_orgs(select(Device).where(Device.drift_status == "drifted"), Device.organization_id, org_ids)
    return list(db.session.scalars(query.order_by(Device.drift_since.desc(), Device.name).limit(limit)))


def list_jobs(org_ids: set[int] | None, filters: dict, page: int, page_size: int = 50) -> Page:
    """Jobs the caller can see, newest first; `kind` and `status` filter."""
    query = _in_orgs(select(AutomationJob), AutomationJob.organization_id, org_ids)
    if filters.get("kind"):
        if filters["kind"] not in JOB_KINDS:
            raise ValidationError(f"kind must be one of {', '.join(JOB_KINDS)}", field="kind")
        query = query.where(AutomationJob.kind == filters["kind"])
    if filters.get("status"):
        if filters["status"] not in JOB_STATUSES:
            raise ValidationError(f"status must be one of {', '.join(JOB_STATUSES)}", field="status")
        query = query.where(AutomationJob.status == filters["status"])
    return paginate(query.order_by(AutomationJob.id.desc()), page, page_size)


def job_results(job_id: int) -> list[JobResult]:
    return list(db.session.scalars(select(JobResult).where(JobResult.job_id == job_id).order_by(JobResult.id)))


def job_log(job_id: int, limit: int = 300) -> list[JobLog]:
    """The last `limit` lines of a job's log, oldest first."""
    rows = list(db.session.scalars(select(JobLog).where(JobLog.job_id == job_id).order_by(JobLog.id.desc())
                                   .limit(limit)))
    return rows[::-1]


def job_result_counts(job_id: int) -> dict[str, int]:
    return dict(db.session.execute(select(JobResult.status, func.count()).where(JobResult.job_id == job_id)
                                   .group_by(JobResult.status)).all())


def group_by_output(results: list[JobResult]) -> list[tuple[str, list[JobResult]]]:
    """Results that printed the same output together, biggest group first (what differs stands out)."""
    groups: dict[str, list[JobResult]] = {}
    for result in results:
        key = result.output if result.status == "succeeded" else f"[{result.status}] {result.error or ''}"
        groups.setdefault(key or "", []).append(result)
    return sorted(groups.items(), key=lambda item: (-len(item[1]), item[1][0].device_name))
