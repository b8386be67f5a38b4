"""Interface schemas: out, in, query string."""
import marshmallow as ma

from zas.blueprints.apikit import Id, QueryArgsSchema, Str, StrictSchema
from zas.services.inventory import IF_STATUSES


class InterfaceSchema(ma.Schema):
    """An interface as the API shows it."""

    id = ma.fields.Integer(dump_only=True)
    device_id = ma.fields.Integer()
    name = ma.fields.String()
    if_index = ma.fields.Integer(allow_none=True)
    description = ma.fields.String(allow_none=True)
    admin_status = ma.fields.String(allow_none=True)
    oper_status = ma.fields.String(allow_none=True)
    speed = ma.fields.Integer(allow_none=True, metadata={"description": "bits per second"})
    mac = ma.fields.String(allow_none=True)
    mtu = ma.fields.Integer(allow_none=True)
    vlan = ma.fields.Integer(allow_none=True)
    ip_addresses = ma.fields.List(ma.fields.String())
    updated_at = ma.fields.DateTime(dump_only=True)


def _fields(required: bool) -> dict:
    small = {"strict": True, "allow_none": True, "validate": ma.validate.Range(min=0, max=2**31 - 1)}
    return {
        "name": Str(required=required, max_length=128),
        "if_index": ma.fields.Integer(**small),
        "description": Str(allow_none=True, max_length=255),
        "admin_status": ma.fields.String(allow_none=True, validate=ma.validate.OneOf(IF_STATUSES)),
        "oper_status": ma.fields.String(allow_none=True, validate=ma.validate.OneOf(IF_STATUSES)),
        "speed": ma.fields.Integer(strict=True, allow_none=True, validate=ma.validate.Range(min=0, max=2**63 - 1)),
        "mac": Str(allow_none=True, max_length=32),
        "mtu": ma.fields.Integer(**small),
        "vlan": ma.fields.Integer(strict=True, allow_none=True, validate=ma.validate.Range(min=1, max=4094)),
        "ip_addresses": ma.fields.List(Str(max_length=64), validate=ma.validate.Length(max=256)),
    }


InterfaceCreateSchema = StrictSchema.from_dict(_fields(True), name="InterfaceCreateSchema")
InterfaceUpdateSchema = StrictSchema.from_dict(_fields(False), name="InterfaceUpdateSchema")


class InterfaceQueryArgsSchema(QueryArgsSchema):
    """Interface list filters."""

    organization_id = Id()
    device_id = Id()
    oper_status = ma.fields.String(validate=ma.validate.OneOf(IF_STATUSES))
    admin_status = ma.fields.String(validate=ma.validate.OneOf(IF_STATUSES))
    vlan = ma.fields.Integer(validate=ma.validate.Range(min=1, max=4094))
    mac = Str(max_length=32)
    q = Str(metadata={"description": "part of the name or description"})


class DeviceInterfaceQueryArgsSchema(QueryArgsSchema):
    """Filters for one device's interfaces."""

    oper_status = ma.fields.String(validate=ma.validate.OneOf(IF_STATUSES))
    admin_status = ma.fields.String(validate=ma.validate.OneOf(IF_STATUSES))
    vlan = ma.fields.Integer(validate=ma.validate.Range(min=1, max=4094))
    q = Str(metadata={"description": "part of the name or description"})
