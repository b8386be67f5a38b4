"""Job pages: the list, launch dialogs, and a job page whose progress updates itself until the job ends."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from flask_login import current_user, login_required

from zas.blueprints.access import client_ip, current_scope, require_any
from zas.blueprints.jobs.forms import UI_KINDS, JobLaunchForm
from zas.blueprints.ui import int_arg, render_page_or_fragment
from zas.errors import PermissionDenied, ServiceUnavailable, ValidationError
from zas.extensions import db
from zas.jobs import dispatch
from zas.models.jobs import JOB_KINDS, JOB_STATUSES
from zas.services import audit, automation, ui_support

bp = Blueprint("jobs", __name__, url_prefix="/jobs")

FIELD_FOR_ERROR = {"params.commands": "commands", "params.lines": "lines", "params.dry_run": "dry_run",
                   "params.save": "save", "kind": "kind"}
MAX_LISTED = 50


@bp.get("")
@login_required
def index():
    """All jobs the user can see, newest first, filtered by kind and status."""
    filters = {"kind": request.args.get("kind", ""), "status": request.args.get("status", "")}
    error = None
    try:
        page = ui_support.list_jobs(current_scope().org_ids(), filters, int_arg(request.args, "page", 1, 1))
    except ValidationError as exc:
        error, filters = exc, {"kind": "", "status": ""}
        page = ui_support.list_jobs(current_scope().org_ids(), filters, 1)
    params = {k: v for k, v in filters.items() if v}
    return render_page_or_fragment("jobs/index.html", "jobs/_list.html", page=page, filters=filters, params=params,
                                   kinds=JOB_KINDS, statuses=JOB_STATUSES, error=error)


def _selected_ids(source) -> list[int]:
    ids = []
    for raw in source.getlist("device_ids"):
        for part in str(raw).split(","):
            if part.strip().isdigit():
                ids.append(int(part))
    return sorted(set(ids))


def _launch_page(form: JobLaunchForm, device_ids: list[int], error=None, status: int = 200):
    devices = []
    if device_ids:
        try:
            devices = automation.resolve_targets(device_ids, None, current_scope().org_ids("operator"))
        except ValidationError as exc:
            error = error or exc
    return render_page_or_fragment("jobs/new.html", "jobs/_launch.html", status=status, form=form,
                                   devices=devices[:MAX_LISTED], device_count=len(devices),
                                   device_ids=[d.id for d in devices], error=error)


@bp.get("/new")
@login_required
@require_any("operator")
def new():
    """Launch dialog: the chosen kind's parameters for the selected devices."""
    form = JobLaunchForm(formdata=None)
    kind = request.args.get("kind", "backup")
    form.kind.data = kind if kind in dict(UI_KINDS) else "backup"
    if request.args.get("lines"):
        form.lines.data = request.args["lines"]
    return _launch_page(form, _selected_ids(request.args))


@bp.post("")
@login_required
@require_any("operator")
def create():
    """Create the job (one per organization of the selected devices), queue it, show its page."""
    form = JobLaunchForm()
    device_ids = _selected_ids(request.form)
    if not form.validate():
        return _launch_page(form, device_ids, status=422)
    scope = current_scope()
    try:
        if not device_ids:
            raise ValidationError("select at least one device (tick them in the device list)", field="device_ids")
        devices = automation.resolve_targets(device_ids, None, scope.org_ids("operator"))
        params = automation.validate_params(form.kind.data, form.params())
        dispatch.ensure_available()
        by_org: dict[int, list] = {}
        for device in devices:
            by_org.setdefault(device.organization_id, []).append(device)
        jobs = []
        for org_devices in by_org.values():
            job = automation.create_job(form.kind.data, org_devices, params, user=current_user)
            audit.record("job.create", obj=job, actor=current_user, ip=client_ip(),
                         after={"kind": job.kind, "devices": len(org_devices)})
            jobs.append(job)
    except ValidationError as exc:
        db.session.rollback()
        field = FIELD_FOR_ERROR.get(getattr(exc, "field", None) or "")
        if field and hasattr(form, field):
            getattr(form, field).errors = list(getattr(form, field).errors) + [str(exc)]
            return _launch_page(form, device_ids, status=422)
        return _launch_page(form, device_ids, error=exc, status=422)
    except ServiceUnavailable as exc:
        db.session.rollback()
        return _launch_page(form, device_ids, error=exc, status=503)
    db.session.commit()  # the rows exist before any worker looks for them
    for job in jobs:
        dispatch.enqueue_job(job.id)
    if len(jobs) > 1:
        flash(f"The devices belong to {len(jobs)} organizations: one job was started for each "
              f"({', '.join('#' + str(j.id) for j in jobs)}).", "info")
    return redirect(url_for("jobs.detail", job_id=jobs[0].id))


@bp.get("/<int:job_id>")
@login_required
def detail(job_id: int):
    """Job page: progress bar, one row per device, the log; polls itself while the job runs."""
    scope = current_scope()
    job = automation.get_job(job_id, scope.org_ids())
    view = request.args.get("view", "grouped")
    results = ui_support.job_results(job.id)
    groups = ui_support.group_by_output(results) if job.kind == "command" and view == "grouped" else None
    return render_page_or_fragment(
        "jobs/detail.html", "jobs/_progress.html", job=job, results=results, groups=groups, view=view,
        log=ui_support.job_log(job.id), counts=ui_support.job_result_counts(job.id),
        can_operate=scope.can(job.organization_id, "operator"))


@bp.post("/<int:job_id>/cancel")
@login_required
def cancel(job_id: int):
    """Cancel what has not started yet."""
    scope = current_scope()
    job = automation.get_job(job_id, scope.org_ids())
    if not scope.can(job.organization_id, "operator"):
        raise PermissionDenied("cancelling a job needs the operator role")
    count = automation.cancel(job, actor_name=current_user.username)
    audit.record("job.cancel", obj=job, actor=current_user, ip=client_ip(), detail={"cancelled": count})
    db.session.commit()
    flash(f"Cancel requested: {count} device(s) had not started and were cancelled.", "info")
    return redirect(url_for("jobs.detail", job_id=job.id))
