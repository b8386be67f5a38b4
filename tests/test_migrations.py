"""The migrations build the schema the models describe, up and down, on SQLite and on MariaDB."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from tests.conftest import make_test_app
from zas.extensions import db


def _fresh_app(kind, tmp_path, mariadb_server):
    if kind == "sqlite":
        return make_test_app(f"sqlite:///{tmp_path / 'm.db'}", tmp_path), None
    url = mariadb_server.create("zas_mig")
    return make_test_app(url, tmp_path), url


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("mariadb", marks=pytest.mark.mariadb)])
def test_upgrade_downgrade_upgrade_and_models_match(kind, tmp_path, mariadb_server):
    app, url = _fresh_app(kind, tmp_path, mariadb_server)
    try:
        with app.app_context():
            upgrade()
            tables = set(inspect(db.engine).get_table_names())
            assert {"devices", "interfaces", "endpoints", "users", "memberships", "audit_events"} <= tables
            with db.engine.connect() as conn:
                diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": False}), db.metadata)
            assert diff == [], f"models and migrations disagree: {diff}"
            downgrade(revision="base")
            assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
            upgrade()
            assert "devices" in inspect(db.engine).get_table_names()
            if kind == "mariadb":
                with db.engine.connect() as conn:
                    charset = conn.exec_driver_sql(
                        "SELECT CCSA.character_set_name FROM information_schema.`TABLES` T "
                        "JOIN information_schema.`COLLATION_CHARACTER_SET_APPLICABILITY` CCSA "
                        "ON CCSA.collation_name = T.table_collation "
                        "WHERE T.table_schema = DATABASE() AND T.table_name = 'devices'").scalar()
                assert charset == "utf8mb4"
            db.engine.dispose()
    finally:
        if url:
            mariadb_server.drop(url)
