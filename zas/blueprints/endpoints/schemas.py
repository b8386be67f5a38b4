"""Endpoint schemas."""
import marshmallow as ma

from zas.blueprints.apikit import Id, QueryArgsSchema, Str


class EndpointSchema(ma.Schema):
    """An end host seen on the network."""

    id = ma.fields.Integer()
    organization_id = ma.fields.Integer()
    mac = ma.fields.String()
    ip = ma.fields.String(allow_none=True)
    ipv6 = ma.fields.String(allow_none=True)
    hostname = ma.fields.String(allow_none=True)
    vendor = ma.fields.String(allow_none=True)
    device_id = ma.fields.Integer(allow_none=True)
    interface_id = ma.fields.Integer(allow_none=True)
    vlan = ma.fields.Integer(allow_none=True)
    first_seen = ma.fields.DateTime()
    last_seen = ma.fields.DateTime()
    is_duplicate = ma.fields.Boolean()


class EndpointQueryArgsSchema(QueryArgsSchema):
    """Endpoint filters."""

    organization_id = Id()
    mac = Str(max_length=32)
    ip = Str(max_length=45, metadata={"description": "an IPv4 or IPv6 address"})
    hostname = Str(max_length=255)
    device_id = Id()
    q = Str(metadata={"description": "part of the MAC, IPv4 or IPv6 address or host name"})
