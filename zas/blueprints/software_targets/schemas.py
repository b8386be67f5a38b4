"""Software target schemas: out, in, query string."""
import marshmallow as ma

from zas.blueprints.apikit import Id, QueryArgsSchema, Str, StrictSchema


class SoftwareTargetSchema(ma.Schema):
    """A target version as the API shows it."""

    id = ma.fields.Integer(dump_only=True)
    organization_id = ma.fields.Integer()
    platform = ma.fields.String(metadata={"description": "a netmiko device_type, e.g. cisco_ios"})
    model = ma.fields.String()
    version = ma.fields.String()
    created_at = ma.fields.DateTime(dump_only=True)


class SoftwareTargetCreateSchema(StrictSchema):
    """A new target version for a (platform, model) of an organization."""

    organization_id = Id(required=True)
    platform = Str(required=True, max_length=64)
    model = Str(required=True, max_length=128)
    version = Str(required=True, max_length=128)


class SoftwareTargetUpdateSchema(StrictSchema):
    """Changes to a target (its organization is fixed)."""

    platform = Str(max_length=64)
    model = Str(max_length=128)
    version = Str(max_length=128)


class SoftwareTargetQueryArgsSchema(QueryArgsSchema):
    """Target list filters."""

    organization_id = Id()
    platform = Str(max_length=64)
