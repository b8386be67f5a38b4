"""Schedule schemas: out, in, query string."""
import marshmallow as ma

from zas.blueprints.apikit import Id, QueryArgsSchema, Str, StrictSchema


class ScheduleSchema(ma.Schema):
    """A recurring job as the API shows it."""

    id = ma.fields.Integer(dump_only=True)
    organization_id = ma.fields.Integer()
    name = ma.fields.String()
    kind = ma.fields.String()
    cron = ma.fields.String(metadata={"description": "minute hour day month weekday, UTC"})
    enabled = ma.fields.Boolean()
    params = ma.fields.Dict()
    target_filter = ma.fields.Dict(metadata={"description": "device filter; empty: every device"})
    next_run_at = ma.fields.DateTime(dump_only=True)
    last_run_at = ma.fields.DateTime(dump_only=True)
    last_job_id = ma.fields.Integer(dump_only=True, allow_none=True)


class ScheduleCreateSchema(StrictSchema):
    """A new recurring job."""

    organization_id = Id(required=True)
    name = Str(required=True, max_length=128)
    kind = Str(required=True, max_length=16, metadata={"description": "backup, poll, discover or command"})
    cron = Str(required=True, max_length=64)
    enabled = ma.fields.Boolean()
    params = ma.fields.Dict()
    target_filter = ma.fields.Dict()


class ScheduleUpdateSchema(StrictSchema):
    """Changes to a schedule (its organization and kind are fixed)."""

    name = Str(max_length=128)
    cron = Str(max_length=64)
    enabled = ma.fields.Boolean()
    params = ma.fields.Dict()
    target_filter = ma.fields.Dict()


class ScheduleQueryArgsSchema(QueryArgsSchema):
    """Schedule list filters."""

    organization_id = Id()
    kind = Str(max_length=16)
    enabled = ma.fields.Boolean()
