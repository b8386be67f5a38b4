"""sites pages (stub)."""
from flask import Blueprint
from flask_login import login_required

bp = Blueprint("sites", __name__, url_prefix="/sites".replace("_", "-"))


@bp.get("")
@login_required
def index():
    """List."""
    return "stub"
