"""REST: sites (/api/v1/sites)."""
from flask.views import MethodView

from zas.blueprints.access import client_ip, current_scope
from zas.blueprints.apikit import actor, api_blueprint, errors, path_id, set_total
from zas.blueprints.sites.schemas import SiteCreateSchema, SiteQueryArgsSchema, SiteSchema, SiteUpdateSchema
from zas.extensions import db
from zas.models import Site
from zas.services import inventory

blp = api_blueprint("sites", __name__, "sites", "Sites: where devices live")


@blp.route("")
class Sites(MethodView):
    """List and add sites."""

    @blp.arguments(SiteQueryArgsSchema, location="query")
    @blp.response(200, SiteSchema(many=True))
    @blp.paginate(page_size=50, max_page_size=1000)
    @errors(blp, 422)
    def get(self, args, pagination_parameters):
        """Sites of the caller's organizations."""
        page = inventory.list_sites(current_scope(), args, page=pagination_parameters.page,
                                    page_size=pagination_parameters.page_size)
        return set_total(pagination_parameters, page)

    @blp.arguments(SiteCreateSchema)
    @blp.response(201, SiteSchema)
    @errors(blp, 403, 422)
    def post(self, data):
        """Add a site (operators)."""
        site = inventory.create_site(current_scope(), data, actor=actor(), ip=client_ip())
        db.session.commit()
        return site


@blp.route("/<int:site_id>")
class SiteById(MethodView):
    """One site."""

    @blp.response(200, SiteSchema)
    @errors(blp, 404)
    def get(self, site_id):
        """Read a site."""
        return inventory.get_scoped(Site, path_id(site_id), current_scope(), "site")

    @blp.arguments(SiteUpdateSchema)
    @blp.response(200, SiteSchema)
    @errors(blp, 403, 404, 422)
    def patch(self, data, site_id):
        """Edit a site (operators)."""
        site = inventory.get_scoped(Site, path_id(site_id), current_scope(), "site")
        inventory.update_site(current_scope(), site, data, actor=actor(), ip=client_ip())
        db.session.commit()
        return site

    @blp.response(204)
    @errors(blp, 403, 404)
    def delete(self, site_id):
        """Delete a site; its devices stay (operators)."""
        site = inventory.get_scoped(Site, path_id(site_id), current_scope(), "site")
        inventory.delete_site(current_scope(), site, actor=actor(), ip=client_ip())
        db.session.commit()
