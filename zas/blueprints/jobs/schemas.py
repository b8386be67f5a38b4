"""Job schemas: submission, summary, detail with per-device results and log."""
import marshmallow as ma

from zas.blueprints.apikit import Id, QueryArgsSchema, StrictSchema
from zas.models.jobs import JOB_KINDS, JOB_STATUSES


class JobCreateSchema(StrictSchema):
    """A job request: a kind, its targets (ids or a device filter) and parameters."""

    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(JOB_KINDS))
    device_ids = ma.fields.List(Id(), validate=ma.validate.Length(min=1, max=100000))
    filter = ma.fields.Dict(keys=ma.fields.String(), metadata={
        "description": "a device filter: organization_id, site_id, platform, tag, status, software_version, q"})
    params = ma.fields.Dict(keys=ma.fields.String(), load_default=dict)


class JobAcceptedSchema(ma.Schema):
    """A queued job."""

    id = ma.fields.Integer()
    status = ma.fields.String()


class ProgressSchema(ma.Schema):
    """How many devices have an outcome."""

    done = ma.fields.Integer()
    total = ma.fields.Integer()


class JobSchema(ma.Schema):
    """A job's summary."""

    id = ma.fields.Integer()
    kind = ma.fields.String()
    organization_id = ma.fields.Integer()
    params = ma.fields.Dict()
    status = ma.fields.String()
    progress = ma.fields.Function(lambda j: {"done": j.done, "total": j.total}, metadata={
        "description": "{done, total}"})
    failed = ma.fields.Integer()
    requested_by_name = ma.fields.String(allow_none=True)
    created_at = ma.fields.DateTime()
    started_at = ma.fields.DateTime(allow_none=True)
    finished_at = ma.fields.DateTime(allow_none=True)


class JobResultSchema(ma.Schema):
    """What the job did on one device."""

    device_id = ma.fields.Integer(allow_none=True)
    device_name = ma.fields.String()
    status = ma.fields.String()
    changed = ma.fields.Boolean()
    output = ma.fields.String(allow_none=True)
    diff = ma.fields.String(allow_none=True)
    error_class = ma.fields.String(allow_none=True)
    error = ma.fields.String(allow_none=True)
    started_at = ma.fields.DateTime(allow_none=True)
    finished_at = ma.fields.DateTime(allow_none=True)
    duration_ms = ma.fields.Integer(allow_none=True)


class JobLogSchema(ma.Schema):
    """One log line."""

    at = ma.fields.DateTime()
    level = ma.fields.String()
    device_id = ma.fields.Integer(allow_none=True)
    message = ma.fields.String()


class JobDetailSchema(JobSchema):
    """A job with its per-device results and log."""

    results = ma.fields.List(ma.fields.Nested(JobResultSchema))
    log = ma.fields.List(ma.fields.Nested(JobLogSchema))


class JobQueryArgsSchema(QueryArgsSchema):
    """Job list filters."""

    organization_id = Id()
    kind = ma.fields.String(validate=ma.validate.OneOf(JOB_KINDS))
    status = ma.fields.String(validate=ma.validate.OneOf(JOB_STATUSES))
