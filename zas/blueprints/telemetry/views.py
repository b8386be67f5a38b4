"""The /telemetry dashboard: devices down, busiest interfaces, recent reboots."""
from __future__ import annotations

from flask import Blueprint
from flask_login import login_required

from zas.blueprints.access import current_scope
from zas.blueprints.ui import render_page_or_fragment
from zas.services import telemetry

bp = Blueprint("telemetry", __name__, url_prefix="/telemetry")


@bp.get("")
@login_required
def dashboard():
    """Telemetry dashboard (the fragment refreshes itself every minute)."""
    data = telemetry.dashboard(current_scope().org_ids())
    return render_page_or_fragment("telemetry/dashboard.html", "telemetry/_dashboard.html", data=data)
