"""Organization schemas: out, in, query string."""
import marshmallow as ma

from zas.blueprints.apikit import QueryArgsSchema, Str, StrictSchema


class OrganizationSchema(ma.Schema):
    """An organization as the API shows it."""

    id = ma.fields.Integer(dump_only=True)
    name = ma.fields.String()
    description = ma.fields.String(allow_none=True)
    created_at = ma.fields.DateTime(dump_only=True)


class OrganizationCreateSchema(StrictSchema):
    """A new organization."""

    name = Str(required=True, max_length=128)
    description = Str(allow_none=True, max_length=10000)


class OrganizationUpdateSchema(StrictSchema):
    """Changes to an organization."""

    name = Str(max_length=128)
    description = Str(allow_none=True, max_length=10000)


class OrganizationQueryArgsSchema(QueryArgsSchema):
    """Organization list filters."""

    q = Str(metadata={"description": "part of the name"})
