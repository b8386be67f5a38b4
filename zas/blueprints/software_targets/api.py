"""REST: admin-set target software versions (/api/v1/software-targets)."""
from flask.views import MethodView

from zas.blueprints.access import client_ip, current_scope
from zas.blueprints.apikit import actor, api_blueprint, errors, path_id, set_total
from zas.blueprints.software_targets.schemas import (
    SoftwareTargetCreateSchema, SoftwareTargetQueryArgsSchema, SoftwareTargetSchema, SoftwareTargetUpdateSchema,
)
from zas.extensions import db
from zas.services import software_targets

blp = api_blueprint("software_targets", __name__, "software-targets",
                    "Software targets: the version each platform and model should run (software-versions report)")


@blp.route("")
class SoftwareTargets(MethodView):
    """List and add target versions."""

    @blp.arguments(SoftwareTargetQueryArgsSchema, location="query")
    @blp.response(200, SoftwareTargetSchema(many=True))
    @blp.paginate(page_size=50, max_page_size=1000)
    @errors(blp, 422)
    def get(self, args, pagination_parameters):
        """Targets of the caller's organizations."""
        page = software_targets.list_targets(current_scope(), args, page=pagination_parameters.page,
                                             page_size=pagination_parameters.page_size)
        return set_total(pagination_parameters, page)

    @blp.arguments(SoftwareTargetCreateSchema)
    @blp.response(201, SoftwareTargetSchema)
    @errors(blp, 403, 409, 422)
    def post(self, data):
        """Set the target version of a platform and model (organization admins)."""
        target = software_targets.create_target(current_scope(), data, actor=actor(), ip=client_ip())
        db.session.commit()
        return target


@blp.route("/<int:target_id>")
class SoftwareTargetById(MethodView):
    """One target version."""

    @blp.response(200, SoftwareTargetSchema)
    @errors(blp, 404)
    def get(self, target_id):
        """Read a target."""
        return software_targets.get_target(current_scope(), path_id(target_id))

    @blp.arguments(SoftwareTargetUpdateSchema)
    @blp.response(200, SoftwareTargetSchema)
    @errors(blp, 403, 404, 409, 422)
    def patch(self, data, target_id):
        """Change a target's version, platform or model (organization admins)."""
        target = software_targets.get_target(current_scope(), path_id(target_id))
        software_targets.update_target(current_scope(), target, data, actor=actor(), ip=client_ip())
        db.session.commit()
        return target

    @blp.response(204)
    @errors(blp, 403, 404)
    def delete(self, target_id):
        """Delete a target; the report falls back to the newest running version (organization admins)."""
        target = software_targets.get_target(current_scope(), path_id(target_id))
        software_targets.delete_target(current_scope(), target, actor=actor(), ip=client_ip())
        db.session.commit()
