"""Import stub."""
from flask import Blueprint
from flask_login import login_required

bp = Blueprint("imports", __name__, url_prefix="/imports")


@bp.get("/devices")
@login_required
def devices():
    """Import."""
    return "stub"
