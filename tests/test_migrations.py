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


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("mariadb", marks=pytest.mark.mariadb)])
def test_0006_carries_the_last_counters_over_and_back(kind, tmp_path, mariadb_server):
    """Upgrading packs each device's per-interface counters into one row (the next poll still has
    its rates); downgrading unpacks them."""
    from datetime import datetime

    from sqlalchemy import text

    app, url = _fresh_app(kind, tmp_path, mariadb_server)
    ts = datetime(2026, 11, 26, 3, 0, 0)
    big = 2**64 - 5 if kind == "mariadb" else 2**62  # SQLite's INTEGER is signed 64-bit; the JSON holds any
    try:
        with app.app_context():
            upgrade(revision="0005_telemetry_covering_index")
            with db.engine.begin() as conn:
                conn.execute(text("INSERT INTO organizations (id, name, created_at) VALUES (1, 'o', :ts)"), {"ts": ts})
                conn.execute(text("INSERT INTO devices (id, organization_id, name, host, port, platform, snmp_port, status, "
                                  "created_at, updated_at) VALUES (1, 1, 'sw1', '127.0.0.1', 22, 'cisco_ios', 161, 'up', "
                                  ":ts, :ts)"),
                             {"ts": ts})
                for i, name in ((10, "Gi0/1"), (11, "Gi0/2")):
                    conn.execute(text("INSERT INTO interfaces (id, device_id, name, ip_addresses, updated_at) "
                                      "VALUES (:i, 1, :n, '[]', :ts)"), {"i": i, "n": name, "ts": ts})
                conn.execute(text("INSERT INTO interface_counters VALUES (10, :ts, 500, 64, :big, 7, 1, 2, 3, 4), "
                                  "(11, :ts, 500, 32, 5, 6, NULL, NULL, NULL, NULL)"), {"ts": ts, "big": big})
            upgrade()
            with db.engine.connect() as conn:
                row = conn.execute(text("SELECT device_id, sys_uptime, counters FROM device_poll_state")).one()
            import json
            assert row.device_id == 1 and row.sys_uptime == 500
            assert json.loads(row.counters) == [[10, 64, big, 7, 1, 2, 3, 4], [11, 32, 5, 6, None, None, None, None]]
            downgrade(revision="0005_telemetry_covering_index")
            with db.engine.connect() as conn:
                rows = conn.execute(text("SELECT interface_id, bits, in_octets, out_octets, in_errors, out_discards "
                                         "FROM interface_counters ORDER BY interface_id")).all()
            assert [tuple(int(v) if v is not None else None for v in r) for r in rows] == \
                [(10, 64, big, 7, 1, 4), (11, 32, 5, 6, None, None)]
            db.engine.dispose()
    finally:
        if url:
            mariadb_server.drop(url)
