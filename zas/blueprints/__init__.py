"""HTTP only: each domain package has `views.py` (pages, a Blueprint named `bp`) and, where
scripts need it, `api.py` (REST, a flask-smorest Blueprint named `blp` under /api/v1).

Domains are discovered, so adding one needs no edit here.
"""
from __future__ import annotations

import importlib
import importlib.util
import pkgutil

from flask import Flask

# registered first: the error handlers and the login loader every other blueprint relies on
CORE = ("auth", "core")


def register_blueprints(app: Flask) -> None:
    from zas.blueprints import errors
    from zas.blueprints.auth.loader import init_login
    from zas.extensions import api

    init_login(app)
    errors.init_app(app)
    names = sorted(m.name for m in pkgutil.iter_modules(__path__) if m.ispkg)
    for name in [n for n in CORE if n in names] + [n for n in names if n not in CORE]:
        for module_name, attr in (("views", "bp"), ("api", "blp")):
            spec = importlib.util.find_spec(f"zas.blueprints.{name}.{module_name}")
            if spec is None:
                continue
            module = importlib.import_module(f"zas.blueprints.{name}.{module_name}")
            blueprint = getattr(module, attr, None)
            if blueprint is None:
                continue
            if module_name == "api":
                api.register_blueprint(blueprint)
            else:
                app.register_blueprint(blueprint)
