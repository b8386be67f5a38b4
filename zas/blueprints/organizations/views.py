"""organizations pages (stub)."""
from flask import Blueprint
from flask_login import login_required

bp = Blueprint("organizations", __name__, url_prefix="/organizations".replace("_", "-"))


@bp.get("")
@login_required
def index():
    """List."""
    return "stub"
