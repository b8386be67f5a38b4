"""Audit log page: who did what, for the organizations the viewer administers."""
from __future__ import annotations

from flask import Blueprint, request
from flask_login import login_required
from sqlalchemy import select

from zas.blueprints.access import current_scope, require_any
from zas.blueprints.ui import int_arg, render_page_or_fragment
from zas.errors import ValidationError
from zas.models import AuditEvent
from zas.services.authz import visible
from zas.services.inventory import paginate

bp = Blueprint("audit", __name__, url_prefix="/audit")


@bp.get("")
@login_required
@require_any("admin")
def index():
    """Audit events, newest first, filtered by action prefix and actor."""
    action = (request.args.get("action") or "").strip()[:64]
    actor = (request.args.get("actor") or "").strip()[:64]
    try:
        page_no = int_arg(request.args, "page", 1, minimum=1)
    except ValidationError:
        page_no = 1
    query = visible(select(AuditEvent), AuditEvent.organization_id, current_scope(), "admin")
    if action:
        query = query.where(AuditEvent.action.startswith(action))
    if actor:
        query = query.where(AuditEvent.actor_name == actor)
    page = paginate(query.order_by(AuditEvent.id.desc()), page_no, 50)
    params = {k: v for k, v in {"action": action, "actor": actor}.items() if v}
    return render_page_or_fragment("audit/index.html", "audit/_events.html", page=page, action=action, actor=actor,
                                   params=params)
