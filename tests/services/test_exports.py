"""Inventory export: scoped, formula cells neutralised, no secrets, and it imports back unchanged."""
import io

import openpyxl
from sqlalchemy import select

from tests.blueprints.api.helpers import api_as, personas
from tests.factories import make_credential, make_device, make_site
from zas.extensions import db
from zas.models import Device, Interface
from zas.services import exports, imports
from zas.services.authz import scope_for


def test_neutralise():
    assert exports.neutralise("=cmd|' /C calc'!A0") == "'=cmd|' /C calc'!A0"
    for bad in ("+1", "-1", "@SUM(A1)", "\t=x"):
        assert exports.neutralise(bad).startswith("'")
    assert exports.neutralise("plain") == "plain" and exports.neutralise(None) == ""
    assert imports.unneutralise(exports.neutralise("=x")) == "=x"


def test_csv_round_trip_is_unchanged_and_scoped(app):
    org, other, users = personas()
    site = make_site(org, "hq")
    cred = make_credential(org, name="ssh", password="Pw-Secret-9")
    d = make_device(org, name="r1", site=site, credential=cred, description="=HYPERLINK(\"http://evil\")", port=22)
    d.tags = ["core", "-neg"]
    make_device(other, name="theirs")
    db.session.flush()
    scope = scope_for(users["viewer"])
    body = exports.export_devices({}, scope.org_ids(), "csv")
    text = body.decode()
    assert "theirs" not in text and "Pw-Secret-9" not in text
    assert "'=HYPERLINK" in text and "'-neg" not in text.split("\r\n")[1].split(",")[0]
    before = {(x.name, x.host, x.port, x.platform, x.site_id, x.credential_id, tuple(x.tags), x.description)
              for x in db.session.scalars(select(Device).where(Device.organization_id == org.id))}
    report = imports.import_devices(scope_for(users["operator"]), body)
    assert report.count("unchanged") == 1 and report.count("reject") == 0
    db.session.expire_all()
    after = {(x.name, x.host, x.port, x.platform, x.site_id, x.credential_id, tuple(x.tags), x.description)
             for x in db.session.scalars(select(Device).where(Device.organization_id == org.id))}
    assert after == before


def test_xlsx_round_trip_and_no_formulas(app):
    org, other, users = personas()
    make_device(org, name="@evil", description="+1+1")
    body = exports.export_devices({}, None, "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    cells = [c.value for row in sheet.iter_rows() for c in row if c.value is not None]
    assert all(not (isinstance(v, str) and v.startswith(("=", "+", "@"))) for v in cells)
    report = imports.import_devices(scope_for(users["operator"]), body, filename="x.xlsx")
    assert report.count("unchanged") == 1 and report.count("reject") == 0
    assert db.session.scalar(select(Device.description).where(Device.name == "@evil")) == "+1+1"


def test_interfaces_round_trip(app):
    org, other, users = personas()
    device = make_device(org, name="sw1")
    db.session.add(Interface(device_id=device.id, name="Gi0/1", vlan=10, mac="aa:bb:cc:dd:ee:ff",
                             ip_addresses=["10.0.0.1/24"]))
    db.session.flush()
    body = exports.export_interfaces({}, None, "csv")
    report = imports.import_interfaces(scope_for(users["operator"]), body)
    assert report.count("unchanged") == 1 and report.count("reject") == 0


def test_export_api(app, client):
    org, other, users = personas()
    make_device(org, name="r1")
    resp = api_as(client, users["viewer"]).get("/exports/devices?format=xlsx")
    assert resp.status_code == 200 and resp.data[:2] == b"PK"
    assert "attachment" in resp.headers["Content-Disposition"]
    resp = api_as(client, users["viewer"]).get("/exports/devices?format=pdf")
    assert resp.status_code == 422 and "format" in resp.json["errors"]
    resp = api_as(client, users["outsider"]).get("/exports/devices")
    assert resp.status_code == 200 and b"r1" not in resp.data


def test_import_api_dry_run_and_real(app, client):
    org, other, users = personas()
    data = f"organization,name,host,platform\n{org.name},n1,10.0.0.1,cisco_ios\n".encode()
    api = api_as(client, users["operator"])
    resp = api.post("/imports/devices?dry_run=1", data={"file": (io.BytesIO(data), "d.csv")},
                    content_type="multipart/form-data")
    assert resp.status_code == 200 and resp.json["created"] == 1 and resp.json["dry_run"] is True
    assert db.session.scalar(select(Device.id).where(Device.name == "n1")) is None
    resp = api.post("/imports/devices", data=data, content_type="text/csv")
    assert resp.status_code == 200 and resp.json["created"] == 1
    assert db.session.scalar(select(Device.id).where(Device.name == "n1")) is not None
    bad = f"organization,name,host,platform\n{org.name},n2,bad host,cisco_ios\n".encode()
    resp = api.post("/imports/devices", data=bad, content_type="text/csv")
    assert resp.status_code == 422 and "row 2" in resp.json["errors"]
    viewer = api_as(client, users["viewer"])
    assert viewer.post("/imports/devices", data=data, content_type="text/csv").status_code == 403
