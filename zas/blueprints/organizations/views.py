"""Organization pages: list, create (global admins), edit (their admins)."""
from __future__ import annotations

from flask import Blueprint, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from zas.blueprints.access import client_ip, current_scope
from zas.blueprints.ui import int_arg, save_form
from zas.errors import PermissionDenied
from zas.services import inventory

bp = Blueprint("organizations", __name__, url_prefix="/organizations")


class OrganizationForm(FlaskForm):
    """An organization's name and description."""

    name = StringField("Name", validators=[DataRequired(), Length(max=128)])
    description = TextAreaField("Description", validators=[Length(max=2000)])


@bp.get("")
@login_required
def index():
    """Organizations the user belongs to."""
    from flask import render_template

    scope = current_scope()
    page = inventory.list_organizations(scope, request.args.get("q"), page=int_arg(request.args, "page", 1, 1) or 1)
    return render_template("_list_page.html", title="Organizations", page=page,
                           columns=[("Name", lambda o: o.name), ("Description", lambda o: o.description or "")],
                           new_url=url_for(".new") if scope.global_admin else None, new_label="New organization",
                           edit_endpoint=".edit", id_arg="org_id", can_edit=lambda o: scope.can(o.id, "admin"))


CRUMBS = lambda: [("Admin", url_for("core.admin")), ("Organizations", url_for("organizations.index"))]  # noqa: E731


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """Create an organization (global admins)."""
    scope = current_scope()
    if not scope.global_admin:
        raise PermissionDenied("only a global admin creates organizations")
    form = OrganizationForm()
    return save_form(form, lambda data: inventory.create_organization(scope, data, actor=current_user, ip=client_ip()),
                     title="New organization", crumbs=CRUMBS(), cancel_url=url_for(".index"),
                     success="Organization created.", redirect_to=lambda o: url_for(".index"))


@bp.route("/<int:org_id>/edit", methods=["GET", "POST"])
@login_required
def edit(org_id: int):
    """Rename or describe an organization (its admins)."""
    scope = current_scope()
    org = inventory.get_organization(org_id, scope, "admin")
    form = OrganizationForm(obj=org)
    return save_form(form, lambda data: inventory.update_organization(scope, org, data, actor=current_user,
                                                                      ip=client_ip()),
                     title=f"Edit {org.name}", crumbs=CRUMBS(), cancel_url=url_for(".index"),
                     success="Organization saved.", redirect_to=lambda o: url_for(".index"))
