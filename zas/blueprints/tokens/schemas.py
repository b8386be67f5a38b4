"""API token schemas: the clear token appears once, in the creation answer."""
import marshmallow as ma

from zas.blueprints.apikit import QueryArgsSchema, Str, StrictSchema


class TokenSchema(ma.Schema):
    """A token's record (never its value)."""

    id = ma.fields.Integer()
    name = ma.fields.String()
    prefix = ma.fields.String(metadata={"description": "the first characters, to recognise it"})
    write = ma.fields.Boolean(metadata={"description": "false: read-only"})
    created_at = ma.fields.DateTime()
    expires_at = ma.fields.DateTime(allow_none=True)
    revoked_at = ma.fields.DateTime(allow_none=True)
    last_used_at = ma.fields.DateTime(allow_none=True)


class NewTokenSchema(TokenSchema):
    """A new token, with its clear value (shown this once)."""

    token = ma.fields.String()


class TokenCreateSchema(StrictSchema):
    """A token for the caller."""

    name = Str(max_length=128)
    write = ma.fields.Boolean(load_default=True)
    expires_at = ma.fields.AwareDateTime(allow_none=True, default_timezone=None,
                                         metadata={"description": "ISO 8601 with a zone; omitted: never expires"})


class LoginTokenSchema(TokenCreateSchema):
    """Username and password for a new token."""

    username = Str(required=True, max_length=64)
    password = Str(required=True, load_only=True, max_length=1024)


class TokenQueryArgsSchema(QueryArgsSchema):
    """No filters."""
