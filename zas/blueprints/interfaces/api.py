"""REST: interfaces across devices (/api/v1/interfaces)."""
from flask.views import MethodView

from zas.blueprints.access import client_ip, current_scope
from zas.blueprints.apikit import actor, api_blueprint, errors, path_id, set_total
from zas.blueprints.interfaces.schemas import InterfaceQueryArgsSchema, InterfaceSchema, InterfaceUpdateSchema
from zas.extensions import db
from zas.services import inventory

blp = api_blueprint("interfaces", __name__, "interfaces", "Interfaces of every visible device")


@blp.route("")
class Interfaces(MethodView):
    """List interfaces."""

    @blp.arguments(InterfaceQueryArgsSchema, location="query")
    @blp.response(200, InterfaceSchema(many=True))
    @blp.paginate(page_size=100, max_page_size=5000)
    @errors(blp, 422)
    def get(self, args, pagination_parameters):
        """Interfaces of the caller's devices (add them under `/devices/<id>/interfaces`)."""
        page = inventory.list_interfaces(args, current_scope().org_ids(), page=pagination_parameters.page,
                                         page_size=pagination_parameters.page_size)
        return set_total(pagination_parameters, page)


@blp.route("/<int:interface_id>")
class InterfaceById(MethodView):
    """One interface."""

    @blp.response(200, InterfaceSchema)
    @errors(blp, 404)
    def get(self, interface_id):
        """Read an interface."""
        return inventory.get_interface(path_id(interface_id), current_scope())

    @blp.arguments(InterfaceUpdateSchema)
    @blp.response(200, InterfaceSchema)
    @errors(blp, 403, 404, 422)
    def patch(self, data, interface_id):
        """Edit an interface (operators)."""
        iface = inventory.get_interface(path_id(interface_id), current_scope())
        inventory.update_interface(current_scope(), iface, data, actor=actor(), ip=client_ip())
        db.session.commit()
        return iface

    @blp.response(204)
    @errors(blp, 403, 404)
    def delete(self, interface_id):
        """Delete an interface (operators)."""
        iface = inventory.get_interface(path_id(interface_id), current_scope())
        inventory.delete_interface(current_scope(), iface, actor=actor(), ip=client_ip())
        db.session.commit()
