"""snmp_profiles pages (stub)."""
from flask import Blueprint
from flask_login import login_required

bp = Blueprint("snmp_profiles", __name__, url_prefix="/snmp_profiles".replace("_", "-"))


@bp.get("")
@login_required
def index():
    """List."""
    return "stub"
