"""Site schemas: out, in, query string."""
import marshmallow as ma

from zas.blueprints.apikit import Id, QueryArgsSchema, Str, StrictSchema


class SiteSchema(ma.Schema):
    """A site as the API shows it."""

    id = ma.fields.Integer(dump_only=True)
    organization_id = ma.fields.Integer()
    name = ma.fields.String()
    description = ma.fields.String(allow_none=True)
    address = ma.fields.String(allow_none=True)
    created_at = ma.fields.DateTime(dump_only=True)


class SiteCreateSchema(StrictSchema):
    """A new site."""

    organization_id = Id(required=True)
    name = Str(required=True, max_length=128)
    description = Str(allow_none=True, max_length=10000)
    address = Str(allow_none=True, max_length=255)


class SiteUpdateSchema(StrictSchema):
    """Changes to a site (its organization is fixed)."""

    organization_id = Id()
    name = Str(max_length=128)
    description = Str(allow_none=True, max_length=10000)
    address = Str(allow_none=True, max_length=255)


class SiteQueryArgsSchema(QueryArgsSchema):
    """Site list filters."""

    organization_id = Id()
    q = Str(metadata={"description": "part of the name"})
