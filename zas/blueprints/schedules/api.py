"""REST: recurring jobs (/api/v1/schedules)."""
from flask.views import MethodView

from zas.blueprints.access import client_ip, current_scope
from zas.blueprints.apikit import actor, api_blueprint, errors, path_id, set_total
from zas.blueprints.schedules.schemas import (
    ScheduleCreateSchema, ScheduleQueryArgsSchema, ScheduleSchema, ScheduleUpdateSchema,
)
from zas.extensions import db
from zas.services import schedules

blp = api_blueprint("schedules", __name__, "schedules", "Schedules: recurring backups, polls and reports")


@blp.route("")
class Schedules(MethodView):
    """List and add schedules."""

    @blp.arguments(ScheduleQueryArgsSchema, location="query")
    @blp.response(200, ScheduleSchema(many=True))
    @blp.paginate(page_size=50, max_page_size=1000)
    @errors(blp, 422)
    def get(self, args, pagination_parameters):
        """Schedules of the caller's organizations."""
        page = schedules.list_schedules(current_scope(), args, page=pagination_parameters.page,
                                        page_size=pagination_parameters.page_size)
        return set_total(pagination_parameters, page)

    @blp.arguments(ScheduleCreateSchema)
    @blp.response(201, ScheduleSchema)
    @errors(blp, 403, 409, 422)
    def post(self, data):
        """Add a recurring job (organization admins)."""
        schedule = schedules.create_schedule(current_scope(), data, actor=actor(), ip=client_ip())
        db.session.commit()
        return schedule


@blp.route("/<int:schedule_id>")
class ScheduleById(MethodView):
    """One schedule."""

    @blp.response(200, ScheduleSchema)
    @errors(blp, 404)
    def get(self, schedule_id):
        """Read a schedule."""
        return schedules.get_schedule(current_scope(), path_id(schedule_id))

    @blp.arguments(ScheduleUpdateSchema)
    @blp.response(200, ScheduleSchema)
    @errors(blp, 403, 404, 409, 422)
    def patch(self, data, schedule_id):
        """Change cron, targets, parameters, or switch it on and off (organization admins)."""
        schedule = schedules.get_schedule(current_scope(), path_id(schedule_id))
        schedules.update_schedule(current_scope(), schedule, data, actor=actor(), ip=client_ip())
        db.session.commit()
        return schedule

    @blp.response(204)
    @errors(blp, 403, 404)
    def delete(self, schedule_id):
        """Delete a schedule (organization admins)."""
        schedule = schedules.get_schedule(current_scope(), path_id(schedule_id))
        schedules.delete_schedule(current_scope(), schedule, actor=actor(), ip=client_ip())
        db.session.commit()
