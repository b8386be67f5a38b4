"""The Reports page: each report on screen (sortable table, chart), its downloads, stored files
and, for admins, report schedules and the target software versions."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from zas.blueprints.access import client_ip, current_scope
from zas.blueprints.apikit import path_id
from zas.blueprints.reports.responses import report_response, stored_response
from zas.blueprints.reports.schemas import load_args
from zas.blueprints.ui import optional_int, render_page_or_fragment, wants_fragment
from zas.errors import Conflict, ValidationError
from zas.extensions import db
from zas.models import Organization
from zas.services import authz, render, reports, software_targets
from zas.services.platforms import supported_platforms
from zas.services.reports import stored

bp = Blueprint("reports", __name__)


def _organizations(min_role: str = "viewer"):
    query = authz.visible(select(Organization), Organization.id, current_scope(), min_role)
    return list(db.session.scalars(query.order_by(Organization.name)))


@bp.get("/reports")
@login_required
def index():
    """The list of reports, stored report files and report schedules."""
    scope = current_scope()
    can_schedule = scope.has_any("admin")
    return render_template(
        "reports/index.html", titles=reports.titles(), formats=reports.FORMATS[1:],
        file_formats=stored.FILE_FORMATS, frequencies=list(stored.FREQUENCIES),
        stored=stored.stored_reports(scope), can_schedule=can_schedule,
        schedules=stored.schedules(scope) if can_schedule else [],
        admin_orgs=_organizations("admin") if can_schedule else [])


@bp.get("/reports/<name>")
@login_required
def show(name):
    """One report on screen: title block, summary, chart and the first rows in a sortable table."""
    args = load_args(request.args)
    args.pop("format", None)
    report = reports.build(name, args, current_scope())
    context = render.html_context(report, render.PAGE_MAX_ROWS)
    query = {k: v for k, v in request.args.items() if k in ("organization_id", "site_id", "platform", "tag",
                                                            "since", "until", "top") and v}
    template = "reports/_report.html" if wants_fragment() else "reports/report.html"
    return render_template(template, formats=reports.FORMATS[1:], query=query,
                           organizations=_organizations(), **context)


@bp.get("/reports/<name>/download/<fmt>")
@login_required
def download(name, fmt):
    """The report as a CSV, XLSX, PDF or JSON download, streamed."""
    fmt = reports.check_format(fmt)
    args = load_args(request.args)
    args.pop("format", None)
    return report_response(reports.build(name, args, current_scope()), fmt)


@bp.get("/reports/stored/<int:stored_id>")
@login_required
def stored_download(stored_id):
    """A stored (scheduled) report file."""
    return stored_response(stored.get_stored(current_scope(), stored_id))


@bp.post("/reports/schedules")
@login_required
def create_schedule():
    """Schedule a report (admins of the chosen organization)."""
    form = request.form
    try:
        schedule = stored.create_schedule(
            current_scope(), name=form.get("name", ""), organization_id=form.get("organization_id"),
            report=form.get("report", ""), fmt=form.get("format", ""), frequency=form.get("frequency", ""),
            filters={k: form.get(k) for k in ("platform", "tag")}, actor=current_user)
    except ValidationError as exc:
        db.session.rollback()
        flash(f"Not scheduled: {exc}", "error")
        return redirect(url_for("reports.index"), 303)
    db.session.commit()
    flash(f"Scheduled {schedule.name!r} ({schedule.params['frequency']}).", "info")
    return redirect(url_for("reports.index"), 303)


@bp.post("/reports/schedules/<int:schedule_id>/delete")
@login_required
def delete_schedule(schedule_id):
    """Delete a report schedule (its stored files stay)."""
    stored.delete_schedule(current_scope(), schedule_id, actor=current_user)
    db.session.commit()
    flash("Schedule deleted.", "info")
    return redirect(url_for("reports.index"), 303)


@bp.get("/reports/software-targets")
@login_required
def software_targets_page():
    """Target software versions per organization; its admins add, change and delete them."""
    return _targets_response()


@bp.post("/reports/software-targets")
@login_required
def create_software_target():
    """Add a target version (admins of the chosen organization)."""
    form = request.form
    try:
        org_id = optional_int(form.get("organization_id"))
    except ValueError:
        org_id = None
    data = {"organization_id": org_id, **{k: form.get(k, "") for k in software_targets.EDITABLE}}
    return _targets_write(lambda: software_targets.create_target(current_scope(), data, actor=current_user,
                                                                 ip=client_ip()), "Target added.", form)


@bp.post("/reports/software-targets/<int:target_id>")
@login_required
def update_software_target(target_id):
    """Change a target's platform, model or version (admins of its organization)."""
    target = software_targets.get_target(current_scope(), path_id(target_id))
    data = {k: request.form[k] for k in software_targets.EDITABLE if k in request.form}
    return _targets_write(lambda: software_targets.update_target(current_scope(), target, data, actor=current_user,
                                                                 ip=client_ip()), "Target saved.")


@bp.post("/reports/software-targets/<int:target_id>/delete")
@login_required
def delete_software_target(target_id):
    """Delete a target version (admins of its organization)."""
    target = software_targets.get_target(current_scope(), path_id(target_id))
    return _targets_write(lambda: software_targets.delete_target(current_scope(), target, actor=current_user,
                                                                 ip=client_ip()), "Target deleted.")


def _targets_write(action, success: str, form=None):
    """Run a service write and commit; a bad value or a duplicate shows its message beside the table
    (422 for a plain form post; 200 for htmx, which swaps only successful answers)."""
    try:
        action()
    except (ValidationError, Conflict) as exc:
        # nothing to roll back: the service checks everything before it writes
        return _targets_response(error=str(exc), form=form, status=200 if wants_fragment() else 422)
    db.session.commit()
    if wants_fragment():
        return _targets_response(message=success)
    flash(success, "info")
    return redirect(url_for("reports.software_targets_page"), 303)


def _targets_response(*, message=None, error=None, form=None, status: int = 200):
    scope = current_scope()
    orgs = _organizations()
    targets = software_targets.list_targets(scope, {}, page=1, page_size=10_000).items
    by_org = {o.id: [] for o in orgs}
    for target in targets:
        by_org.setdefault(target.organization_id, []).append(target)
    admin_orgs = [o for o in orgs if scope.can(o.id, "admin")]
    return render_page_or_fragment(
        "reports/software_targets.html", "reports/_software_targets.html", status=status,
        groups=[(o, by_org[o.id]) for o in orgs], admin_ids={o.id for o in admin_orgs}, admin_orgs=admin_orgs,
        platforms=sorted(supported_platforms()) if admin_orgs else [],
        models=software_targets.known_models({o.id for o in admin_orgs}) if admin_orgs else [],
        message=message, error=error,
        form=form or {})
