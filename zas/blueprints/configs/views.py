"""Configs page: the newest configuration versions across devices, and the devices that drifted."""
from __future__ import annotations

from flask import Blueprint, request
from flask_login import login_required

from zas.blueprints.access import current_scope
from zas.blueprints.ui import int_arg, render_page_or_fragment
from zas.errors import ValidationError
from zas.services import ui_support

bp = Blueprint("configs", __name__, url_prefix="/configs")


@bp.get("")
@login_required
def index():
    """Recent configuration versions (newest first) and drifted devices."""
    org_ids = current_scope().org_ids()
    try:
        page_no = int_arg(request.args, "page", 1, minimum=1)
    except ValidationError:
        page_no = 1
    return render_page_or_fragment("configs/index.html", "configs/_versions.html",
                                   page=ui_support.recent_versions(org_ids, page_no),
                                   drifted=ui_support.drifted_devices(org_ids))
