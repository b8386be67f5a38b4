"""Pages that belong to no single domain: the home page and health check."""
from __future__ import annotations

from flask import Blueprint, jsonify, render_template
from flask_login import login_required
from sqlalchemy import text

from zas.extensions import db

bp = Blueprint("core", __name__)


@bp.get("/")
@login_required
def home():
    """Landing page after login."""
    return render_template("core/home.html")


@bp.get("/healthz")
def healthz():
    """Liveness for the load balancer: the database answers."""
    db.session.execute(text("SELECT 1"))
    return jsonify(status="ok")
