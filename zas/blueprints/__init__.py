"""HTTP only: each domain has `views.py` (pages) and, where scripts need it, `api.py` (REST)."""
from __future__ import annotations

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from zas.blueprints import errors
    from zas.blueprints.auth import views as auth_views
    from zas.blueprints.core import views as core_views
    from zas.blueprints.auth.loader import init_login

    init_login(app)
    errors.init_app(app)
    app.register_blueprint(auth_views.bp)
    app.register_blueprint(core_views.bp)
