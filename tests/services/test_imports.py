"""Inventory import: every row validated, dry run, all or nothing, hostile files refused in bounds."""
import io
import zipfile

import openpyxl
import pytest
from sqlalchemy import func, select

from tests.blueprints.api.helpers import personas
from tests.factories import make_credential, make_device, make_site
from zas.errors import PermissionDenied, ValidationError
from zas.extensions import db
from zas.models import AuditEvent, Device, Interface
from zas.services import imports
from zas.services.authz import scope_for

HEADER = "organization,name,site,host,port,platform,credential,snmp_profile,snmp_port,tags,description\n"


@pytest.fixture
def world(app):
    org, other, users = personas()
    make_site(org, "hq")
    make_credential(org, name="ssh")
    return org, other, users, scope_for(users["operator"])


def csv_bytes(org_name, *rows):
    return (HEADER + "".join(f"{org_name},{r}\n" for r in rows)).encode()


def count(model):
    return db.session.scalar(select(func.count(model.id)))


def test_dry_run_reports_create_update_reject_and_writes_nothing(world):
    org, other, users, scope = world
    make_device(org, name="old", host="10.0.0.9")
    data = csv_bytes(org.name, "new,hq,10.0.0.1,22,cisco_ios,ssh,,161,a;b,",
                     "old,,10.0.0.10,22,arista_eos,,,161,,",
                     "bad,,no such host!,22,cisco_ios,,,161,,",
                     "bad2,nowhere,10.0.0.2,22,toaster,,,161,,",
                     "new,,10.0.0.3,22,cisco_ios,,,161,,")
    report = imports.import_devices(scope, data, dry_run=True)
    summary = report.as_dict()
    assert (summary["created"], summary["updated"], summary["rejected"]) == (1, 1, 3)
    errors = {r["row"]: r["errors"] for r in summary["rows"]}
    assert "host" in errors[4] and "site" in errors[5] or "platform" in errors[5]
    assert "duplicate" in errors[6]["name"][0]
    assert count(Device) == 1


def test_real_import_is_all_or_nothing(world):
    org, other, users, scope = world
    data = csv_bytes(org.name, "a1,hq,10.0.0.1,22,cisco_ios,ssh,,161,,", "a2,,bad host!,22,cisco_ios,,,161,,")
    with pytest.raises(ValidationError) as err:
        imports.import_devices(scope, data)
    assert "row 3" in err.value.errors
    assert count(Device) == 0


def test_real_import_creates_updates_and_audits(world):
    org, other, users, scope = world
    make_device(org, name="old", host="10.0.0.9")
    data = csv_bytes(org.name, "new,hq,10.0.0.1,2222,cisco_ios,ssh,,161,a;b,hello",
                     "old,,10.0.0.10,22,arista_eos,,,161,,")
    report = imports.import_devices(scope, data, actor=users["operator"])
    assert (report.count("create"), report.count("update")) == (1, 1)
    new = db.session.scalar(select(Device).where(Device.name == "new"))
    assert new.port == 2222 and new.tags == ["a", "b"] and new.site.name == "hq" and new.description == "hello"
    assert db.session.scalar(select(Device.platform).where(Device.name == "old")) == "arista_eos"
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert {"device.create", "device.update", "import.devices"} <= set(actions)


def test_unknown_or_foreign_organization_and_viewer(world):
    org, other, users, scope = world
    report = imports.import_devices(scope, csv_bytes(other.name, "x,,10.0.0.1,22,cisco_ios,,,161,,"), dry_run=True)
    assert report.count("reject") == 1 and "organization" in report.rows[0].errors
    with pytest.raises(PermissionDenied):
        imports.import_devices(scope_for(users["viewer"]), csv_bytes(org.name, "x,,10.0.0.1,22,cisco_ios,,,161,,"))


def test_xlsx_import(world):
    org, other, users, scope = world
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["organization", "name", "host", "platform", "port"])
    ws.append([org.name, "x1", "10.0.0.1", "cisco_ios", 22])
    buf = io.BytesIO()
    wb.save(buf)
    report = imports.import_devices(scope, buf.getvalue(), filename="d.xlsx")
    assert report.count("create") == 1 and db.session.scalar(select(Device.port).where(Device.name == "x1")) == 22


def test_row_cap(world):
    org, other, users, scope = world
    data = csv_bytes(org.name, *[f"d{i},,10.0.0.1,22,cisco_ios,,,161,," for i in range(11)])
    with pytest.raises(ValidationError, match="more than 10 rows"):
        imports.import_devices(scope, data, max_rows=10)


def test_zip_bomb_is_refused_before_parsing(world):
    org, other, users, scope = world
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (300 * 1024 * 1024))
    assert len(buf.getvalue()) < 2 * 1024 * 1024
    with pytest.raises(ValidationError, match="zip bomb"):
        imports.import_devices(scope, buf.getvalue())


def test_xml_entity_expansion_is_refused(world):
    org, other, users, scope = world
    lol = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
           '<worksheet>&lol2;</worksheet>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", lol)
    with pytest.raises(ValidationError, match="DOCTYPE"):
        imports.import_devices(scope, buf.getvalue())


@pytest.mark.parametrize("data, message", [
    (b"", "empty"),
    (b"\xff\xfe\x00bad", "UTF-8"),
    (b"PK\x03\x04garbage", "zip"),
])
def test_unreadable_files_get_a_clear_error(world, data, message):
    with pytest.raises(ValidationError, match=message):
        imports.import_devices(world[3], data)


def test_interface_import(world):
    org, other, users, scope = world
    device = make_device(org, name="sw1")
    data = (f"organization,device,name,description,vlan,mac,ip_addresses\n"
            f"{org.name},sw1,Gi0/1,uplink,10,AABB.CCDD.EEFF,10.0.0.1/24\n"
            f"{org.name},sw1,Gi0/2,,5000,,\n"
            f"{org.name},ghost,Gi0/1,,,,\n").encode()
    report = imports.import_interfaces(scope, data, dry_run=True)
    assert report.count("create") == 1 and report.count("reject") == 2
    ok = f"organization,device,name,vlan\n{org.name},sw1,Gi0/1,10\n".encode()
    imports.import_interfaces(scope, ok)
    assert db.session.scalar(select(Interface.vlan).where(Interface.device_id == device.id)) == 10


def test_bulk_update_sets_each_rows_own_values(world):
    org, other, users, scope = world
    site = make_site(org, "dc2")
    make_device(org, name="u1", host="10.0.0.1", site=site)
    make_device(org, name="u2", host="10.0.0.2")
    data = csv_bytes(org.name, "u1,,10.1.1.1,22,cisco_ios,,,161,,", "u2,dc2,10.2.2.2,2200,cisco_ios,,,161,x,")
    report = imports.import_devices(scope, data, actor=users["operator"])
    assert report.count("update") == 2
    db.session.expire_all()
    rows = {d.name: (d.host, d.site_id, d.port, d.tags) for d in db.session.scalars(select(Device))}
    assert rows == {"u1": ("10.1.1.1", None, 22, []), "u2": ("10.2.2.2", site.id, 2200, ["x"])}


def test_blank_rows_count_against_the_cap(world):
    org, other, users, scope = world
    data = (HEADER + "\n" * 20_050).encode()
    with pytest.raises(ValidationError, match="more than 10 rows"):
        imports.import_devices(scope, data, max_rows=10)
