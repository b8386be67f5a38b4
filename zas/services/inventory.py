"""Inventory writes and reads: devices, sites, interfaces, validated before anything is flushed."""
from __future__ import annotations

import ipaddress
import re

from dataclasses import dataclass
from math import ceil

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from zas.errors import NotFound, PermissionDenied, ValidationError
from zas.extensions import db
from zas.models import CredentialProfile, Device, DeviceTag, Endpoint, Interface, Organization, Site, SnmpProfile
from zas.services import audit
from zas.services.authz import Scope, visible
from zas.services.platforms import supported_platforms
from zas.services.textsearch import any_contains, contains  # noqa: F401  (contains: used by callers)

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
        query = query.where(any_contains((Device.name, Device.host, Device.serial), filters["q"].strip()))
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


def paginate(query, page: int, page_size: int, *, count_column=None) -> Page:
    """Run `query` for one page (and a COUNT for the total).

    With `count_column` (for a plain filtered SELECT of one entity, no GROUP BY or DISTINCT) the
    count is `SELECT count(col) ... WHERE ...` directly: MariaDB materialises the generic
    count-over-subquery form, which costs a second on 200,000 interfaces.
    """
    if count_column is not None:
        total = db.session.scalar(query.with_only_columns(func.count(count_column), maintain_column_froms=True)
                                  .order_by(None))
    else:
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
    return paginate(query, page, page_size, count_column=Device.id)


# ---------------------------------------------------------------------------------------------
# CRUD shared by the pages and the API. Every function takes the caller's authz Scope and checks
# it here, so a form and an API call cannot disagree about who may do what. They flush; the
# boundary commits. Each raises NotFound (invisible), PermissionDenied (short role),
# ValidationError (names the field) or Conflict.
# ---------------------------------------------------------------------------------------------

DEVICE_FIELDS = ("name", "organization_id", "site_id", "description", "host", "port", "platform", "credential_id",
                 "snmp_profile_id", "snmp_port", "tags")
INTERFACE_FIELDS = ("name", "if_index", "description", "admin_status", "oper_status", "speed", "mac", "mtu", "vlan",
                    "ip_addresses")
MAC_RE = re.compile(r"^[0-9a-f]{2}(:[0-9a-f]{2}){5}$")
IF_STATUSES = ("up", "down", "testing", "unknown", "dormant", "notPresent", "lowerLayerDown")


def snapshot(obj, fields) -> dict:
    """The editable fields of `obj` as plain values (audit before/after)."""
    return {f: getattr(obj, f) for f in fields}


def _check_unknown(data: dict, allowed) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        first = sorted(unknown)[0]
        raise ValidationError(f"unknown field(s): {', '.join(sorted(unknown))}", field=first)


def get_scoped(model, object_id, scope: Scope, what: str, min_role: str = "viewer"):
    """An object with an `organization_id` the caller may see (and act on with `min_role`)."""
    obj = db.session.get(model, object_id) if isinstance(object_id, int) else None
    if obj is None or not scope.can(obj.organization_id, "viewer"):
        raise NotFound(f"{what} {object_id} not found")
    scope.require(obj.organization_id, min_role, what)
    return obj


# organizations --------------------------------------------------------------------------------

def list_organizations(scope: Scope, q: str | None = None, *, page: int = 1, page_size: int = 50) -> Page:
    """The organizations the caller belongs to (all for a global admin), by name."""
    query = visible(select(Organization), Organization.id, scope)
    if q:
        query = query.where(contains(Organization.name, q.strip()))
    return paginate(query.order_by(Organization.name, Organization.id), page, page_size)


def get_organization(org_id: int, scope: Scope, min_role: str = "viewer") -> Organization:
    org = db.session.get(Organization, org_id) if isinstance(org_id, int) else None
    if org is None or not scope.can(org.id, "viewer"):
        raise NotFound(f"organization {org_id} not found")
    scope.require(org.id, min_role, "organization")
    return org


def _unique_org_name(name: str, exclude_id: int | None = None) -> None:
    query = select(Organization.id).where(Organization.name == name)
    if exclude_id is not None:
        query = query.where(Organization.id != exclude_id)
    if db.session.scalar(query) is not None:
        raise ValidationError(f"an organization named {name!r} already exists", field="name")


def create_organization(scope: Scope, data: dict, *, actor=None, ip: str | None = None) -> Organization:
    """A new organization; global admins only (PermissionDenied otherwise)."""
    if not scope.global_admin or scope.read_only:
        raise PermissionDenied("only a global admin creates organizations")
    _check_unknown(data, ("name", "description"))
    name = validate_name(data.get("name"))
    _unique_org_name(name)
    org = Organization(name=name, description=data.get("description"))
    db.session.add(org)
    db.session.flush()
    audit.record("organization.create", obj=org, actor=actor, organization_id=org.id, ip=ip,
                 after=snapshot(org, ("name", "description")))
    return org


def update_organization(scope: Scope, org: Organization, data: dict, *, actor=None, ip: str | None = None):
    """Rename or describe an organization (its admins)."""
    scope.require(org.id, "admin", "organization")
    _check_unknown(data, ("name", "description"))
    before = snapshot(org, ("name", "description"))
    if "name" in data:
        name = validate_name(data["name"])
        _unique_org_name(name, org.id)
        org.name = name
    if "description" in data:
        org.description = data["description"]
    db.session.flush()
    audit.record("organization.update", obj=org, actor=actor, organization_id=org.id, ip=ip, before=before,
                 after=snapshot(org, ("name", "description")))
    return org


def delete_organization(scope: Scope, org: Organization, *, actor=None, ip: str | None = None) -> None:
    """Delete an organization and everything in it (global admins only)."""
    if not scope.global_admin or scope.read_only:
        raise PermissionDenied("only a global admin deletes organizations")
    audit.record("organization.delete", obj=org, actor=actor, organization_id=None, ip=ip,
                 before=snapshot(org, ("name", "description")))
    db.session.delete(org)
    db.session.flush()


# sites ----------------------------------------------------------------------------------------

SITE_FIELDS = ("name", "organization_id", "description", "address")


def list_sites(scope: Scope, filters: dict, *, page: int = 1, page_size: int = 50) -> Page:
    """Sites visible to the caller, filtered by organization_id and q (name)."""
    query = visible(select(Site), Site.organization_id, scope)
    if filters.get("organization_id") is not None:
        query = query.where(Site.organization_id == filters["organization_id"])
    if filters.get("q"):
        query = query.where(contains(Site.name, filters["q"].strip()))
    return paginate(query.order_by(Site.name, Site.id), page, page_size)


def _unique_site_name(org_id: int, name: str, exclude_id: int | None = None) -> None:
    query = select(Site.id).where(Site.organization_id == org_id, Site.name == name)
    if exclude_id is not None:
        query = query.where(Site.id != exclude_id)
    if db.session.scalar(query) is not None:
        raise ValidationError(f"a site named {name!r} already exists in this organization", field="name")


def _org_for_write(scope: Scope, org_id, min_role: str) -> Organization:
    """The target organization of a new object; an invisible or unknown one is a field error."""
    if org_id is None:
        raise ValidationError("organization_id is required", field="organization_id")
    org = db.session.get(Organization, org_id) if isinstance(org_id, int) and not isinstance(org_id, bool) else None
    if org is None or not scope.can(org.id, "viewer"):
        raise ValidationError(f"unknown organization {org_id}", field="organization_id")
    scope.require(org.id, min_role, "organization")
    return org


def create_site(scope: Scope, data: dict, *, actor=None, ip: str | None = None) -> Site:
    """A new site in `data['organization_id']` (operators and up)."""
    _check_unknown(data, SITE_FIELDS)
    org = _org_for_write(scope, data.get("organization_id"), "operator")
    name = validate_name(data.get("name"))
    _unique_site_name(org.id, name)
    site = Site(organization=org, name=name, description=data.get("description"), address=data.get("address"))
    db.session.add(site)
    db.session.flush()
    audit.record("site.create", obj=site, actor=actor, ip=ip, after=snapshot(site, SITE_FIELDS))
    return site


def update_site(scope: Scope, site: Site, data: dict, *, actor=None, ip: str | None = None) -> Site:
    """Change a site's name, description or address (its organization is fixed)."""
    scope.require(site.organization_id, "operator", "site")
    _check_unknown(data, SITE_FIELDS)
    if "organization_id" in data and data["organization_id"] != site.organization_id:
        raise ValidationError("a site cannot move to another organization", field="organization_id")
    before = snapshot(site, SITE_FIELDS)
    if "name" in data:
        name = validate_name(data["name"])
        _unique_site_name(site.organization_id, name, site.id)
        site.name = name
    for key in ("description", "address"):
        if key in data:
            setattr(site, key, data[key])
    db.session.flush()
    audit.record("site.update", obj=site, actor=actor, ip=ip, before=before, after=snapshot(site, SITE_FIELDS))
    return site


def delete_site(scope: Scope, site: Site, *, actor=None, ip: str | None = None) -> None:
    """Delete a site; its devices stay, without a site."""
    scope.require(site.organization_id, "operator", "site")
    audit.record("site.delete", obj=site, actor=actor, ip=ip, before=snapshot(site, SITE_FIELDS))
    db.session.delete(site)
    db.session.flush()


# devices --------------------------------------------------------------------------------------

def _ref_in_org(model, ref_id, org_id: int, field: str, what: str):
    if ref_id is None:
        return None
    obj = db.session.get(model, ref_id) if isinstance(ref_id, int) and not isinstance(ref_id, bool) else None
    if obj is None or obj.organization_id != org_id:
        raise ValidationError(f"unknown {what} {ref_id} in this organization", field=field)
    return obj


def validate_tags(tags) -> list[str]:
    if tags is None:
        return []
    if not isinstance(tags, (list, tuple)) or not all(isinstance(t, str) for t in tags):
        raise ValidationError("tags must be a list of strings", field="tags")
    for tag in tags:
        if len(tag.strip()) > 64 or CONTROL_RE.search(tag):
            raise ValidationError("each tag must be at most 64 printable characters", field="tags")
    return [t.strip() for t in tags if t.strip()]


CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")


def clean_device_data(org_id: int, data: dict, device: Device | None = None) -> dict:
    """Validate device fields against `org_id` (sites and profiles must be its own); returns clean values."""
    _check_unknown(data, DEVICE_FIELDS)
    clean: dict = {}
    if device is None or "name" in data:
        clean["name"] = validate_name(data.get("name"))
        ensure_unique_name(org_id, clean["name"], exclude_id=device.id if device else None)
    if device is None or "host" in data:
        clean["host"] = validate_host(data.get("host"))
    if device is None or "platform" in data:
        clean["platform"] = validate_platform(data.get("platform"))
    for key, default in (("port", 22), ("snmp_port", 161)):
        if key in data or device is None:
            value = data.get(key)
            clean[key] = validate_port(default if value is None else value, key)
    if "site_id" in data:
        _ref_in_org(Site, data["site_id"], org_id, "site_id", "site")
        clean["site_id"] = data["site_id"]
    if "credential_id" in data:
        _ref_in_org(CredentialProfile, data["credential_id"], org_id, "credential_id", "credential profile")
        clean["credential_id"] = data["credential_id"]
    if "snmp_profile_id" in data:
        _ref_in_org(SnmpProfile, data["snmp_profile_id"], org_id, "snmp_profile_id", "SNMP profile")
        clean["snmp_profile_id"] = data["snmp_profile_id"]
    if "description" in data:
        clean["description"] = data["description"]
    if "tags" in data:
        clean["tags"] = validate_tags(data["tags"])
    return clean


def get_device(device_id: int, scope: Scope, min_role: str = "viewer") -> Device:
    """A device the caller may see (NotFound otherwise) and act on with `min_role`."""
    return get_scoped(Device, device_id, scope, "device", min_role)


def add_device(scope: Scope, data: dict, *, actor=None, ip: str | None = None) -> Device:
    """Validate and add a device to `data['organization_id']` (operators and up); audited."""
    org = _org_for_write(scope, data.get("organization_id"), "operator")
    clean = clean_device_data(org.id, data)
    tags = clean.pop("tags", [])
    device = Device(organization=org, **clean)
    device.tags = tags
    db.session.add(device)
    db.session.flush()
    audit.record("device.create", obj=device, actor=actor, ip=ip, after=snapshot(device, DEVICE_FIELDS))
    return device


def update_device(scope: Scope, device: Device, data: dict, *, actor=None, ip: str | None = None) -> Device:
    """Change a device's inventory fields (operators and up); the organization is fixed. Audited."""
    scope.require(device.organization_id, "operator", "device")
    if "organization_id" in data and data["organization_id"] != device.organization_id:
        raise ValidationError("a device cannot move to another organization", field="organization_id")
    clean = clean_device_data(device.organization_id, data, device)
    before = snapshot(device, DEVICE_FIELDS)
    for key, value in clean.items():
        setattr(device, key, value)
    db.session.flush()
    audit.record("device.update", obj=device, actor=actor, ip=ip, before=before,
                 after=snapshot(device, DEVICE_FIELDS))
    return device


def delete_device(scope: Scope, device: Device, *, actor=None, ip: str | None = None) -> None:
    """Remove a device with its interfaces, versions and history (operators and up). Audited."""
    scope.require(device.organization_id, "operator", "device")
    audit.record("device.delete", obj=device, actor=actor, ip=ip, before=snapshot(device, DEVICE_FIELDS))
    db.session.delete(device)
    db.session.flush()


# interfaces -----------------------------------------------------------------------------------

def interface_query(filters: dict, org_ids: set[int] | None):
    """Interfaces visible to `org_ids`, filtered by device_id, name/description (q), status, vlan, mac."""
    query = select(Interface)
    # a semi-join, not a JOIN: the (device_id, name) index then serves both the filter and the order
    devices = select(Device.id)
    if org_ids is not None:
        devices = devices.where(Device.organization_id.in_(org_ids or {-1}))
    if filters.get("organization_id") is not None:
        devices = devices.where(Device.organization_id == filters["organization_id"])
    if org_ids is not None or filters.get("organization_id") is not None:
        query = query.where(Interface.device_id.in_(devices))
    for key in ("device_id", "oper_status", "admin_status", "vlan"):
        if filters.get(key) not in (None, ""):
            query = query.where(getattr(Interface, key) == filters[key])
    if filters.get("mac"):
        query = query.where(Interface.mac == normalize_mac(filters["mac"], "mac"))
    if filters.get("q"):
        query = query.where(any_contains((Interface.name, Interface.description), filters["q"].strip()))
    return query.order_by(Interface.device_id, Interface.name)


def list_interfaces(filters: dict, org_ids: set[int] | None, *, page: int = 1, page_size: int = 50) -> Page:
    """A page of interfaces for the UI and the API."""
    return paginate(interface_query(filters, org_ids), page, page_size, count_column=Interface.id)


def normalize_mac(value: str, field: str = "mac") -> str:
    """aa:bb:cc:dd:ee:ff from any common spelling (dots, dashes, no separators)."""
    digits = re.sub(r"[^0-9a-fA-F]", "", value or "").lower()
    if len(digits) != 12 or len(re.sub(r"[0-9a-fA-F:.\-\s]", "", value or "")) != 0:
        raise ValidationError(f"{field} {value!r} is not a MAC address", field=field)
    return ":".join(digits[i:i + 2] for i in range(0, 12, 2))


def interface_values(data: dict) -> dict:
    """Validate the given interface fields without touching the database (the importer calls
    this per row); returns clean values. Raises ValidationError naming the field."""
    clean: dict = {}
    if "name" in data:
        clean["name"] = validate_name(data.get("name"))
    for key in ("if_index", "speed", "mtu", "vlan"):
        if key in data:
            value = data[key]
            if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
                raise ValidationError(f"{key} must be a non-negative integer", field=key)
            if key == "vlan" and value is not None and not 1 <= value <= 4094:
                raise ValidationError("vlan must be from 1 to 4094", field="vlan")
            if key in ("if_index", "mtu") and value is not None and value > 2**31 - 1:
                raise ValidationError(f"{key} is too large", field=key)
            if key == "speed" and value is not None and value > 2**63 - 1:
                raise ValidationError("speed is too large", field="speed")
            clean[key] = value
    for key in ("admin_status", "oper_status"):
        if key in data:
            if data[key] is not None and data[key] not in IF_STATUSES:
                raise ValidationError(f"{key} must be one of {', '.join(IF_STATUSES)}", field=key)
            clean[key] = data[key]
    if "description" in data:
        if data["description"] is not None and len(data["description"]) > 255:
            raise ValidationError("description is longer than 255 characters", field="description")
        clean["description"] = data["description"]
    if "mac" in data:
        clean["mac"] = normalize_mac(data["mac"]) if data["mac"] else None
    if "ip_addresses" in data:
        addrs = data["ip_addresses"] or []
        if not isinstance(addrs, list):
            raise ValidationError("ip_addresses must be a list", field="ip_addresses")
        out = []
        for addr in addrs:
            try:
                out.append(str(ipaddress.ip_interface(addr)))
            except (TypeError, ValueError):
                raise ValidationError(f"{addr!r} is not an IP address (with optional /prefix)",
                                      field="ip_addresses") from None
        clean["ip_addresses"] = out
    return clean


def clean_interface_data(device: Device, data: dict, interface: Interface | None = None) -> dict:
    """Validate interface fields (name unique on the device); returns clean values."""
    _check_unknown(data, INTERFACE_FIELDS + ("device_id",))
    if interface is None and "name" not in data:
        raise ValidationError("name is required", field="name")
    clean = interface_values({k: v for k, v in data.items() if k != "device_id"})
    if "name" in clean:
        query = select(Interface.id).where(Interface.device_id == device.id, Interface.name == clean["name"])
        if interface is not None:
            query = query.where(Interface.id != interface.id)
        if db.session.scalar(query) is not None:
            raise ValidationError(f"interface {clean['name']!r} already exists on this device", field="name")
    return clean


def get_interface(interface_id: int, scope: Scope, min_role: str = "viewer") -> Interface:
    iface = db.session.get(Interface, interface_id) if isinstance(interface_id, int) else None
    if iface is None or not scope.can(iface.device.organization_id, "viewer"):
        raise NotFound(f"interface {interface_id} not found")
    scope.require(iface.device.organization_id, min_role, "interface")
    return iface


def create_interface(scope: Scope, device: Device, data: dict, *, actor=None, ip: str | None = None) -> Interface:
    """Add an interface to `device` (operators and up). Audited."""
    scope.require(device.organization_id, "operator", "device")
    clean = clean_interface_data(device, data)
    iface = Interface(device_id=device.id, **clean)
    db.session.add(iface)
    db.session.flush()
    audit.record("interface.create", obj=iface, actor=actor, ip=ip, organization_id=device.organization_id,
                 after=snapshot(iface, INTERFACE_FIELDS))
    return iface


def update_interface(scope: Scope, iface: Interface, data: dict, *, actor=None, ip: str | None = None):
    """Edit an interface (operators and up); it stays on its device. Audited."""
    org_id = iface.device.organization_id
    scope.require(org_id, "operator", "interface")
    if "device_id" in data and data["device_id"] != iface.device_id:
        raise ValidationError("an interface cannot move to another device", field="device_id")
    clean = clean_interface_data(iface.device, data, iface)
    before = snapshot(iface, INTERFACE_FIELDS)
    for key, value in clean.items():
        setattr(iface, key, value)
    db.session.flush()
    audit.record("interface.update", obj=iface, actor=actor, ip=ip, organization_id=org_id, before=before,
                 after=snapshot(iface, INTERFACE_FIELDS))
    return iface


def delete_interface(scope: Scope, iface: Interface, *, actor=None, ip: str | None = None) -> None:
    org_id = iface.device.organization_id
    scope.require(org_id, "operator", "interface")
    audit.record("interface.delete", obj=iface, actor=actor, ip=ip, organization_id=org_id,
                 before=snapshot(iface, INTERFACE_FIELDS))
    db.session.delete(iface)
    db.session.flush()


# endpoints ------------------------------------------------------------------------------------

def list_endpoints(filters: dict, org_ids: set[int] | None, *, page: int = 1, page_size: int = 50) -> Page:
    """End hosts visible to `org_ids`, filtered by mac, ip (IPv4 or IPv6), hostname, device_id or q (any of them)."""
    query = select(Endpoint)
    if org_ids is not None:
        query = query.where(Endpoint.organization_id.in_(org_ids or {-1}))
    if filters.get("mac"):
        query = query.where(Endpoint.mac == normalize_mac(filters["mac"]))
    if filters.get("ip"):
        try:  # IPv6 is stored compressed: any spelling of the address finds it
            address = str(ipaddress.ip_address(filters["ip"].strip()))
        except ValueError:
            address = filters["ip"]
        query = query.where(or_(Endpoint.ip == address, Endpoint.ipv6 == address))
    for key in ("hostname", "device_id", "organization_id"):
        if filters.get(key) not in (None, ""):
            query = query.where(getattr(Endpoint, key) == filters[key])
    if filters.get("q"):
        query = query.where(any_contains((Endpoint.mac, Endpoint.ip, Endpoint.ipv6, Endpoint.hostname),
                                         filters["q"].strip()))
    return paginate(query.order_by(Endpoint.last_seen.desc(), Endpoint.id), page, page_size)
