"""SNMP profile pages (admins): v2c community or v3 user; keys write-only."""
from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import IntegerField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from zas.blueprints.access import client_ip, current_scope, require_any
from zas.blueprints.ui import int_arg, optional_int, org_choices, save_form
from zas.models import SnmpProfile
from zas.models.credentials import SNMP_AUTH_PROTOCOLS, SNMP_PRIV_PROTOCOLS
from zas.services import profiles

bp = Blueprint("snmp_profiles", __name__, url_prefix="/snmp-profiles")

SECRETS = ("community", "auth_key", "priv_key")
KEEP = "Leave blank to keep the current value."


class SnmpProfileForm(FlaskForm):
    """SNMP access settings; the community and v3 keys are write-only."""

    organization_id = SelectField("Organization", coerce=optional_int, validators=[DataRequired()])
    name = StringField("Name", validators=[DataRequired(), Length(max=128)])
    priority = IntegerField("Priority (lower is tried first)", default=100, validators=[Optional(), NumberRange(0, 10000)])
    version = SelectField("Version", choices=[("2c", "v2c"), ("3", "v3")])
    community = PasswordField("Community (v2c)", render_kw={"autocomplete": "new-password"})
    username = StringField("User (v3)", validators=[Length(max=128)])
    auth_protocol = SelectField("Auth protocol (v3)", choices=[("", "none")] + [(p, p) for p in SNMP_AUTH_PROTOCOLS],
                                validate_choice=False)
    auth_key = PasswordField("Auth key (v3)", render_kw={"autocomplete": "new-password"})
    priv_protocol = SelectField("Privacy protocol (v3)", choices=[("", "none")] + [(p, p) for p in SNMP_PRIV_PROTOCOLS],
                                validate_choice=False)
    priv_key = PasswordField("Privacy key (v3)", render_kw={"autocomplete": "new-password"})


def _clean(data: dict, creating: bool) -> dict:
    out = {}
    for key, value in data.items():
        if key in SECRETS and not (isinstance(value, str) and value):
            continue  # blank: keep (or leave unset)
        if key in ("username", "auth_protocol", "priv_protocol") and value == "":
            value = None
        if key == "priority" and value is None:
            continue
        if key == "organization_id" and not creating:
            continue
        out[key] = value
    return out


def _crumbs():
    return [("Admin", url_for("core.admin")), ("SNMP profiles", url_for("snmp_profiles.index"))]


@bp.get("")
@login_required
@require_any("admin")
def index():
    """SNMP profiles, in the order they are tried."""
    scope = current_scope()
    page = profiles.list_profiles(SnmpProfile, scope, {}, page=int_arg(request.args, "page", 1, 1) or 1)
    return render_template("_list_page.html", title="SNMP profiles", page=page,
                           columns=[("Name", lambda p: p.name), ("Organization", lambda p: p.organization.name),
                                    ("Version", lambda p: p.version), ("Priority", lambda p: p.priority),
                                    ("Security", lambda p: p.security_level or "community")],
                           new_url=url_for(".new"), new_label="New SNMP profile", edit_endpoint=".edit",
                           id_arg="profile_id", can_edit=lambda p: scope.can(p.organization_id, "admin"))


@bp.route("/new", methods=["GET", "POST"])
@login_required
@require_any("admin")
def new():
    """Create an SNMP profile."""
    scope = current_scope()
    form = SnmpProfileForm()
    form.organization_id.choices = org_choices("admin")
    return save_form(form, lambda data: profiles.create_snmp_profile(scope, _clean(data, True), actor=current_user,
                                                                     ip=client_ip()),
                     title="New SNMP profile", crumbs=_crumbs(), cancel_url=url_for(".index"),
                     success="SNMP profile created.", redirect_to=lambda p: url_for(".index"))


@bp.route("/<int:profile_id>/edit", methods=["GET", "POST"])
@login_required
def edit(profile_id: int):
    """Edit an SNMP profile; blank key fields keep the stored keys."""
    scope = current_scope()
    prof = profiles.get_snmp_profile(profile_id, scope, "admin")
    form = SnmpProfileForm(obj=prof)
    form.organization_id.choices = [(prof.organization_id, prof.organization.name)]
    if not form.is_submitted():
        for name in SECRETS:
            getattr(form, name).data = ""
    return save_form(form, lambda data: profiles.update_snmp_profile(scope, prof, _clean(data, False),
                                                                     actor=current_user, ip=client_ip()),
                     title=f"Edit {prof.name}", crumbs=_crumbs(), cancel_url=url_for(".index"),
                     success="SNMP profile saved.", redirect_to=lambda p: url_for(".index"),
                     help={name: KEEP for name in SECRETS})
