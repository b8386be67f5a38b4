"""credentials pages (stub)."""
from flask import Blueprint
from flask_login import login_required

bp = Blueprint("credentials", __name__, url_prefix="/credentials".replace("_", "-"))


@bp.get("")
@login_required
def index():
    """List."""
    return "stub"
