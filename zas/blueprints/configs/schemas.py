"""Configuration version schemas."""
import marshmallow as ma

from zas.blueprints.apikit import Id, QueryArgsSchema


class ConfigVersionSchema(ma.Schema):
    """A stored configuration version, without its text (lists)."""

    id = ma.fields.Integer()
    device_id = ma.fields.Integer()
    created_at = ma.fields.DateTime()
    sha256 = ma.fields.String()
    size = ma.fields.Integer()
    source = ma.fields.String()
    job_id = ma.fields.Integer(allow_none=True)
    created_by_name = ma.fields.String(allow_none=True)


class ConfigVersionDetailSchema(ConfigVersionSchema):
    """A version with its text (secrets masked unless the caller administers the organization)."""

    text = ma.fields.String()
    masked = ma.fields.Boolean()


class ConfigDiffArgsSchema(QueryArgsSchema):
    """Which version to compare with."""

    against = Id(required=True, metadata={"description": "the other version's id (the older side)"})


class ConfigDiffSchema(ma.Schema):
    """A unified diff between two versions."""

    diff = ma.fields.String()
    masked = ma.fields.Boolean()


class ConfigListArgsSchema(QueryArgsSchema):
    """No filters: newest first."""
