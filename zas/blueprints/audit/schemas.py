"""Audit log schemas (read-only)."""
import marshmallow as ma

from zas.blueprints.apikit import Id, QueryArgsSchema, Str


class AuditEventSchema(ma.Schema):
    """One recorded action."""

    id = ma.fields.Integer()
    at = ma.fields.DateTime()
    actor_id = ma.fields.Integer(allow_none=True)
    actor_name = ma.fields.String(allow_none=True)
    organization_id = ma.fields.Integer(allow_none=True)
    action = ma.fields.String()
    object_type = ma.fields.String(allow_none=True)
    object_id = ma.fields.Integer(allow_none=True)
    object_repr = ma.fields.String(allow_none=True)
    before = ma.fields.Dict(allow_none=True)
    after = ma.fields.Dict(allow_none=True)
    ip = ma.fields.String(allow_none=True)
    detail = ma.fields.Dict(allow_none=True)


class AuditQueryArgsSchema(QueryArgsSchema):
    """Audit filters."""

    action = Str(max_length=64, metadata={"description": "exact, or a prefix ending in '.' (device.)"})
    actor = Str(max_length=64, metadata={"description": "username"})
    organization_id = Id()
    object_type = Str(max_length=64)
    object_id = Id()
    since = ma.fields.AwareDateTime(default_timezone=None)
    until = ma.fields.AwareDateTime(default_timezone=None)
    q = Str(metadata={"description": "part of the object's name"})
