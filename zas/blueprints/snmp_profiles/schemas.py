"""SNMP profile schemas. Community and keys are load-only: they never appear in a response."""
import marshmallow as ma

from zas.blueprints.apikit import Id, Str, StrictSchema
from zas.blueprints.credentials.schemas import ProfileQueryArgsSchema  # noqa: F401  (same filters)
from zas.models.credentials import SNMP_AUTH_PROTOCOLS, SNMP_PRIV_PROTOCOLS, SNMP_VERSIONS


class SnmpProfileSchema(ma.Schema):
    """An SNMP profile as the API shows it: which secrets are set, never their values."""

    id = ma.fields.Integer(dump_only=True)
    organization_id = ma.fields.Integer()
    name = ma.fields.String()
    priority = ma.fields.Integer()
    version = ma.fields.String()
    username = ma.fields.String(allow_none=True)
    auth_protocol = ma.fields.String(allow_none=True)
    priv_protocol = ma.fields.String(allow_none=True)
    security_level = ma.fields.String(allow_none=True, dump_only=True)
    has_community = ma.fields.Function(lambda p: bool(p.community))
    has_auth_key = ma.fields.Function(lambda p: bool(p.auth_key))
    has_priv_key = ma.fields.Function(lambda p: bool(p.priv_key))
    created_at = ma.fields.DateTime(dump_only=True)
    updated_at = ma.fields.DateTime(dump_only=True)


def _fields(required: bool) -> dict:
    secret = {"load_only": True, "allow_none": True, "max_length": 1024}
    return {
        "organization_id": Id(required=required),
        "name": Str(required=required, max_length=128),
        "priority": ma.fields.Integer(strict=True, validate=ma.validate.Range(min=0, max=10000)),
        "version": ma.fields.String(validate=ma.validate.OneOf(SNMP_VERSIONS)),
        "community": Str(**secret),
        "username": Str(allow_none=True, max_length=128),
        "auth_protocol": ma.fields.String(allow_none=True, validate=ma.validate.OneOf(SNMP_AUTH_PROTOCOLS)),
        "auth_key": Str(**secret),
        "priv_protocol": ma.fields.String(allow_none=True, validate=ma.validate.OneOf(SNMP_PRIV_PROTOCOLS)),
        "priv_key": Str(**secret),
    }


SnmpProfileCreateSchema = StrictSchema.from_dict(_fields(True), name="SnmpProfileCreateSchema")
SnmpProfileUpdateSchema = StrictSchema.from_dict(_fields(False), name="SnmpProfileUpdateSchema")
