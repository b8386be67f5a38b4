"""ZAS: network device management and automation."""
from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

from zas import config
from zas.extensions import api, csrf, db, login_manager, migrate, vault

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: settings, extensions, blueprints, CLI. Touches no database and no network."""
    app = Flask(__name__, instance_relative_config=True)
    if test_config and test_config.get("INSTANCE_PATH"):
        app.instance_path = test_config["INSTANCE_PATH"]
    configure_settings(app, test_config)
    configure_logging(app)
    configure_extensions(app)
    configure_blueprints(app)
    configure_cli(app)
    return app


def configure_settings(app: Flask, overrides: dict | None) -> None:
    config.load_settings(app, overrides)
    vault.configure(app.config["CREDENTIALS_KEY"])


def configure_logging(app: Flask) -> None:
    from zas import logs

    logs.install()


def configure_extensions(app: Flask) -> None:
    from zas import models  # noqa: F401  (register the tables before Migrate looks)

    app.config.setdefault("API_TITLE", "ZAS")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    app.config.setdefault("OPENAPI_URL_PREFIX", "/api/v1")
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    app.config.setdefault("OPENAPI_SWAGGER_UI_PATH", "/docs")
    app.config.setdefault("OPENAPI_SWAGGER_UI_URL", "/static/vendor/swagger-ui/")
    db.init_app(app)
    app.extensions["zas_pid"] = os.getpid()  # a forked worker compares to drop inherited connections
    migrate.init_app(app, db, directory=str(MIGRATIONS), render_as_batch=True, compare_type=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    api.init_app(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        with app.app_context():
            _sqlite_pragmas(db.engine)


def _sqlite_pragmas(engine) -> None:
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        # let SQLAlchemy, not pysqlite, decide where transactions begin (SAVEPOINTs need it)
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA journal_mode=WAL")  # the in-process job threads write while pages read
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql("BEGIN")


def configure_blueprints(app: Flask) -> None:
    from zas.blueprints import register_blueprints

    register_blueprints(app)


def configure_cli(app: Flask) -> None:
    from zas.cli import register_commands

    register_commands(app)
