"""Site pages: list, create and edit (operators)."""
from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from zas.blueprints.access import client_ip, current_scope, require_any
from zas.blueprints.ui import int_arg, optional_int, org_choices, save_form
from zas.models import Site
from zas.services import inventory

bp = Blueprint("sites", __name__, url_prefix="/sites")


class SiteForm(FlaskForm):
    """A site: its organization, name, address."""

    organization_id = SelectField("Organization", coerce=optional_int, validators=[DataRequired()])
    name = StringField("Name", validators=[DataRequired(), Length(max=128)])
    address = StringField("Address", validators=[Length(max=255)])
    description = TextAreaField("Description", validators=[Length(max=2000)])


def _crumbs():
    return [("Admin", url_for("core.admin")), ("Sites", url_for("sites.index"))]


@bp.get("")
@login_required
def index():
    """Sites of the user's organizations."""
    scope = current_scope()
    page = inventory.list_sites(scope, {}, page=int_arg(request.args, "page", 1, 1) or 1)
    return render_template("_list_page.html", title="Sites", page=page,
                           columns=[("Name", lambda s: s.name), ("Organization", lambda s: s.organization.name),
                                    ("Address", lambda s: s.address or "")],
                           new_url=url_for(".new") if scope.has_any("operator") else None, new_label="New site",
                           edit_endpoint=".edit", id_arg="site_id",
                           can_edit=lambda s: scope.can(s.organization_id, "operator"))


@bp.route("/new", methods=["GET", "POST"])
@login_required
@require_any("operator")
def new():
    """Create a site."""
    scope = current_scope()
    form = SiteForm()
    form.organization_id.choices = org_choices("operator")
    return save_form(form, lambda data: inventory.create_site(scope, data, actor=current_user, ip=client_ip()),
                     title="New site", crumbs=_crumbs(), cancel_url=url_for(".index"), success="Site created.",
                     redirect_to=lambda s: url_for(".index"))


@bp.route("/<int:site_id>/edit", methods=["GET", "POST"])
@login_required
def edit(site_id: int):
    """Edit a site (its organization is fixed)."""
    scope = current_scope()
    site = inventory.get_scoped(Site, site_id, scope, "site", "operator")
    form = SiteForm(obj=site)
    form.organization_id.choices = [(site.organization_id, site.organization.name)]

    def save(data):
        data.pop("organization_id", None)
        return inventory.update_site(scope, site, data, actor=current_user, ip=client_ip())

    return save_form(form, save, title=f"Edit {site.name}", crumbs=_crumbs(), cancel_url=url_for(".index"),
                     success="Site saved.", redirect_to=lambda s: url_for(".index"))
