"""REST: the audit log (/api/v1/audit), read-only, for admins."""
from flask.views import MethodView

from zas.blueprints.access import current_scope
from zas.blueprints.apikit import api_blueprint, errors, set_total
from zas.blueprints.audit.schemas import AuditEventSchema, AuditQueryArgsSchema
from zas.services import audit

blp = api_blueprint("audit", __name__, "audit", "The audit log (admins; append-only)")


@blp.route("")
class AuditEvents(MethodView):
    """Read the audit log."""

    @blp.arguments(AuditQueryArgsSchema, location="query")
    @blp.response(200, AuditEventSchema(many=True))
    @blp.paginate(page_size=50, max_page_size=1000)
    @errors(blp, 403, 422)
    def get(self, args, pagination_parameters):
        """Events newest first: every one for a global admin, an organization's for its admins."""
        page = audit.list_audit(current_scope(), args, pagination_parameters.page, pagination_parameters.page_size)
        return set_total(pagination_parameters, page)
