"""bulkwrite.insert_rows: the multi-row INSERT the poll writes its samples with, on the test database
(MariaDB renders the statement itself; SQLite takes the executemany path)."""
from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from tests.factories import make_device
from zas.extensions import db
from zas.models import DeviceEvent, DeviceTelemetry
from zas.services import bulkwrite


def test_numbers_nulls_and_awkward_text_are_stored_as_given(org, monkeypatch):
    monkeypatch.setattr(bulkwrite, "INSERT_CHUNK", 2)  # five rows: three statements
    device = make_device(org)
    at = datetime(2026, 11, 26, 4, 30, 15, 123456)
    kinds = ["it's 100% %s", "back\\slash", 'quote"d', "ümlaut ☃", "--; DROP"]
    bulkwrite.insert_rows(DeviceEvent.__table__, [{"device_id": device.id, "at": at, "kind": k} for k in kinds])
    bulkwrite.insert_rows(DeviceTelemetry.__table__, [
        {"device_id": device.id, "resolution": "raw", "ts": at, "uptime_seconds": 2**40, "cpu_percent": 12.5,
         "mem_used": None, "reachable": True, "samples": 1},
        {"device_id": device.id, "resolution": "raw", "ts": at, "uptime_seconds": 0, "cpu_percent": float("inf"),
         "mem_used": 7, "reachable": False, "samples": 1},
    ])
    db.session.commit()
    events = db.session.execute(select(DeviceEvent.kind, DeviceEvent.at).where(DeviceEvent.device_id == device.id)
                                .order_by(DeviceEvent.id)).all()
    assert [e.kind for e in events] == kinds and {e.at for e in events} == {at}
    rows = db.session.execute(select(DeviceTelemetry.uptime_seconds, DeviceTelemetry.cpu_percent,
                                     DeviceTelemetry.mem_used, DeviceTelemetry.reachable)
                              .where(DeviceTelemetry.device_id == device.id).order_by(DeviceTelemetry.id)).all()
    assert [tuple(r) for r in rows] == [(2**40, 12.5, None, True), (0, None, 7, False)]  # inf is not a number


def test_an_unknown_column_is_named_and_nothing_is_written(org):
    device = make_device(org)
    with pytest.raises(ValueError, match="no column 'colour'"):
        bulkwrite.insert_rows(DeviceEvent.__table__, [{"device_id": device.id, "kind": "x", "colour": "red"}])
    db.session.rollback()
    assert db.session.scalar(select(DeviceEvent.id).where(DeviceEvent.device_id == device.id)) is None
