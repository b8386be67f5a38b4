"""Export query strings."""
import marshmallow as ma

from zas.blueprints.apikit import Id, QueryArgsSchema
from zas.blueprints.devices.schemas import DeviceQueryArgsSchema

FORMAT = {"load_default": "csv", "validate": ma.validate.OneOf(("csv", "xlsx"))}


class DeviceExportArgsSchema(DeviceQueryArgsSchema):
    """The device list's filters, and a format."""

    format = ma.fields.String(**FORMAT)


class InterfaceExportArgsSchema(QueryArgsSchema):
    """Interface export filters and format."""

    organization_id = Id()
    device_id = Id()
    format = ma.fields.String(**FORMAT)
