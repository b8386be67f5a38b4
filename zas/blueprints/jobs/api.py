"""REST: automation jobs (/api/v1/jobs): submit, list, follow, cancel."""
from flask.views import MethodView
from sqlalchemy import select

from zas.blueprints.access import client_ip, current_scope
from zas.blueprints.apikit import actor, api_blueprint, errors, path_id, set_total
from zas.blueprints.jobs.schemas import (JobAcceptedSchema, JobCreateSchema, JobDetailSchema, JobQueryArgsSchema,
                                         JobSchema)
from zas.errors import PermissionDenied
from zas.extensions import db
from zas.jobs import dispatch
from zas.models import AutomationJob, JobLog
from zas.services import audit, automation, inventory
from zas.services.authz import visible

blp = api_blueprint("jobs", __name__, "jobs", "Automation jobs: backups, commands, configuration, polls")


@blp.route("")
class Jobs(MethodView):
    """List and submit jobs."""

    @blp.arguments(JobQueryArgsSchema, location="query")
    @blp.response(200, JobSchema(many=True))
    @blp.paginate(page_size=50, max_page_size=1000)
    @errors(blp, 422)
    def get(self, args, pagination_parameters):
        """Jobs of the caller's organizations, newest first."""
        query = visible(select(AutomationJob), AutomationJob.organization_id, current_scope())
        for key in ("organization_id", "kind", "status"):
            if args.get(key) is not None:
                query = query.where(getattr(AutomationJob, key) == args[key])
        page = inventory.paginate(query.order_by(AutomationJob.id.desc()), pagination_parameters.page,
                                  pagination_parameters.page_size)
        return set_total(pagination_parameters, page)

    @blp.arguments(JobCreateSchema)
    @blp.response(202, JobAcceptedSchema)
    @errors(blp, 403, 422, 503)
    def post(self, data):
        """Queue a job over `device_ids` or the devices a `filter` matches (operators)."""
        scope = current_scope()
        if not scope.has_any("operator"):
            raise PermissionDenied("running jobs needs the operator role" if not scope.read_only
                                   else "this API token is read-only")
        automation.validate_params(data["kind"], data.get("params"))
        dispatch.ensure_available()  # before any row: Redis down means 503 and no job
        devices = automation.resolve_targets(data.get("device_ids"), data.get("filter"), scope.org_ids("operator"))
        job = automation.create_job(data["kind"], devices, data.get("params"), user=actor())
        audit.record("job.launch", obj=job, actor=actor(), ip=client_ip(),
                     detail={"kind": job.kind, "devices": len(devices)})
        credential_ids = sorted({d.credential_id for d in devices if d.credential_id})
        if credential_ids and job.kind != "poll":
            audit.record("credential.use", obj=job, actor=actor(), ip=client_ip(),
                         detail={"credential_ids": credential_ids, "job_id": job.id})
        db.session.commit()
        dispatch.enqueue_job(job.id)
        return {"id": job.id, "status": job.status}


@blp.route("/<int:job_id>")
class JobById(MethodView):
    """One job."""

    @blp.response(200, JobDetailSchema)
    @errors(blp, 404)
    def get(self, job_id):
        """The job's status, progress, per-device results and log."""
        job = automation.get_job(path_id(job_id), current_scope().org_ids())
        # not a relationship: the log is only ever wanted here, in order
        job.log = list(db.session.scalars(select(JobLog).where(JobLog.job_id == job.id).order_by(JobLog.id)))
        return job


@blp.route("/<int:job_id>/cancel")
class JobCancel(MethodView):
    """Cancel a job."""

    @blp.response(200, JobSchema)
    @errors(blp, 403, 404)
    def post(self, job_id):
        """Stop what has not started (operators); running devices finish. Idempotent."""
        scope = current_scope()
        job = automation.get_job(path_id(job_id), scope.org_ids())
        scope.require(job.organization_id, "operator", "job")
        cancelled = automation.cancel(job, actor_name=scope.username)
        audit.record("job.cancel", obj=job, actor=actor(), ip=client_ip(), detail={"cancelled": cancelled})
        db.session.commit()
        return job
