"""Inventory export to CSV or XLSX, in the columns the importer reads (a round trip).

Cells that a spreadsheet would run as a formula (starting with = + - @, tab or CR) are
neutralised with a leading apostrophe; the importer removes it again. No secret is exported:
profiles appear by name only.
"""
from __future__ import annotations

import csv
import io

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from zas.errors import ValidationError
from zas.extensions import db
from zas.models import CredentialProfile, Device, Interface, Organization, Site, SnmpProfile
from zas.services import inventory
from zas.services.imports import DEVICE_COLUMNS, FORMULA_START, INTERFACE_COLUMNS

FORMATS = {"csv": "text/csv; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
CHUNK = 2000


def neutralise(value) -> str:
    """Text safe to open in a spreadsheet: a would-be formula gets a leading apostrophe."""
    if value is None:
        return ""
    text = str(value)
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


def _names(model, org_ids) -> dict[int, str]:
    query = select(model.id, model.name)
    if org_ids is not None and model is not Organization:
        query = query.where(model.organization_id.in_(org_ids or {-1}))
    return dict(db.session.execute(query).all())


def device_rows(filters: dict, org_ids: set[int] | None):
    """Yield export rows (lists in DEVICE_COLUMNS order) for the devices the filter matches."""
    orgs = _names(Organization, org_ids)
    sites, creds, snmp = _names(Site, org_ids), _names(CredentialProfile, org_ids), _names(SnmpProfile, org_ids)
    query = inventory.device_query(filters, org_ids).options(selectinload(Device.tag_rows))
    offset = 0
    while True:
        # chunks keep memory flat for large inventories
        chunk = list(db.session.scalars(query.limit(CHUNK).offset(offset)).unique())
        if not chunk:
            break
        for d in chunk:
            yield [orgs.get(d.organization_id), d.name, sites.get(d.site_id), d.host, d.port, d.platform,
                   creds.get(d.credential_id), snmp.get(d.snmp_profile_id), d.snmp_port, ";".join(d.tags),
                   d.description]
        offset += CHUNK


def interface_rows(filters: dict, org_ids: set[int] | None):
    """Yield export rows (INTERFACE_COLUMNS order) for the interfaces the filter matches."""
    orgs = _names(Organization, org_ids)
    query = select(Interface, Device.name, Device.organization_id).join(Device, Device.id == Interface.device_id)
    if org_ids is not None:
        query = query.where(Device.organization_id.in_(org_ids or {-1}))
    if filters.get("device_id"):
        query = query.where(Interface.device_id == filters["device_id"])
    if filters.get("organization_id"):
        query = query.where(Device.organization_id == filters["organization_id"])
    query = query.order_by(Device.organization_id, Device.name, Interface.name, Interface.id)
    offset = 0
    while True:
        chunk = db.session.execute(query.limit(CHUNK).offset(offset)).all()
        if not chunk:
            break
        for iface, device_name, org_id in chunk:
            yield [orgs.get(org_id), device_name, iface.name, iface.description, iface.if_index, iface.admin_status,
                   iface.oper_status, iface.speed, iface.mac, iface.mtu, iface.vlan,
                   ";".join(iface.ip_addresses or [])]
        offset += CHUNK


def render(columns, rows, fmt: str) -> bytes:
    """The rows as a CSV or XLSX file, every cell neutralised."""
    if fmt not in FORMATS:
        raise ValidationError("format must be csv or xlsx", field="format")
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([neutralise(v) for v in row])
        return out.getvalue().encode("utf-8")
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("export")
    sheet.append(list(columns))
    for row in rows:
        # strings only: openpyxl would store "=..." as a formula and numbers lose nothing as text
        sheet.append([neutralise(v) for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def export_devices(filters: dict, org_ids: set[int] | None, fmt: str) -> bytes:
    """The visible devices matching `filters` as a file the device import reads back."""
    return render(DEVICE_COLUMNS, device_rows(filters, org_ids), fmt)


def export_interfaces(filters: dict, org_ids: set[int] | None, fmt: str) -> bytes:
    """The visible interfaces as a file the interface import reads back."""
    return render(INTERFACE_COLUMNS, interface_rows(filters, org_ids), fmt)
