"""REST: devices (/api/v1/devices), with a device's interfaces and configuration versions."""
from flask.views import MethodView
from sqlalchemy import select

from zas.blueprints.access import client_ip, current_scope
from zas.blueprints.apikit import actor, api_blueprint, errors, page_response, path_id, set_total
from zas.blueprints.configs.schemas import ConfigListArgsSchema, ConfigVersionSchema
from zas.blueprints.devices.schemas import (DeviceCreateSchema, DeviceQueryArgsSchema, DeviceSchema,
                                            DeviceUpdateSchema)
from zas.blueprints.interfaces.schemas import (DeviceInterfaceQueryArgsSchema, InterfaceCreateSchema,
                                               InterfaceSchema)
from zas.extensions import db
from zas.models import ConfigVersion
from zas.services import inventory

LIST_SCHEMA = DeviceSchema()
blp = api_blueprint("devices", __name__, "devices", "Devices: inventory, facts, interfaces, configuration versions")


@blp.route("")
class Devices(MethodView):
    """List and add devices."""

    @blp.arguments(DeviceQueryArgsSchema, location="query")
    @blp.response(200, DeviceSchema(many=True))
    @blp.paginate(page_size=50, max_page_size=1000)
    @errors(blp, 422)
    def get(self, args, pagination_parameters):
        """Devices of the caller's organizations, filtered and sorted (the devices page's query)."""
        sort = args.pop("sort", "name")
        page = inventory.list_devices(args, current_scope().org_ids(), sort=sort, page=pagination_parameters.page,
                                      page_size=pagination_parameters.page_size)
        set_total(pagination_parameters, page)
        # the hot list: serialised without marshmallow's per-field overhead (same JSON, see tests)
        return page_response(LIST_SCHEMA, page)

    @blp.arguments(DeviceCreateSchema)
    @blp.response(201, DeviceSchema)
    @errors(blp, 403, 422)
    def post(self, data):
        """Add a device (operators)."""
        device = inventory.add_device(current_scope(), data, actor=actor(), ip=client_ip())
        db.session.commit()
        return device


@blp.route("/<int:device_id>")
class DeviceById(MethodView):
    """One device."""

    @blp.response(200, DeviceSchema)
    @errors(blp, 404)
    def get(self, device_id):
        """Read a device with its facts."""
        return inventory.get_device(path_id(device_id), current_scope())

    @blp.arguments(DeviceUpdateSchema)
    @blp.response(200, DeviceSchema)
    @errors(blp, 403, 404, 422)
    def patch(self, data, device_id):
        """Edit a device (operators)."""
        device = inventory.get_device(path_id(device_id), current_scope())
        inventory.update_device(current_scope(), device, data, actor=actor(), ip=client_ip())
        db.session.commit()
        return device

    @blp.response(204)
    @errors(blp, 403, 404)
    def delete(self, device_id):
        """Delete a device and its history (operators)."""
        device = inventory.get_device(path_id(device_id), current_scope())
        inventory.delete_device(current_scope(), device, actor=actor(), ip=client_ip())
        db.session.commit()


@blp.route("/<int:device_id>/interfaces")
class DeviceInterfaces(MethodView):
    """A device's interfaces."""

    @blp.arguments(DeviceInterfaceQueryArgsSchema, location="query")
    @blp.response(200, InterfaceSchema(many=True))
    @blp.paginate(page_size=100, max_page_size=5000)
    @errors(blp, 404, 422)
    def get(self, args, device_id, pagination_parameters):
        """The device's interfaces by name."""
        device = inventory.get_device(path_id(device_id), current_scope())
        page = inventory.list_interfaces(dict(args, device_id=device.id), None, page=pagination_parameters.page,
                                         page_size=pagination_parameters.page_size)
        return set_total(pagination_parameters, page)

    @blp.arguments(InterfaceCreateSchema)
    @blp.response(201, InterfaceSchema)
    @errors(blp, 403, 404, 422)
    def post(self, data, device_id):
        """Add an interface to the device (operators)."""
        device = inventory.get_device(path_id(device_id), current_scope())
        iface = inventory.create_interface(current_scope(), device, data, actor=actor(), ip=client_ip())
        db.session.commit()
        return iface


@blp.route("/<int:device_id>/configs")
class DeviceConfigs(MethodView):
    """A device's stored configuration versions."""

    @blp.arguments(ConfigListArgsSchema, location="query")
    @blp.response(200, ConfigVersionSchema(many=True))
    @blp.paginate(page_size=50, max_page_size=1000)
    @errors(blp, 404, 422)
    def get(self, args, device_id, pagination_parameters):
        """Versions newest first (without their text: read `/configs/<id>`)."""
        device = inventory.get_device(path_id(device_id), current_scope())
        query = select(ConfigVersion).where(ConfigVersion.device_id == device.id).order_by(ConfigVersion.id.desc())
        page = inventory.paginate(query, pagination_parameters.page, pagination_parameters.page_size)
        return set_total(pagination_parameters, page)
