"""User pages (admins): list, create with a first membership, add memberships."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
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


class UserEditForm(FlaskForm):
    """A user's password (blank: unchanged), whether they may sign in, and global-admin rights."""

    password = PasswordField("New password", render_kw={"autocomplete": "new-password"},
                             description="leave blank to keep the current password")
    is_active = BooleanField("Active (may sign in)")
    is_global_admin = BooleanField("Global admin (sees and manages every organization)")


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
                           new_url=url_for(".new"), new_label="New user", edit_endpoint=".edit",
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


@bp.route("/<int:user_id>/edit", methods=["GET", "POST"])
@login_required
@require_any("admin")
def edit(user_id: int):
    """Change a user's password, active flag or global-admin rights, and their roles."""
    scope = current_scope()
    user = accounts.get_user(user_id, scope)
    form = UserEditForm(is_active=user.is_active, is_global_admin=user.is_global_admin)
    if not scope.global_admin:
        del form.is_global_admin

    def save(data):
        changes = {key: value for key, value in data.items()
                   if key != "password" and value != getattr(user, "is_active" if key == "is_active" else key)}
        if data.get("password"):
            changes["password"] = data["password"]
        return accounts.update_user(scope, user, changes, actor=current_user, ip=client_ip())

    memberships = [m for m in user.memberships if scope.can(m.organization_id, "admin")]
    return save_form(form, save, title=f"Edit {user.username}", crumbs=_crumbs(), cancel_url=url_for(".index"),
                     success="User saved.", redirect_to=lambda u: url_for(".edit", user_id=u.id),
                     template="users/edit.html", user=user, memberships=memberships, roles=ROLES)


@bp.post("/<int:user_id>/memberships/<int:membership_id>")
@login_required
@require_any("admin")
def change_role(user_id: int, membership_id: int):
    """Change a user's role in one organization."""
    from zas.errors import NotFound, ValidationError
    from zas.extensions import db

    scope = current_scope()
    membership = accounts.get_membership(membership_id, scope)
    if membership.user_id != user_id:
        raise NotFound(f"membership {membership_id} not found")
    try:
        accounts.update_membership(scope, membership, {"role": request.form.get("role", "")}, actor=current_user,
                                   ip=client_ip())
    except ValidationError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(f"Role in {membership.organization.name} is now {membership.role}.", "success")
    return redirect(url_for(".edit", user_id=user_id))


@bp.post("/<int:user_id>/memberships/<int:membership_id>/remove")
@login_required
@require_any("admin")
def remove_role(user_id: int, membership_id: int):
    """Take a user's role in one organization away."""
    from zas.errors import NotFound
    from zas.extensions import db

    scope = current_scope()
    membership = accounts.get_membership(membership_id, scope)
    if membership.user_id != user_id:
        raise NotFound(f"membership {membership_id} not found")
    name = membership.organization.name
    accounts.remove_membership(scope, membership, actor=current_user, ip=client_ip())
    db.session.commit()
    flash(f"Role in {name} removed.", "success")
    return redirect(url_for(".edit", user_id=user_id))
