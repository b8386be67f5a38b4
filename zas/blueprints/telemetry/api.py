"""REST: telemetry series of a device (/api/v1/devices/<id>/telemetry) and of an interface
(/api/v1/interfaces/<id>/telemetry, rates in bits per second). Scoped to the caller's organizations."""
from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView

from zas.blueprints.access import current_scope
from zas.blueprints.apikit import QueryArgsSchema, Str, api_blueprint, errors, path_id
from zas.services import inventory, telemetry

blp = api_blueprint("telemetry", __name__, "", "SNMP telemetry of devices and interfaces")


class TelemetryArgsSchema(QueryArgsSchema):
    """`since`/`until`: ISO 8601 (UTC) or a range (1h, 24h, 7d, 30d) for `since`; default the last 24 h."""

    since = Str(max_length=40)
    until = Str(max_length=40)


class DeviceTelemetryArgsSchema(TelemetryArgsSchema):
    """Device series: `metric` one of uptime, cpu, memory, reachable (default all)."""

    metric = Str(max_length=16, validate=[ma.validate.OneOf(telemetry.DEVICE_METRICS)])


class PointSchema(ma.Schema):
    """One sample: `ts` and the metric's fields (null where unknown)."""

    class Meta:
        unknown = ma.INCLUDE

    ts = ma.fields.String()


class DeviceSeriesSchema(ma.Schema):
    """A device's samples over the window, at the resolution the window calls for."""

    device_id = ma.fields.Integer()
    metric = ma.fields.String()
    resolution = ma.fields.String(metadata={"description": "raw, hour or day"})
    points = ma.fields.List(ma.fields.Dict())


class InterfaceSeriesSchema(ma.Schema):
    """An interface's rates (bps, averages and maxima) and error/discard counts per interval."""

    interface_id = ma.fields.Integer()
    resolution = ma.fields.String(metadata={"description": "raw, hour or day"})
    points = ma.fields.List(ma.fields.Dict())


@blp.route("/devices/<int:device_id>/telemetry")
class DeviceTelemetry(MethodView):
    """A device's telemetry."""

    @blp.arguments(DeviceTelemetryArgsSchema, location="query")
    @blp.response(200, DeviceSeriesSchema)
    @errors(blp, 404, 422)
    def get(self, args, device_id):
        """Uptime, CPU, memory and reachability samples between `since` and `until`."""
        device = inventory.get_device(path_id(device_id), current_scope())
        start, end = telemetry.parse_window(args.get("since"), args.get("until"))
        return telemetry.device_series(device.id, args.get("metric"), start, end)


@blp.route("/interfaces/<int:interface_id>/telemetry")
class InterfaceTelemetry(MethodView):
    """An interface's telemetry."""

    @blp.arguments(TelemetryArgsSchema, location="query")
    @blp.response(200, InterfaceSeriesSchema)
    @errors(blp, 404, 422)
    def get(self, args, interface_id):
        """In/out rates in bits per second, errors and discards between `since` and `until`."""
        iface = inventory.get_interface(path_id(interface_id), current_scope())
        start, end = telemetry.parse_window(args.get("since"), args.get("until"))
        return telemetry.interface_series(iface.id, start, end)
