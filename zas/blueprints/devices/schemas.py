"""Device schemas: out (inventory fields and read-only facts), in, query string."""
import marshmallow as ma

from zas.blueprints.apikit import Id, Port, QueryArgsSchema, Str, StrictSchema
from zas.models.devices import DEVICE_STATUSES
from zas.services.inventory import SORTABLE


class DeviceSchema(ma.Schema):
    """A device as the API shows it."""

    id = ma.fields.Integer(dump_only=True)
    name = ma.fields.String()
    organization_id = ma.fields.Integer()
    site_id = ma.fields.Integer(allow_none=True)
    description = ma.fields.String(allow_none=True)
    host = ma.fields.String()
    port = ma.fields.Integer()
    platform = ma.fields.String(metadata={"description": "netmiko device_type"})
    credential_id = ma.fields.Integer(allow_none=True)
    snmp_profile_id = ma.fields.Integer(allow_none=True)
    snmp_port = ma.fields.Integer()
    tags = ma.fields.List(ma.fields.String())
    # facts, written by discovery and polling
    hostname = ma.fields.String(allow_none=True, dump_only=True)
    vendor = ma.fields.String(allow_none=True, dump_only=True)
    model = ma.fields.String(allow_none=True, dump_only=True)
    serial = ma.fields.String(allow_none=True, dump_only=True)
    software_version = ma.fields.String(allow_none=True, dump_only=True)
    uptime_seconds = ma.fields.Integer(allow_none=True, dump_only=True)
    status = ma.fields.String(dump_only=True)
    last_backup_at = ma.fields.DateTime(allow_none=True, dump_only=True)
    last_backup_status = ma.fields.String(allow_none=True, dump_only=True)
    last_poll_at = ma.fields.DateTime(allow_none=True, dump_only=True)
    last_poll_status = ma.fields.String(allow_none=True, dump_only=True)
    drift_status = ma.fields.String(allow_none=True, dump_only=True)
    created_at = ma.fields.DateTime(dump_only=True)
    updated_at = ma.fields.DateTime(dump_only=True)


def _fields(required: bool) -> dict:
    return {
        "name": Str(required=required, max_length=128),
        "organization_id": Id(required=required),
        "site_id": Id(allow_none=True),
        "description": Str(allow_none=True, max_length=10000),
        "host": Str(required=required, max_length=255),
        "port": Port(22, metadata={"description": "SSH port (22)"}),
        "platform": Str(required=required, max_length=64, metadata={"description": "netmiko device_type"}),
        "credential_id": Id(allow_none=True),
        "snmp_profile_id": Id(allow_none=True),
        "snmp_port": Port(161, metadata={"description": "SNMP port (161)"}),
        "tags": ma.fields.List(Str(max_length=64), validate=ma.validate.Length(max=100)),
    }


DeviceCreateSchema = StrictSchema.from_dict(_fields(True), name="DeviceCreateSchema")
DeviceUpdateSchema = StrictSchema.from_dict(_fields(False), name="DeviceUpdateSchema")

SORT_KEYS = sorted(SORTABLE) + sorted("-" + k for k in SORTABLE)


class DeviceQueryArgsSchema(QueryArgsSchema):
    """Device list filters and sort; shared with the devices page."""

    organization_id = Id()
    site_id = Id()
    platform = Str(max_length=64)
    tag = Str(max_length=64)
    status = ma.fields.String(validate=ma.validate.OneOf(DEVICE_STATUSES))
    software_version = Str(max_length=128)
    model = Str(max_length=128)
    drift_status = Str(max_length=16)
    q = Str(metadata={"description": "part of the name, host or serial"})
    sort = ma.fields.String(load_default="name", validate=ma.validate.OneOf(SORT_KEYS),
                            metadata={"description": "a column; prefix - for descending"})
