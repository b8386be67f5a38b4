"""REST: inventory import (/api/v1/imports/devices, /api/v1/imports/interfaces) from CSV or XLSX."""
from flask import current_app, request
from flask.views import MethodView

from zas.blueprints.access import client_ip, current_scope
from zas.blueprints.apikit import actor, api_blueprint, errors
from zas.blueprints.imports.schemas import ImportArgsSchema, ImportReportSchema, UploadSchema
from zas.extensions import db
from zas.services import imports

blp = api_blueprint("imports", __name__, "imports", "Inventory import from CSV or XLSX (dry run, all or nothing)")


def _upload() -> tuple[bytes, str | None]:
    """The file from a multipart `file` field, or the raw body."""
    upload = request.files.get("file")
    if upload is not None:
        return upload.read(), upload.filename
    return request.get_data(), None


def _run(importer, args):
    data, filename = _upload()
    report = importer(current_scope(), data, filename=filename, dry_run=args["dry_run"],
                      max_rows=int(current_app.config["IMPORT_MAX_ROWS"]), actor=actor(), ip=client_ip())
    if args["dry_run"]:
        db.session.rollback()
    else:
        db.session.commit()
    return report.as_dict()


@blp.route("/devices")
class DeviceImport(MethodView):
    """Import devices."""

    @blp.arguments(ImportArgsSchema, location="query")
    @blp.arguments(UploadSchema, location="files")
    @blp.response(200, ImportReportSchema)
    @errors(blp, 403, 413, 422)
    def post(self, args, _files):
        """Create or update devices by organization and name; `dry_run=1` only reports (operators)."""
        return _run(imports.import_devices, args)


@blp.route("/interfaces")
class InterfaceImport(MethodView):
    """Import interfaces."""

    @blp.arguments(ImportArgsSchema, location="query")
    @blp.arguments(UploadSchema, location="files")
    @blp.response(200, ImportReportSchema)
    @errors(blp, 403, 413, 422)
    def post(self, args, _files):
        """Create or update interfaces by organization, device and name; `dry_run=1` only reports (operators)."""
        return _run(imports.import_interfaces, args)
