"""Schedule pages: the recurring jobs of each organization (nightly backup, SNMP poll, ...)."""
from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from zas.blueprints.access import client_ip, current_scope, require_any
from zas.blueprints.ui import int_arg, optional_int, org_choices, save_form
from zas.services import schedules

bp = Blueprint("schedules", __name__, url_prefix="/schedules")

CRON_HELP = "minute hour day month weekday, in UTC — for example 0 2 * * * (02:00 daily), */5 * * * *"


class ScheduleForm(FlaskForm):
    """A recurring job: what to run, when, on which devices."""

    organization_id = SelectField("Organization", coerce=optional_int, validators=[DataRequired()])
    name = StringField("Name", validators=[DataRequired(), Length(max=128)])
    kind = SelectField("Job", choices=[(k, k) for k in schedules.JOB_KINDS])
    cron = StringField("When (cron)", validators=[DataRequired(), Length(max=64)], description=CRON_HELP)
    tag = StringField("Only devices tagged", validators=[Length(max=64)],
                      description="empty: every device of the organization")
    enabled = BooleanField("Enabled", default=True)


def _crumbs():
    return [("Admin", url_for("core.admin")), ("Schedules", url_for("schedules.index"))]


def _data(form_data: dict) -> dict:
    tag = (form_data.pop("tag", "") or "").strip()
    form_data["target_filter"] = {"tag": tag} if tag else {}
    return form_data


@bp.get("")
@login_required
def index():
    """Schedules of the user's organizations."""
    scope = current_scope()
    page = schedules.list_schedules(scope, {}, page=int_arg(request.args, "page", 1, 1) or 1)
    return render_template(
        "_list_page.html", title="Schedules", page=page,
        columns=[("Name", lambda s: s.name), ("Organization", lambda s: s.organization_id),
                 ("Job", lambda s: s.kind), ("When (cron, UTC)", lambda s: s.cron),
                 ("Targets", lambda s: ", ".join(f"{k}={v}" for k, v in (s.target_filter or {}).items()) or "all"),
                 ("Enabled", lambda s: "yes" if s.enabled else "no"),
                 ("Next run", lambda s: s.next_run_at.strftime("%Y-%m-%d %H:%M") if s.next_run_at else "")],
        new_url=url_for(".new") if scope.has_any("admin") else None, new_label="New schedule",
        edit_endpoint=".edit", id_arg="schedule_id",
        can_edit=lambda s: s.kind != "report" and scope.can(s.organization_id, "admin"))


@bp.route("/new", methods=["GET", "POST"])
@login_required
@require_any("admin")
def new():
    """Create a recurring job."""
    scope = current_scope()
    form = ScheduleForm()
    form.organization_id.choices = org_choices("admin")
    return save_form(form, lambda data: schedules.create_schedule(scope, _data(data), actor=current_user,
                                                                   ip=client_ip()),
                     title="New schedule", crumbs=_crumbs(), cancel_url=url_for(".index"),
                     success="Schedule created.", redirect_to=lambda s: url_for(".index"))


@bp.route("/<int:schedule_id>/edit", methods=["GET", "POST"])
@login_required
def edit(schedule_id: int):
    """Change when a schedule runs, its targets, or switch it off."""
    scope = current_scope()
    schedule = schedules.get_schedule(scope, schedule_id)
    scope.require(schedule.organization_id, "admin", "schedule")
    form = ScheduleForm(obj=schedule)
    if request.method == "GET":
        form.tag.data = (schedule.target_filter or {}).get("tag", "")
    form.organization_id.choices = [(schedule.organization_id, schedule.organization_id)]
    form.kind.choices = [(schedule.kind, schedule.kind)]

    def save(data):
        data = _data(data)
        for fixed in ("organization_id", "kind"):
            data.pop(fixed, None)
        return schedules.update_schedule(scope, schedule, data, actor=current_user, ip=client_ip())

    return save_form(form, save, title=f"Edit {schedule.name}", crumbs=_crumbs(), cancel_url=url_for(".index"),
                     success="Schedule saved.", redirect_to=lambda s: url_for(".index"))
