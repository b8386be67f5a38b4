"""REST: inventory export (/api/v1/exports/devices, /api/v1/exports/interfaces) as CSV or XLSX."""
from flask import Response
from flask.views import MethodView

from zas.blueprints.access import current_scope
from zas.blueprints.apikit import api_blueprint, errors
from zas.blueprints.exports.schemas import DeviceExportArgsSchema, InterfaceExportArgsSchema
from zas.services import exports

blp = api_blueprint("exports", __name__, "exports", "Inventory export as CSV or XLSX (imports back unchanged)")

FILE_CONTENT = {"text/csv": {"schema": {"type": "string"}},
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":
                    {"schema": {"type": "string", "format": "binary"}}}


def _file(body: bytes, fmt: str, stem: str) -> Response:
    resp = Response(body, mimetype=exports.FORMATS[fmt].split(";")[0])
    resp.headers["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    resp.headers["X-Content-Type-Options"] = "nosniff"
    return resp


@blp.route("/devices")
class DeviceExport(MethodView):
    """Export devices."""

    @blp.arguments(DeviceExportArgsSchema, location="query")
    @blp.response(200, description="the file", content_type="text/csv")
    @blp.doc(responses={"200": {"description": "the file", "content": FILE_CONTENT}})
    @errors(blp, 422)
    def get(self, args):
        """The caller's devices matching the filters, in the import's columns."""
        fmt = args.pop("format")
        args.pop("sort", None)
        return _file(exports.export_devices(args, current_scope().org_ids(), fmt), fmt, "devices")


@blp.route("/interfaces")
class InterfaceExport(MethodView):
    """Export interfaces."""

    @blp.arguments(InterfaceExportArgsSchema, location="query")
    @blp.response(200, description="the file", content_type="text/csv")
    @blp.doc(responses={"200": {"description": "the file", "content": FILE_CONTENT}})
    @errors(blp, 422)
    def get(self, args):
        """The caller's interfaces, in the import's columns."""
        fmt = args.pop("format")
        return _file(exports.export_interfaces(args, current_scope().org_ids(), fmt), fmt, "interfaces")
