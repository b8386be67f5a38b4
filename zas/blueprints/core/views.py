"""Pages that belong to no single domain: the home page, the admin index, the health check."""
from __future__ import annotations

from flask import Blueprint, g, jsonify, render_template
from flask_login import current_user, login_required
from sqlalchemy import func, select, text

from zas.blueprints.access import current_scope
from zas.extensions import db
from zas.models import AutomationJob, Device, Organization
from zas.services.authz import visible

bp = Blueprint("core", __name__)

# blueprints whose pages live under the Admin menu
ADMIN_SECTIONS = ("core", "organizations", "sites", "credentials", "snmp_profiles", "users", "imports", "audit")


@bp.before_app_request
def _fresh_scope():
    # `g` lives in the app context, which tests (and CLI-driven requests) share across requests
    g.pop("zas_scope", None)


@bp.app_context_processor
def ui_context():
    """Helpers every template may call; each runs its query only when a template asks."""

    def nav_organizations():
        if not current_user.is_authenticated:
            return []
        return list(db.session.scalars(visible(select(Organization), Organization.id, current_scope())
                                       .order_by(Organization.name)))

    def role_summary():
        scope = current_scope()
        if scope.global_admin:
            return "global admin"
        roles = sorted(set(scope.roles.values()))
        return ", ".join(roles) if roles else "no organization"

    from zas.blueprints.ui import diff_line_class

    return {"scope": current_scope, "diff_line_class": diff_line_class, "nav_organizations": nav_organizations, "role_summary": role_summary,
            "admin_sections": ADMIN_SECTIONS}


@bp.app_template_filter("human_bps")
def human_bps(value) -> str:
    """1250000 -> '1.25 Mb/s': rates and speeds read at a glance."""
    if value is None:
        return "—"
    value = float(value)
    for unit in ("b/s", "kb/s", "Mb/s", "Gb/s", "Tb/s"):
        if abs(value) < 1000 or unit == "Tb/s":
            return f"{value:.3g} {unit}"
        value /= 1000
    return f"{value:.3g} Tb/s"


@bp.app_template_filter("when")
def when(value) -> str:
    """A stored UTC time as 'YYYY-MM-DD HH:MM UTC', or 'never'."""
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "never"


@bp.get("/")
@login_required
def home():
    """Landing page after login: what there is and where to start."""
    scope = current_scope()
    devices = visible(select(func.count()).select_from(Device), Device.organization_id, scope)
    drifted = devices.where(Device.drift_status == "drifted")
    unreachable = devices.where(Device.status.in_(("down", "unreachable")))
    jobs = visible(select(AutomationJob), AutomationJob.organization_id, scope)
    recent = list(db.session.scalars(jobs.order_by(AutomationJob.id.desc()).limit(8)))
    return render_template("core/home.html", device_count=db.session.scalar(devices),
                           drifted_count=db.session.scalar(drifted), down_count=db.session.scalar(unreachable),
                           recent_jobs=recent)


@bp.get("/admin")
@login_required
def admin():
    """Index of the administration pages this user may use."""
    return render_template("core/admin.html")


@bp.get("/healthz")
def healthz():
    """Liveness for the load balancer: the database answers."""
    db.session.execute(text("SELECT 1"))
    return jsonify(status="ok")
