"""User pages (admins): list, create with a first membership, add memberships."""
from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from zas.blueprints.access import client_ip, current_scope, require_any
from zas.blueprints.ui import int_arg, optional_int, org_choices, save_form
from zas.models.users import ROLES
from zas.services import accounts

bp = Blueprint("users", __name__, url_prefix="/users")


class UserForm(FlaskForm):
    """A new user and their role in one organization."""

    username = StringField("Username", validators=[DataRequired(), Length(max=64)])
    password = PasswordField("Password", validators=[DataRequired()], render_kw={"autocomplete": "new-password"})
    organization_id = SelectField("Organization", coerce=optional_int)
    role = SelectField("Role", choices=[(r, r) for r in ROLES])
    is_global_admin = BooleanField("Global admin (sees and manages every organization)")


class MembershipForm(FlaskForm):
    """A role for an existing user in one more organization."""

    user_id = HiddenField()
    organization_id = SelectField("Organization", coerce=optional_int, validators=[DataRequired()])
    role = SelectField("Role", choices=[(r, r) for r in ROLES])


def _crumbs():
    return [("Admin", url_for("core.admin")), ("Users", url_for("users.index"))]


@bp.get("")
@login_required
@require_any("admin")
def index():
    """Users of the organizations the caller administers."""
    page = accounts.list_users(current_scope(), request.args.get("q"), page=int_arg(request.args, "page", 1, 1) or 1)

    def roles(user):
        return ", ".join(f"{m.organization.name}: {m.role}" for m in user.memberships) or "—"

    return render_template("_list_page.html", title="Users", page=page,
                           columns=[("Username", lambda u: u.username), ("Roles", roles),
                                    ("Global admin", lambda u: "yes" if u.is_global_admin else ""),
                                    ("Active", lambda u: "yes" if u.is_active else "no")],
                           new_url=url_for(".new"), new_label="New user", edit_endpoint=".add_membership",
                           id_arg="user_id", can_edit=lambda u: True)


@bp.route("/new", methods=["GET", "POST"])
@login_required
@require_any("admin")
def new():
    """Create a user with a role in one organization (or a global admin)."""
    scope = current_scope()
    form = UserForm()
    form.organization_id.choices = org_choices("admin", blank="—" if scope.global_admin else None)
    if not scope.global_admin:
        del form.is_global_admin

    def save(data):
        if data.get("organization_id") is None:
            data.pop("organization_id", None)
            data.pop("role", None)
        return accounts.add_user(scope, data, actor=current_user, ip=client_ip())

    return save_form(form, save, title="New user", crumbs=_crumbs(), cancel_url=url_for(".index"),
                     success="User created.", redirect_to=lambda u: url_for(".index"))


@bp.route("/<int:user_id>/memberships", methods=["GET", "POST"])
@login_required
@require_any("admin")
def add_membership(user_id: int):
    """Give a user a role in another organization."""
    scope = current_scope()
    user = accounts.get_user(user_id, scope)
    form = MembershipForm(user_id=user.id)
    form.organization_id.choices = org_choices("admin")

    def save(data):
        data["user_id"] = user.id
        return accounts.add_membership(scope, data, actor=current_user, ip=client_ip())

    return save_form(form, save, title=f"Add a role for {user.username}", crumbs=_crumbs(),
                     cancel_url=url_for(".index"), success="Role added.", redirect_to=lambda m: url_for(".index"))
