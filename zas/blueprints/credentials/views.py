"""Credential profile pages (admins): secrets can be set or replaced, never read back."""
from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from zas.blueprints.access import client_ip, current_scope, require_any
from zas.blueprints.ui import int_arg, optional_int, org_choices, save_form
from zas.models import CredentialProfile
from zas.services import profiles

bp = Blueprint("credentials", __name__, url_prefix="/credentials")

SECRETS = ("password", "enable_secret", "private_key")
KEEP = "Leave blank to keep the current value."


class CredentialForm(FlaskForm):
    """SSH login: username, password and/or key, enable secret (write-only)."""

    organization_id = SelectField("Organization", coerce=optional_int, validators=[DataRequired()])
    name = StringField("Name", validators=[DataRequired(), Length(max=128)])
    username = StringField("Username", validators=[DataRequired(), Length(max=128)])
    password = PasswordField("Password", render_kw={"autocomplete": "new-password"})
    enable_secret = PasswordField("Enable secret", render_kw={"autocomplete": "new-password"})
    private_key = TextAreaField("Private key (PEM)", render_kw={"rows": 4, "autocomplete": "off"})


def _crumbs():
    return [("Admin", url_for("core.admin")), ("Credential profiles", url_for("credentials.index"))]


@bp.get("")
@login_required
@require_any("admin")
def index():
    """Credential profiles of the organizations the user administers (never their secrets)."""
    scope = current_scope()
    page = profiles.list_profiles(CredentialProfile, scope, {}, page=int_arg(request.args, "page", 1, 1) or 1)
    return render_template("_list_page.html", title="Credential profiles", page=page,
                           columns=[("Name", lambda c: c.name), ("Organization", lambda c: c.organization.name),
                                    ("Username", lambda c: c.username),
                                    ("Secrets set", lambda c: ", ".join(s for s in SECRETS if getattr(c, s)) or "none")],
                           new_url=url_for(".new"), new_label="New credential profile", edit_endpoint=".edit",
                           id_arg="profile_id", can_edit=lambda c: scope.can(c.organization_id, "admin"))


@bp.route("/new", methods=["GET", "POST"])
@login_required
@require_any("admin")
def new():
    """Create a credential profile."""
    scope = current_scope()
    form = CredentialForm()
    form.organization_id.choices = org_choices("admin")

    def save(data):
        data = {k: v for k, v in data.items() if k not in SECRETS or (isinstance(v, str) and v)}
        return profiles.create_credential(scope, data, actor=current_user, ip=client_ip())

    return save_form(form, save, title="New credential profile", crumbs=_crumbs(), cancel_url=url_for(".index"),
                     success="Credential profile created.", redirect_to=lambda c: url_for(".index"))


@bp.route("/<int:profile_id>/edit", methods=["GET", "POST"])
@login_required
def edit(profile_id: int):
    """Edit a credential profile; blank secret fields keep the stored secret."""
    scope = current_scope()
    cred = profiles.get_credential(profile_id, scope, "admin")
    form = CredentialForm(obj=cred)
    form.organization_id.choices = [(cred.organization_id, cred.organization.name)]
    if not form.is_submitted():
        for name in SECRETS:
            getattr(form, name).data = ""  # write-only: the stored value never reaches the page

    def save(data):
        data = {k: v for k, v in data.items() if (k not in SECRETS or (isinstance(v, str) and v)) and k != "organization_id"}
        return profiles.update_credential(scope, cred, data, actor=current_user, ip=client_ip())

    return save_form(form, save, title=f"Edit {cred.name}", crumbs=_crumbs(), cancel_url=url_for(".index"),
                     success="Credential profile saved.", redirect_to=lambda c: url_for(".index"),
                     help={name: KEEP for name in SECRETS})
