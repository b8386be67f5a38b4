"""REST: organizations (/api/v1/organizations)."""
from flask.views import MethodView

from zas.blueprints.access import client_ip, current_scope
from zas.blueprints.apikit import actor, api_blueprint, errors, path_id, set_total
from zas.blueprints.organizations.schemas import (OrganizationCreateSchema, OrganizationQueryArgsSchema,
                                                  OrganizationSchema, OrganizationUpdateSchema)
from zas.extensions import db
from zas.services import inventory

blp = api_blueprint("organizations", __name__, "organizations", "Organizations: the tenants everything belongs to")


@blp.route("")
class Organizations(MethodView):
    """List visible organizations; create one (global admins)."""

    @blp.arguments(OrganizationQueryArgsSchema, location="query")
    @blp.response(200, OrganizationSchema(many=True))
    @blp.paginate(page_size=50, max_page_size=1000)
    @errors(blp, 422)
    def get(self, args, pagination_parameters):
        """Organizations the caller belongs to (every one for a global admin)."""
        page = inventory.list_organizations(current_scope(), args.get("q"), page=pagination_parameters.page,
                                            page_size=pagination_parameters.page_size)
        return set_total(pagination_parameters, page)

    @blp.arguments(OrganizationCreateSchema)
    @blp.response(201, OrganizationSchema)
    @errors(blp, 403, 422)
    def post(self, data):
        """Create an organization."""
        org = inventory.create_organization(current_scope(), data, actor=actor(), ip=client_ip())
        db.session.commit()
        return org


@blp.route("/<int:org_id>")
class OrganizationById(MethodView):
    """One organization."""

    @blp.response(200, OrganizationSchema)
    @errors(blp, 404)
    def get(self, org_id):
        """Read an organization."""
        return inventory.get_organization(path_id(org_id), current_scope())

    @blp.arguments(OrganizationUpdateSchema)
    @blp.response(200, OrganizationSchema)
    @errors(blp, 403, 404, 422)
    def patch(self, data, org_id):
        """Rename or describe an organization (its admins)."""
        org = inventory.get_organization(path_id(org_id), current_scope())
        inventory.update_organization(current_scope(), org, data, actor=actor(), ip=client_ip())
        db.session.commit()
        return org

    @blp.response(204)
    @errors(blp, 403, 404)
    def delete(self, org_id):
        """Delete an organization and all it holds (global admins)."""
        org = inventory.get_organization(path_id(org_id), current_scope())
        inventory.delete_organization(current_scope(), org, actor=actor(), ip=client_ip())
        db.session.commit()
