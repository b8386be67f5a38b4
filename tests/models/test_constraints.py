"""The schema's own rules hold, whatever the service layer does."""
import pytest
from sqlalchemy.exc import IntegrityError

from tests.factories import make_device, make_org
from zas.errors import ValidationError
from zas.extensions import db
from zas.models import AuditEvent, Device
from zas.services import inventory


def test_duplicate_device_name_in_one_organization_is_refused_by_the_database(org):
    make_device(org, name="core-1")
    with pytest.raises(IntegrityError) as info:
        make_device(org, name="core-1")
    assert "core-1" in str(info.value) or "uq_devices" in str(info.value).lower() or "unique" in str(info.value).lower()


def test_same_device_name_in_two_organizations_is_fine(org):
    other = make_org("Other")
    make_device(org, name="core-1")
    make_device(other, name="core-1")
    assert db.session.query(Device).filter_by(name="core-1").count() == 2


def test_service_names_the_duplicate_field_before_the_database_does(org):
    inventory.create_device(org, name="edge-1", host="10.0.0.1", platform="cisco_ios")
    with pytest.raises(ValidationError) as info:
        inventory.create_device(org, name="edge-1", host="10.0.0.2", platform="cisco_ios")
    assert info.value.field == "name"
    assert "edge-1" in str(info.value)


@pytest.mark.parametrize("field,values", [
    ("host", {"host": "not a host!"}),
    ("platform", {"platform": "cisco_nonsense"}),
    ("port", {"port": 70000}),
    ("name", {"name": "bad\nname"}),
])
def test_service_rejects_bad_fields_by_name(org, field, values):
    args = {"name": "x1", "host": "10.0.0.1", "platform": "arista_eos"} | values
    with pytest.raises(ValidationError) as info:
        inventory.create_device(org, **args)
    assert info.value.field == field


def test_tags_are_rows_deduplicated_and_sorted(org):
    device = make_device(org)
    device.tags = ["core", "lab", "core", " "]
    db.session.flush()
    assert device.tags == ["core", "lab"]
    device.tags = ["lab", "dc1"]
    db.session.flush()
    assert device.tags == ["dc1", "lab"]


def test_deleting_an_organization_cascades_to_its_devices(org):
    make_device(org)
    db.session.delete(org)
    db.session.flush()
    db.session.expire_all()
    assert db.session.query(Device).count() == 0


def test_audit_events_cannot_be_edited_or_deleted(app):
    event = AuditEvent(action="test.event", actor_name="t")
    db.session.add(event)
    db.session.flush()
    event.action = "rewritten"
    with pytest.raises(RuntimeError, match="append-only"):
        db.session.flush()
    db.session.rollback()
    event = AuditEvent(action="test.event2")
    db.session.add(event)
    db.session.flush()
    db.session.delete(event)
    with pytest.raises(RuntimeError, match="append-only"):
        db.session.flush()


def test_device_search_is_case_insensitive_and_takes_wildcards_literally(org):
    make_device(org, name="Core_Switch-1")
    make_device(org, name="coreXswitch-2")
    make_device(org, name="edge-100%")

    def names(q):
        return sorted(d.name for d in db.session.scalars(inventory.device_query({"q": q}, {org.id})))

    assert names("CORE") == ["Core_Switch-1", "coreXswitch-2"]
    assert names("core_") == ["Core_Switch-1"]  # `_` is not a wildcard
    assert names("100%") == ["edge-100%"]
