"""REST: /api/v1/reports/<name>?format=json|csv|xlsx|pdf, streamed and scoped to the caller."""
from __future__ import annotations

from flask.views import MethodView
from flask_login import login_required
from flask_smorest import Blueprint

from zas.blueprints.access import current_scope
from zas.blueprints.reports.responses import report_response
from zas.blueprints.reports.schemas import ReportQueryArgsSchema
from zas.extensions import csrf
from zas.services import reports

blp = Blueprint("reports_api", __name__, url_prefix="/api/v1/reports",
                description="Reports: " + ", ".join(reports.REPORTS) + " as JSON, CSV, XLSX or PDF")
csrf.exempt(blp)


@blp.route("/<string:name>")
class ReportByName(MethodView):
    """One report, in the requested format."""

    decorators = [login_required]

    @blp.arguments(ReportQueryArgsSchema, location="query", as_kwargs=True)
    @blp.doc(responses={"200": {"description": "the report (JSON object, or a CSV/XLSX/PDF download)"},
                        "404": {"description": "unknown report, or an organization the caller cannot see"},
                        "422": {"description": "an invalid filter or format; `errors` names it"}})
    def get(self, name, format="json", **params):
        """Render a report for the caller's organizations (a viewer may read every report)."""
        report = reports.build(name, params, current_scope())
        return report_response(report, reports.check_format(format))
