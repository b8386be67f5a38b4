"""Import page: upload → dry-run preview table (nothing written) → confirm."""
import io

from sqlalchemy import func, select

from tests.factories import make_org
from tests.ui.helpers import sign_in
from zas.extensions import db
from zas.models import Device

GOOD = b"organization,name,host,platform\nAcme,imp-1,10.0.0.1,cisco_ios\nAcme,imp-2,10.0.0.2,arista_eos\n"
BAD = b"organization,name,host,platform\nAcme,imp-1,10.0.0.1,cisco_ios\nAcme,imp-3,bad host!,cisco_ios\n"


def _upload(client, data, name="devices.csv"):
    return client.post("/imports/devices", data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def test_preview_then_confirm(client, app):
    make_org("Acme")
    sign_in(client, role="operator", org=db.session.scalar(select(__import__("zas.models", fromlist=["Organization"]).Organization)))
    resp = _upload(client, GOOD)
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200 and 'id="import-preview"' in body and "Confirm import" in body
    assert db.session.scalar(select(func.count()).select_from(Device)) == 0  # a preview writes nothing
    token = body.split('name="token" value="')[1].split('"')[0]
    resp = client.post("/imports/devices", data={"token": token, "filename": "devices.csv"})
    assert resp.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Device)) == 2


def test_rejected_rows_are_listed_and_cannot_be_confirmed(client, app):
    org = make_org("Acme")
    sign_in(client, role="operator", org=org)
    body = _upload(client, BAD).get_data(as_text=True)
    assert "neither an IP address" in body and "Confirm import" not in body and "1</strong> rejected" in body


def test_unreadable_file_is_named(client, app):
    org = make_org("Acme")
    sign_in(client, role="operator", org=org)
    resp = _upload(client, b"\x00\x01garbage", "devices.xlsx")
    assert resp.status_code == 422 and 'class="field-error"' in resp.get_data(as_text=True)


def test_viewer_cannot_import(client, app):
    org = make_org("Acme")
    sign_in(client, role="viewer", org=org)
    assert client.get("/imports/devices").status_code == 403
