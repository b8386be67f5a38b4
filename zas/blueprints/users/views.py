"""users pages (stub)."""
from flask import Blueprint
from flask_login import login_required

bp = Blueprint("users", __name__, url_prefix="/users".replace("_", "-"))


@bp.get("")
@login_required
def index():
    """List."""
    return "stub"
