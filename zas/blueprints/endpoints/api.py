"""REST: end hosts (/api/v1/endpoints)."""
from flask.views import MethodView

from zas.blueprints.access import current_scope
from zas.blueprints.apikit import api_blueprint, errors, path_id, set_total
from zas.blueprints.endpoints.schemas import EndpointQueryArgsSchema, EndpointSchema
from zas.models import Endpoint
from zas.services import inventory

blp = api_blueprint("endpoints", __name__, "endpoints", "End hosts seen behind devices")


@blp.route("")
class Endpoints(MethodView):
    """List endpoints."""

    @blp.arguments(EndpointQueryArgsSchema, location="query")
    @blp.response(200, EndpointSchema(many=True))
    @blp.paginate(page_size=100, max_page_size=5000)
    @errors(blp, 422)
    def get(self, args, pagination_parameters):
        """End hosts of the caller's organizations, most recently seen first."""
        page = inventory.list_endpoints(args, current_scope().org_ids(), page=pagination_parameters.page,
                                        page_size=pagination_parameters.page_size)
        return set_total(pagination_parameters, page)


@blp.route("/<int:endpoint_id>")
class EndpointById(MethodView):
    """One endpoint."""

    @blp.response(200, EndpointSchema)
    @errors(blp, 404)
    def get(self, endpoint_id):
        """Read an endpoint."""
        return inventory.get_scoped(Endpoint, path_id(endpoint_id), current_scope(), "endpoint")
