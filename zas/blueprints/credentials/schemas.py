"""Credential profile schemas. Secrets are load-only: they never appear in a response."""
import marshmallow as ma

from zas.blueprints.apikit import Id, QueryArgsSchema, Str, StrictSchema


class CredentialSchema(ma.Schema):
    """A credential profile as the API shows it: which secrets are set, never their values."""

    id = ma.fields.Integer(dump_only=True)
    organization_id = ma.fields.Integer()
    name = ma.fields.String()
    username = ma.fields.String()
    has_password = ma.fields.Function(lambda c: bool(c.password))
    has_enable_secret = ma.fields.Function(lambda c: bool(c.enable_secret))
    has_private_key = ma.fields.Function(lambda c: bool(c.private_key))
    created_at = ma.fields.DateTime(dump_only=True)
    updated_at = ma.fields.DateTime(dump_only=True)


class CredentialCreateSchema(StrictSchema):
    """A new credential profile (secrets write-only)."""

    organization_id = Id(required=True)
    name = Str(required=True, max_length=128)
    username = Str(required=True, max_length=128)
    password = Str(load_only=True, allow_none=True, max_length=16384)
    enable_secret = Str(load_only=True, allow_none=True, max_length=16384)
    private_key = Str(load_only=True, allow_none=True, max_length=16384)


class CredentialUpdateSchema(StrictSchema):
    """Changes to a credential profile; a secret left out is kept, an empty one cleared."""

    organization_id = Id()
    name = Str(max_length=128)
    username = Str(max_length=128)
    password = Str(load_only=True, allow_none=True, max_length=16384)
    enable_secret = Str(load_only=True, allow_none=True, max_length=16384)
    private_key = Str(load_only=True, allow_none=True, max_length=16384)


class ProfileQueryArgsSchema(QueryArgsSchema):
    """Profile list filters."""

    organization_id = Id()
    q = Str(metadata={"description": "part of the name"})
