"""Endpoint search page: where is this MAC or IP?"""
from __future__ import annotations

from flask import Blueprint, request
from flask_login import login_required

from zas.blueprints.access import current_scope
from zas.blueprints.ui import render_page_or_fragment
from zas.errors import ValidationError
from zas.services import endpoints

bp = Blueprint("endpoints", __name__, url_prefix="/endpoints")


@bp.get("/")
@bp.get("/search")
@login_required
def search():
    """Search endpoints by MAC (any spelling or OUI prefix), IP or prefix, hostname or vendor."""
    q = (request.args.get("q") or "").strip()
    results, error = [], None
    if q:
        try:
            results = endpoints.search(q, current_scope().org_ids())
        except ValidationError as exc:
            error = exc
    history = {e.id: endpoints.moves(e.id, limit=10) for e in results[:20]}
    return render_page_or_fragment("endpoints/search.html", "endpoints/_results.html", status=422 if error else 200,
                                   q=q, results=results, history=history, error=error)
