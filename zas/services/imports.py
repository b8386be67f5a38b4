"""Inventory import from CSV or XLSX: every row validated, a dry run that says what would happen,
and a real run that writes all rows or none.

Files are hostile until proven otherwise: the body size is capped by MAX_CONTENT_LENGTH before
we see it; here an XLSX's zip directory is checked (entry count, uncompressed sizes, compression
ratio) and its XML refused if it declares a DOCTYPE, before openpyxl parses anything; rows are
capped by IMPORT_MAX_ROWS while reading, so memory and time stay bounded.

Columns are those `zas.services.exports` writes, so an export imports back unchanged.
"""
from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field

from sqlalchemy import case, delete, insert, select, update

from zas.errors import PermissionDenied, ValidationError
from zas.extensions import db
from zas.models import AuditEvent, CredentialProfile, Device, DeviceTag, Interface, Organization, Site, SnmpProfile
from zas.models.types import utcnow
from zas.services import audit, inventory
from zas.services.authz import Scope

DEVICE_COLUMNS = ("organization", "name", "site", "host", "port", "platform", "credential", "snmp_profile",
                  "snmp_port", "tags", "description")
INTERFACE_COLUMNS = ("organization", "device", "name", "description", "if_index", "admin_status", "oper_status",
                     "speed", "mac", "mtu", "vlan", "ip_addresses")
REQUIRED = {"devices": ("organization", "name", "host", "platform"), "interfaces": ("organization", "device", "name")}
# what a neutralised export cell starts with (see exports.neutralise)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

XLSX_MAX_ENTRIES = 1000
# a 100,000-row inventory sheet is ~50 MiB of XML; more is refused before parsing (time bound)
XLSX_MAX_UNCOMPRESSED = 128 * 1024 * 1024
XLSX_MAX_RATIO = 200
MAX_CELL = 10_000
MAX_COLUMNS = 100
MAX_BLANK_ROWS = 10_000  # blank rows are skipped, but not without limit
MAX_REPORTED_ERRORS = 1000


class ImportRejected(ValidationError):
    """The file itself cannot be read (format, size, hostile content); nothing was written."""

    def __init__(self, message: str):
        super().__init__(message, field="file")


@dataclass
class RowOutcome:
    """What the import does (or would do) with one row."""

    row: int
    action: str  # create, update, unchanged, reject
    name: str | None = None
    errors: dict = field(default_factory=dict)


@dataclass
class ImportReport:
    """The outcome of an import or dry run."""

    kind: str
    dry_run: bool
    rows: list[RowOutcome]

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    def as_dict(self) -> dict:
        rejected = [r for r in self.rows if r.action == "reject"]
        return {
            "kind": self.kind, "dry_run": self.dry_run, "total": len(self.rows),
            "created": self.count("create"), "updated": self.count("update"),
            "unchanged": self.count("unchanged"), "rejected": len(rejected),
            "rows": [{"row": r.row, "action": r.action, "name": r.name, "errors": r.errors}
                     for r in (rejected[:MAX_REPORTED_ERRORS] if rejected else self.rows[:MAX_REPORTED_ERRORS])],
        }


# reading ----------------------------------------------------------------------------------------

def read_rows(data: bytes, max_rows: int, filename: str | None = None) -> list[dict]:
    """Rows of a CSV or XLSX file as {column: text}; raises ImportRejected for anything unreadable."""
    if not data:
        raise ImportRejected("the file is empty")
    if data[:4] == b"PK\x03\x04" or (filename or "").lower().endswith(".xlsx"):
        return _read_xlsx(data, max_rows)
    return _read_csv(data, max_rows)


def _header(cells) -> list[str]:
    names = [str(c or "").strip().lower().replace(" ", "_") for c in cells]
    while names and not names[-1]:
        names.pop()
    if not names or not any(names):
        raise ImportRejected("the first row must name the columns")
    return names


def _read_csv(data: bytes, max_rows: int) -> list[dict]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRejected("the CSV file is not UTF-8 text") from None
    if "\x00" in text:
        raise ImportRejected("the CSV file contains NUL bytes (is it a binary file?)")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = _header(next(reader, []))
        rows = []
        scanned = 0
        for cells in reader:
            scanned += 1
            if scanned > max_rows + MAX_BLANK_ROWS:
                raise ImportRejected(f"the file has more than {max_rows} rows (ZAS_IMPORT_MAX_ROWS)")
            if not any(c.strip() for c in cells):
                continue
            if len(rows) >= max_rows:
                raise ImportRejected(f"the file has more than {max_rows} rows (ZAS_IMPORT_MAX_ROWS)")
            rows.append(_row(header, cells))
    except csv.Error as exc:
        raise ImportRejected(f"the CSV file cannot be parsed: {exc}") from None
    return rows


def _row(header: list[str], cells) -> dict:
    out = {}
    for name, cell in zip(header, cells):
        if not name:
            continue
        value = "" if cell is None else str(cell)
        if len(value) > MAX_CELL:
            raise ImportRejected(f"a cell in column {name!r} is longer than {MAX_CELL} characters")
        out[name] = value.strip()
    return out


def check_xlsx_container(data: bytes) -> None:
    """Refuse zip bombs and XML with DOCTYPEs (entity expansion) before any XML parser runs."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ImportRejected("the XLSX file is not a valid zip archive") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > XLSX_MAX_ENTRIES:
            raise ImportRejected(f"the XLSX archive has more than {XLSX_MAX_ENTRIES} entries")
        total = 0
        for info in infos:
            total += info.file_size
            if total > XLSX_MAX_UNCOMPRESSED:
                raise ImportRejected("the XLSX file expands to more than "
                                     f"{XLSX_MAX_UNCOMPRESSED // (1024 * 1024)} MiB: refused (zip bomb?)")
            if info.compress_size and info.file_size / info.compress_size > XLSX_MAX_RATIO and info.file_size > 1 << 20:
                raise ImportRejected(f"the XLSX entry {info.filename!r} is compressed {XLSX_MAX_RATIO}:1 or more: "
                                     "refused (zip bomb?)")
        for info in infos:
            if not info.filename.endswith((".xml", ".rels")):
                continue
            # read in bounded chunks: the declared sizes above may lie, the stream cannot
            seen = 0
            head = b""
            with archive.open(info) as fh:
                while chunk := fh.read(1 << 16):
                    seen += len(chunk)
                    if seen > info.file_size or seen > XLSX_MAX_UNCOMPRESSED:
                        raise ImportRejected("the XLSX archive's sizes are inconsistent: refused")
                    window = head + chunk
                    if b"<!DOCTYPE" in window.upper() or b"<!ENTITY" in window.upper():
                        raise ImportRejected("the XLSX file declares XML entities (DOCTYPE): refused")
                    head = chunk[-16:]


def _read_xlsx(data: bytes, max_rows: int) -> list[dict]:
    check_xlsx_container(data)
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises anything from KeyError to its own errors on a bad file
        raise ImportRejected(f"the XLSX file cannot be read: {type(exc).__name__}") from None
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise ImportRejected("the XLSX file has no worksheet")
        header = _header(next(sheet.iter_rows(max_row=1, max_col=MAX_COLUMNS, values_only=True), ()) or ())
        rows = []
        scanned = 0
        for cells in sheet.iter_rows(min_row=2, max_col=len(header), values_only=True):
            scanned += 1
            if scanned > max_rows + MAX_BLANK_ROWS:
                raise ImportRejected(f"the file has more than {max_rows} rows (ZAS_IMPORT_MAX_ROWS)")
            if not any(c not in (None, "") for c in cells):
                continue
            if len(rows) >= max_rows:
                raise ImportRejected(f"the file has more than {max_rows} rows (ZAS_IMPORT_MAX_ROWS)")
            rows.append(_row(header, ["" if c is None else (str(int(c)) if isinstance(c, float) and c.is_integer()
                                                             else str(c)) for c in cells]))
    finally:
        workbook.close()
    return rows


def unneutralise(value: str) -> str:
    """Undo the export's formula guard: a leading apostrophe before = + - @ came from us."""
    if len(value) > 1 and value[0] == "'" and value[1] in FORMULA_START:
        return value[1:]
    return value


def _int(row: dict, key: str, default=None):
    value = row.get(key, "")
    if value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ValidationError(f"{key} must be a whole number", field=key) from None


def _split(value: str) -> list[str]:
    return [p.strip() for p in value.replace(",", ";").split(";") if p.strip()]


# devices ----------------------------------------------------------------------------------------

class _Lookup:
    """Everything the rows refer to, loaded in a few queries (never one per row)."""

    def __init__(self, scope: Scope, rows: list[dict]):
        org_names = {r.get("organization", "") for r in rows}
        orgs = db.session.scalars(select(Organization).where(Organization.name.in_(org_names or {""}))).all()
        self.orgs = {o.name: o for o in orgs if scope.can(o.id, "viewer")}
        self.scope = scope
        ids = [o.id for o in self.orgs.values()] or [-1]
        self.sites = {(s.organization_id, s.name): s.id
                      for s in db.session.scalars(select(Site).where(Site.organization_id.in_(ids)))}
        self.creds = {(c.organization_id, c.name): c.id for c in
                      db.session.scalars(select(CredentialProfile).where(CredentialProfile.organization_id.in_(ids)))}
        self.snmp = {(p.organization_id, p.name): p.id for p in
                     db.session.scalars(select(SnmpProfile).where(SnmpProfile.organization_id.in_(ids)))}
        self.org_ids = ids

    def org(self, name: str) -> Organization:
        org = self.orgs.get(name)
        if org is None:
            raise ValidationError(f"unknown organization {name!r}", field="organization")
        if not self.scope.can(org.id, "operator"):
            raise ValidationError(f"you need the operator role in {name!r} to import into it", field="organization")
        return org

    def ref(self, table: dict, org: Organization, name: str, field_name: str, what: str):
        if not name:
            return None
        found = table.get((org.id, name))
        if found is None:
            raise ValidationError(f"unknown {what} {name!r} in {org.name!r}", field=field_name)
        return found


def _device_values(row: dict, lookup: _Lookup) -> tuple[Organization, dict]:
    unknown = set(row) - set(DEVICE_COLUMNS)
    if unknown:
        raise ValidationError(f"unknown column(s): {', '.join(sorted(unknown))}", field=sorted(unknown)[0])
    row = {k: unneutralise(v) for k, v in row.items()}
    for key in REQUIRED["devices"]:
        if not row.get(key):
            raise ValidationError(f"{key} is required", field=key)
    org = lookup.org(row["organization"])
    values = {
        "name": inventory.validate_name(row["name"]),
        "host": inventory.validate_host(row["host"]),
        "platform": inventory.validate_platform(row["platform"]),
        "port": inventory.validate_port(_int(row, "port", 22), "port"),
        "snmp_port": inventory.validate_port(_int(row, "snmp_port", 161), "snmp_port"),
        "site_id": lookup.ref(lookup.sites, org, row.get("site", ""), "site", "site"),
        "credential_id": lookup.ref(lookup.creds, org, row.get("credential", ""), "credential", "credential profile"),
        "snmp_profile_id": lookup.ref(lookup.snmp, org, row.get("snmp_profile", ""), "snmp_profile", "SNMP profile"),
        "tags": inventory.validate_tags(_split(row.get("tags", ""))),
        "description": row.get("description") or None,
    }
    return org, values


def import_devices(scope: Scope, data: bytes, *, filename: str | None = None, dry_run: bool = False,
                   max_rows: int = 100_000, actor=None, ip: str | None = None) -> ImportReport:
    """Create or update devices (matched by organization and name) from a CSV/XLSX file.

    Every row is validated first. A dry run writes nothing. A real run with any rejected row
    raises ValidationError listing the rows (nothing written); otherwise every row is applied
    and audited in the caller's transaction (flushed, not committed). Operators only.
    """
    if not scope.has_any("operator"):
        raise PermissionDenied("importing needs the operator role")
    rows = read_rows(data, max_rows, filename)
    lookup = _Lookup(scope, rows)
    outcomes: list[RowOutcome] = []
    planned: list[tuple[RowOutcome, Organization, dict]] = []
    seen: dict[tuple[int, str], int] = {}
    keys = set()
    for n, row in enumerate(rows, start=2):  # row 1 is the header
        try:
            org, values = _device_values(row, lookup)
        except ValidationError as exc:
            outcomes.append(RowOutcome(n, "reject", row.get("name") or None, exc.errors or {"row": [str(exc)]}))
            continue
        key = (org.id, values["name"])
        if key in seen:
            outcomes.append(RowOutcome(n, "reject", values["name"],
                                       {"name": [f"duplicate of row {seen[key]} (same organization and name)"]}))
            continue
        seen[key] = n
        keys.add(key)
        outcome = RowOutcome(n, "create", values["name"])
        outcomes.append(outcome)
        planned.append((outcome, org, values))
    existing = _existing_devices(keys)
    for outcome, org, values in planned:
        before = existing.get((org.id, values["name"]))
        if before is not None:
            same = all(before[k] == v for k, v in values.items() if k != "tags")
            same = same and before["tags"] == sorted(set(values["tags"]))
            outcome.action = "unchanged" if same else "update"
    report = ImportReport("devices", dry_run, outcomes)
    if dry_run:
        return report
    _raise_if_rejected(report)
    _apply_devices(planned, existing, actor, ip)
    audit.record("import.devices", actor=actor, ip=ip,
                 detail={"created": report.count("create"), "updated": report.count("update"),
                         "filename": (filename or "")[:100]})
    return report


def _raise_if_rejected(report: ImportReport) -> None:
    rejected = [r for r in report.rows if r.action == "reject"]
    if rejected:
        errors = {f"row {r.row}": [f"{k}: {'; '.join(v)}" for k, v in r.errors.items()]
                  for r in rejected[:MAX_REPORTED_ERRORS]}
        raise ValidationError(f"{len(rejected)} of {len(report.rows)} rows rejected; nothing was imported",
                              field="file", errors=errors)


STORED_FIELDS = tuple(f for f in inventory.DEVICE_FIELDS if f != "tags")


def _existing_devices(keys: set[tuple[int, str]]) -> dict[tuple[int, str], dict]:
    """The stored devices the rows name, as plain dicts with their tags (ORM objects for 10,000
    devices cost seconds to load and expire)."""
    existing: dict[tuple[int, str], dict] = {}
    by_org: dict[int, list[str]] = {}
    for org_id, name in keys:
        by_org.setdefault(org_id, []).append(name)
    columns = [Device.id] + [getattr(Device, f) for f in STORED_FIELDS]
    for org_id, names in by_org.items():
        # plain IN lists per organization use the (organization_id, name) unique index
        for chunk in _chunks(sorted(names), 1000):
            for row in db.session.execute(select(*columns).where(Device.organization_id == org_id,
                                                                 Device.name.in_(chunk))).mappings():
                existing[(row["organization_id"], row["name"])] = dict(row, tags=[])
    by_id = {d["id"]: d for d in existing.values()}
    for ids in _chunks(sorted(by_id), 1000):
        for device_id, tag in db.session.execute(select(DeviceTag.device_id, DeviceTag.name)
                                                 .where(DeviceTag.device_id.in_(ids))
                                                 .order_by(DeviceTag.device_id, DeviceTag.name)):
            by_id[device_id]["tags"].append(tag)
    return existing


def _apply_devices(planned, existing, actor, ip) -> None:
    """Write the planned rows with bulk statements (an ORM object per row costs seconds per 10,000)."""
    now = utcnow()
    audit_rows, creates, updates, retag = [], [], [], {}
    for outcome, org, values in planned:
        tags = sorted(set(values.pop("tags")))
        stored = existing.get((org.id, values["name"]))
        if stored is None:
            creates.append((org, values, tags))
            continue
        if outcome.action == "unchanged":
            continue
        before = {k: stored[k] for k in inventory.DEVICE_FIELDS}
        changed = {k: v for k, v in values.items() if before.get(k) != v}
        if tags != before["tags"]:
            retag[stored["id"]] = tags
        updates.append(dict(changed, id=stored["id"]))
        audit_rows.append({"action": "device.update", "at": now, "actor_id": getattr(actor, "id", None),
                           "actor_name": getattr(actor, "username", None), "organization_id": org.id,
                           "object_type": "Device", "object_id": stored["id"], "object_repr": values["name"],
                           "before": audit.scrub(before), "after": audit.scrub(dict(before, **changed, tags=tags)),
                           "ip": ip, "detail": {"via": "import"}})
    if updates:
        _bulk_update(updates, now)
    if retag:
        for ids in _chunks(sorted(retag), 1000):
            db.session.execute(delete(DeviceTag).where(DeviceTag.device_id.in_(ids)))
        tag_rows = [{"device_id": d, "name": t} for d, names in retag.items() for t in names]
        for chunk in _chunks(tag_rows, 5000):
            db.session.execute(insert(DeviceTag), chunk)
    if updates or retag:
        db.session.expire_all()  # bulk statements bypass any Device already loaded in this session
    if creates:
        rows = [dict(values, organization_id=org.id, status="unknown", created_at=now, updated_at=now)
                for org, values, _ in creates]
        for chunk in _chunks(rows, 1000):
            db.session.execute(insert(Device), chunk)
        # ids by (organization, name), the unique key: RETURNING with executemany is row by row on some drivers
        found: dict[tuple[int, str], int] = {}
        by_org: dict[int, list[str]] = {}
        for org, values, _ in creates:
            by_org.setdefault(org.id, []).append(values["name"])
        for org_id, names in by_org.items():
            for chunk in _chunks(names, 1000):
                found.update(((org_id, n), i) for i, n in db.session.execute(
                    select(Device.id, Device.name).where(Device.organization_id == org_id, Device.name.in_(chunk))))
        ids = [found[(org.id, values["name"])] for org, values, _ in creates]
        tag_rows = [{"device_id": d, "name": t} for d, (_, _, tags) in zip(ids, creates) for t in tags]
        for chunk in _chunks(tag_rows, 5000):
            db.session.execute(insert(DeviceTag), chunk)
        for device_id, row, (org, values, tags) in zip(ids, rows, creates):
            after = {k: row.get(k) for k in inventory.DEVICE_FIELDS if k != "tags"}
            after["tags"] = tags
            audit_rows.append({"action": "device.create", "at": now, "actor_id": getattr(actor, "id", None),
                               "actor_name": getattr(actor, "username", None), "organization_id": org.id,
                               "object_type": "Device", "object_id": device_id, "object_repr": values["name"],
                               "before": None, "after": audit.scrub(after), "ip": ip, "detail": {"via": "import"}})
    for chunk in _chunks(audit_rows, 2000):
        db.session.execute(insert(AuditEvent), chunk)


def _bulk_update(updates: list[dict], now) -> None:
    """Per changed column, one `UPDATE ... SET col = CASE id ... END WHERE id IN (...)` per 500
    rows: an UPDATE per row is 10,000 round trips (drivers do not batch them)."""
    by_column: dict[str, dict[int, object]] = {}
    for row in updates:
        for key, value in row.items():
            if key not in ("id", "updated_at"):
                by_column.setdefault(key, {})[row["id"]] = value
    for key, values in by_column.items():
        column = getattr(Device, key)
        items = sorted(values.items())
        for chunk in _chunks(items, 500):
            ids = [i for i, _ in chunk]
            db.session.execute(update(Device).where(Device.id.in_(ids))
                               .values({key: case(dict(chunk), value=Device.id, else_=column)})
                               .execution_options(synchronize_session=False))
    for ids in _chunks(sorted(row["id"] for row in updates), 1000):
        db.session.execute(update(Device).where(Device.id.in_(ids)).values(updated_at=now)
                           .execution_options(synchronize_session=False))


def _audit_row(action, obj, org_id, actor, ip, before, after) -> dict:
    return {"action": action, "at": utcnow(), "actor_id": getattr(actor, "id", None),
            "actor_name": getattr(actor, "username", None), "organization_id": org_id,
            "object_type": type(obj).__name__, "object_id": obj.id, "object_repr": getattr(obj, "name", None),
            "before": audit.scrub(before), "after": audit.scrub(after), "ip": ip, "detail": {"via": "import"}}


# interfaces -------------------------------------------------------------------------------------

def _interface_values(row: dict) -> dict:
    unknown = set(row) - set(INTERFACE_COLUMNS)
    if unknown:
        raise ValidationError(f"unknown column(s): {', '.join(sorted(unknown))}", field=sorted(unknown)[0])
    row = {k: unneutralise(v) for k, v in row.items()}
    for key in REQUIRED["interfaces"]:
        if not row.get(key):
            raise ValidationError(f"{key} is required", field=key)
    data = {"name": row["name"], "description": row.get("description") or None,
            "admin_status": row.get("admin_status") or None, "oper_status": row.get("oper_status") or None,
            "mac": row.get("mac") or None, "ip_addresses": _split(row.get("ip_addresses", ""))}
    for key in ("if_index", "speed", "mtu", "vlan"):
        data[key] = _int(row, key)
    return inventory.interface_values(data)


def import_interfaces(scope: Scope, data: bytes, *, filename: str | None = None, dry_run: bool = False,
                      max_rows: int = 100_000, actor=None, ip: str | None = None) -> ImportReport:
    """Create or update interfaces (matched by organization, device and name) from CSV/XLSX.

    Same rules as `import_devices`: validated first, all or nothing, operators only.
    """
    if not scope.has_any("operator"):
        raise PermissionDenied("importing needs the operator role")
    rows = read_rows(data, max_rows, filename)
    lookup = _Lookup(scope, rows)
    device_names = {r.get("device", "") for r in rows}
    devices = {}
    for i, names in enumerate(_chunks(sorted(device_names), 1000)):
        for d in db.session.scalars(select(Device).where(Device.organization_id.in_(lookup.org_ids),
                                                         Device.name.in_(names))):
            devices[(d.organization_id, d.name)] = d
    outcomes, planned, seen = [], [], {}
    for n, row in enumerate(rows, start=2):
        try:
            values = _interface_values(row)
            org = lookup.org(row["organization"])
            device = devices.get((org.id, unneutralise(row["device"])))
            if device is None:
                raise ValidationError(f"unknown device {row['device']!r} in {org.name!r}", field="device")
        except ValidationError as exc:
            outcomes.append(RowOutcome(n, "reject", row.get("name") or None, exc.errors or {"row": [str(exc)]}))
            continue
        key = (device.id, values["name"])
        if key in seen:
            outcomes.append(RowOutcome(n, "reject", values["name"],
                                       {"name": [f"duplicate of row {seen[key]} (same device and name)"]}))
            continue
        seen[key] = n
        outcome = RowOutcome(n, "create", f"{device.name} {values['name']}")
        outcomes.append(outcome)
        planned.append((outcome, device, values))
    existing = {}
    device_ids = sorted({d.id for _, d, _ in planned})
    for ids in _chunks(device_ids, 1000):
        for iface in db.session.scalars(select(Interface).where(Interface.device_id.in_(ids))):
            existing[(iface.device_id, iface.name)] = iface
    for outcome, device, values in planned:
        if (device.id, values["name"]) in existing:
            outcome.action = "update"
    report = ImportReport("interfaces", dry_run, outcomes)
    if dry_run:
        return report
    _raise_if_rejected(report)
    audit_rows, new = [], []
    for outcome, device, values in planned:
        iface = existing.get((device.id, values["name"]))
        if iface is None:
            iface = Interface(device_id=device.id, **values)
            new.append((iface, device))
            continue
        before = inventory.snapshot(iface, inventory.INTERFACE_FIELDS)
        changed = {k: v for k, v in values.items() if before.get(k) != v}
        if not changed:
            outcome.action = "unchanged"
            continue
        for key, value in changed.items():
            setattr(iface, key, value)
        audit_rows.append(_audit_row("interface.update", iface, device.organization_id, actor, ip, before,
                                     dict(before, **changed)))
    db.session.add_all(i for i, _ in new)
    db.session.flush()
    for iface, device in new:
        audit_rows.append(_audit_row("interface.create", iface, device.organization_id, actor, ip, None,
                                     inventory.snapshot(iface, inventory.INTERFACE_FIELDS)))
    if audit_rows:
        db.session.execute(insert(AuditEvent), audit_rows)
    audit.record("import.interfaces", actor=actor, ip=ip,
                 detail={"created": report.count("create"), "updated": report.count("update"),
                         "filename": (filename or "")[:100]})
    return report


def _chunks(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i:i + size]
