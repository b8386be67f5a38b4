"""Inventory writes and reads: devices, sites, interfaces, validated before anything is flushed."""
from __future__ import annotations

import ipaddress
import re

from dataclasses import dataclass
from math import ceil

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from zas.errors import ValidationError
from zas.extensions import db
from zas.models import Device, DeviceTag, Organization
from zas.services.platforms import supported_platforms

HOSTNAME_RE = re.compile(r"^(?=.{1,253}$)([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?)*\.?$")
NAME_RE = re.compile(r"^[^\x00-\x1f\x7f]{1,128}$")


def validate_host(host: str) -> str:
    """An IP address or a DNS name; raises ValidationError naming `host`."""
    host = (host or "").strip()
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        pass
    if not HOSTNAME_RE.match(host) or host.replace(".", "").isdigit():
        raise ValidationError(f"host {host!r} is neither an IP address nor a valid DNS name", field="host")
    return host


def validate_platform(platform: str) -> str:
    if platform not in supported_platforms():
        raise ValidationError(
            f"platform {platform!r} is not a netmiko device_type (for example cisco_ios, arista_eos, juniper_junos)",
            field="platform",
        )
    return platform


def validate_port(value, field: str) -> int:
    try:
        port = int(value)
    except (TypeError, ValueError):
        raise ValidationError(f"{field} must be a number from 1 to 65535", field=field) from None
    if not 1 <= port <= 65535:
        raise ValidationError(f"{field} must be a number from 1 to 65535", field=field)
    return port


def validate_name(name: str, field: str = "name") -> str:
    name = (name or "").strip()
    if not NAME_RE.match(name):
        raise ValidationError(f"{field} must be 1-128 printable characters", field=field)
    return name


def create_device(org: Organization, *, name: str, host: str, platform: str, port: int = 22,
                  snmp_port: int = 161, **fields) -> Device:
    """Add a device to `org` after validating it; raises ValidationError or Conflict (duplicate name)."""
    name = validate_name(name)
    device = Device(
        organization=org, name=name, host=validate_host(host), platform=validate_platform(platform),
        port=validate_port(port, "port"), snmp_port=validate_port(snmp_port, "snmp_port"), **fields,
    )
    ensure_unique_name(org.id, name)
    db.session.add(device)
    db.session.flush()
    return device


def ensure_unique_name(org_id: int, name: str, exclude_id: int | None = None) -> None:
    query = select(Device.id).where(Device.organization_id == org_id, Device.name == name)
    if exclude_id is not None:
        query = query.where(Device.id != exclude_id)
    if db.session.scalar(query) is not None:
        raise ValidationError(f"a device named {name!r} already exists in this organization", field="name")


FILTER_FIELDS = {"organization_id", "site_id", "platform", "tag", "status", "software_version", "q", "model",
                 "drift_status"}


def device_query(filters: dict, org_ids: set[int] | None):
    """The one device query the UI, the API, exports and job targets share (a SELECT, not run)."""
    unknown = set(filters) - FILTER_FIELDS
    if unknown:
        raise ValidationError(f"unknown filter(s): {', '.join(sorted(unknown))}", field="filter")
    query = select(Device)
    if org_ids is not None:
        query = query.where(Device.organization_id.in_(org_ids))
    for column in ("organization_id", "site_id", "platform", "status", "software_version", "model", "drift_status"):
        value = filters.get(column)
        if value not in (None, ""):
            query = query.where(getattr(Device, column) == value)
    if filters.get("tag"):
        query = query.where(Device.id.in_(select(DeviceTag.device_id).where(DeviceTag.name == filters["tag"])))
    if filters.get("q"):
        like = f"%{filters['q'].strip()}%"
        query = query.where(or_(Device.name.ilike(like), Device.host.ilike(like), Device.serial.ilike(like)))
    return query.order_by(Device.name, Device.id)


SORTABLE = {"name": Device.name, "host": Device.host, "platform": Device.platform, "status": Device.status,
            "software_version": Device.software_version, "model": Device.model, "site": Device.site_id,
            "last_backup_at": Device.last_backup_at, "created_at": Device.created_at, "id": Device.id}


@dataclass
class Page:
    """One page of a list, with what pagination links and the X-Pagination header need."""

    items: list
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.page_size)) if self.page_size else 1

    def header(self) -> dict:
        info = {"total": self.total, "total_pages": self.pages, "page": self.page, "page_size": self.page_size,
                "first_page": 1, "last_page": self.pages}
        if self.page > 1:
            info["previous_page"] = self.page - 1
        if self.page < self.pages:
            info["next_page"] = self.page + 1
        return info


def paginate(query, page: int, page_size: int) -> Page:
    """Run `query` for one page (and a COUNT for the total)."""
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    items = list(db.session.scalars(query.limit(page_size).offset((page - 1) * page_size)).unique())
    return Page(items=items, total=total, page=page, page_size=page_size)


def list_devices(filters: dict, org_ids: set[int] | None, *, sort: str = "name", page: int = 1,
                 page_size: int = 50) -> Page:
    """A page of devices for the UI and the API alike: filtered, sorted, tags and site loaded in two queries.

    `sort` is a column name, `-name` for descending; raises ValidationError for an unknown one.
    """
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key not in SORTABLE:
        raise ValidationError(f"sort must be one of {', '.join(sorted(SORTABLE))} (prefix - to reverse)",
                              field="sort")
    column = SORTABLE[key]
    query = device_query(filters, org_ids).order_by(None)
    query = query.order_by(column.desc() if descending else column.asc(), Device.id)
    query = query.options(selectinload(Device.tag_rows), selectinload(Device.site))
    return paginate(query, page, page_size)
