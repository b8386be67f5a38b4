"""Device import page: upload a CSV/XLSX, see the dry-run preview table, then confirm."""
from __future__ import annotations

import re
import secrets
from pathlib import Path

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField

from zas.blueprints.access import client_ip, current_scope, require_any
from zas.errors import ValidationError
from zas.extensions import db
from zas.services import imports

bp = Blueprint("imports", __name__, url_prefix="/imports")

TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


class ImportForm(FlaskForm):
    """The file to import."""

    file = FileField("CSV or XLSX file", render_kw={"accept": ".csv,.xlsx,text/csv"})


def _staging(token: str) -> Path:
    # the previewed file waits here for the confirmation; the user id in the name keeps it theirs
    folder = Path(current_app.instance_path) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{current_user.id}-{token}.upload"


@bp.route("/devices", methods=["GET", "POST"])
@login_required
@require_any("operator")
def devices():
    """Upload → dry-run preview (nothing written) → confirm (everything or nothing)."""
    form = ImportForm()
    scope = current_scope()
    max_rows = int(current_app.config.get("IMPORT_MAX_ROWS", 100_000))
    context = {"form": form, "columns": imports.DEVICE_COLUMNS, "required": imports.REQUIRED["devices"]}
    if not form.is_submitted():
        return render_template("imports/devices.html", **context)
    if not form.validate():
        return render_template("imports/devices.html", **context), 422
    token = request.form.get("token", "")
    if token:
        return _confirm(token, request.form.get("filename", ""), scope, max_rows, context)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        form.file.errors = ["choose a CSV or XLSX file"]
        return render_template("imports/devices.html", **context), 422
    data = upload.read()
    try:
        report = imports.import_devices(scope, data, filename=upload.filename, dry_run=True, max_rows=max_rows)
    except ValidationError as exc:
        form.file.errors = [str(exc)]
        return render_template("imports/devices.html", **context), 422
    token = secrets.token_urlsafe(24)
    _staging(token).write_bytes(data)
    return render_template("imports/devices.html", report=report, token=token, filename=upload.filename, **context)


def _confirm(token: str, filename: str, scope, max_rows: int, context):
    if not TOKEN_RE.match(token) or not _staging(token).exists():
        context["form"].file.errors = ["the previewed file has expired; upload it again"]
        return render_template("imports/devices.html", **context), 422
    path = _staging(token)
    try:
        report = imports.import_devices(scope, path.read_bytes(), filename=filename, dry_run=False,
                                        max_rows=max_rows, actor=current_user, ip=client_ip())
    except ValidationError as exc:
        db.session.rollback()
        context["form"].file.errors = [str(exc)]
        return render_template("imports/devices.html", **context), 422
    db.session.commit()
    path.unlink(missing_ok=True)
    flash(f"Imported: {report.count('create')} created, {report.count('update')} updated.", "success")
    return redirect(url_for("devices.index"))
