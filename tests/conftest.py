"""Test fixtures: a real database (MariaDB by default, SQLite with ZAS_TEST_DB=sqlite) built by the
Alembic migrations, one outer transaction per test rolled back at the end, and small factories.

ZAS_TEST_MARIADB_URL (default mysql+pymysql://root@127.0.0.1:3306) names the server; each test
process creates and drops its own database, so `pytest -n` workers never share one.
"""
from __future__ import annotations

import os
import uuid

import pymysql
import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.orm import scoped_session, sessionmaker

from zas import create_app
from zas.extensions import db

pytest_plugins = ["tests.factories", "tests.ui.plugin", "zas.lab.pytest_plugin"]


def _allowed_addresses() -> set[str]:
    """Loopback, plus the test database and Redis hosts (service containers on GitHub)."""
    import socket

    allowed = set()
    for env in ("ZAS_TEST_MARIADB_URL", "ZAS_TEST_REDIS_URL"):
        host = make_url(os.environ[env]).host if env in os.environ and "://" in os.environ[env] else None
        if host:
            try:
                allowed |= {info[4][0] for info in socket.getaddrinfo(host, None)}
            except OSError:
                pass
    return allowed


@pytest.fixture(scope="session", autouse=True)
def _loopback_only():
    """A safety net: no test may open a connection off this machine (only loopback is ours to test)."""
    import ipaddress
    import socket

    allowed = _allowed_addresses()
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex

    def check(sock, address):
        if sock.family in (socket.AF_INET, socket.AF_INET6) and isinstance(address, tuple):
            host = address[0]
            try:
                ip = ipaddress.ip_address(host)
            except ValueError:
                return  # a name: resolved and checked again when connect gets the address
            if not ip.is_loopback and host not in allowed:
                raise ConnectionRefusedError(f"tests may only connect to loopback, not {host}")

    def connect(sock, address):
        check(sock, address)
        return real_connect(sock, address)

    def connect_ex(sock, address):
        check(sock, address)
        return real_connect_ex(sock, address)

    socket.socket.connect, socket.socket.connect_ex = connect, connect_ex
    yield
    socket.socket.connect, socket.socket.connect_ex = real_connect, real_connect_ex

MARIADB_URL = os.environ.get("ZAS_TEST_MARIADB_URL", "mysql+pymysql://root@127.0.0.1:3306")
TEST_KEY = "hZBFIZvsS0F8p4N8YHD3kZ2OaaiQL5O1r1yWfa3mH8Q="


def test_db_kind() -> str:
    return os.environ.get("ZAS_TEST_DB", "mariadb")


def pytest_collection_modifyitems(config, items):
    if test_db_kind() != "sqlite":
        return
    skip = pytest.mark.skip(reason="needs MariaDB (ZAS_TEST_DB=sqlite)")
    for item in items:
        if "mariadb" in item.keywords:
            item.add_marker(skip)


class MariaDBServer:
    """Creates and drops throw-away databases on the test MariaDB server."""

    def __init__(self, url: str):
        self.url = make_url(url)
        if "ZAS_TEST_MARIADB_URL" not in os.environ:
            try:
                self._connect().close()
            except pymysql.err.OperationalError:
                # a bare Debian root logs in by socket only; scripts/ensure-services.sh made this user
                self.url = self.url.set(username="zas_test")

    def _connect(self):
        return pymysql.connect(host=self.url.host or "127.0.0.1", port=self.url.port or 3306,
                               user=self.url.username or "root", password=self.url.password or "",
                               autocommit=True)

    def create(self, prefix: str = "zas_test") -> str:
        name = f"{prefix}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{uuid.uuid4().hex[:8]}"
        with self._connect() as conn, conn.cursor() as cur:
            cur.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
        return self.url.set(database=name).render_as_string(hide_password=False)

    def drop(self, url: str) -> None:
        name = make_url(url).database
        with self._connect() as conn, conn.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS `{name}`")


@pytest.fixture(scope="session")
def mariadb_server() -> MariaDBServer:
    return MariaDBServer(MARIADB_URL)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory, mariadb_server):
    """A fresh, empty database for this test process."""
    if test_db_kind() == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'zas.db'}"
        return
    url = mariadb_server.create()
    yield url
    mariadb_server.drop(url)


def make_test_app(database_url: str, instance_path, **overrides):
    config = {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "INSTANCE_PATH": str(instance_path),
        "SECRET_KEY": "test-secret",
        "CREDENTIALS_KEY": TEST_KEY,
        "WTF_CSRF_ENABLED": False,
        "REDIS_URL": None,
        "DEMO": False,
        "ENDPOINT_DNS": False,  # the system's DNS server is off loopback: tests turn it on with care
    }
    config.update(overrides)
    return create_app(config)


@pytest.fixture(scope="session")
def session_app(database_url, tmp_path_factory):
    """One app per test process, its schema made by the migrations (so they are tested too)."""
    from flask_migrate import upgrade

    app = make_test_app(database_url, tmp_path_factory.mktemp("instance"))
    with app.app_context():
        upgrade()
    return app


@pytest.fixture
def app(session_app):
    """The app inside an outer transaction that is rolled back after the test.

    Code under test may commit: with `create_savepoint` its commits only release savepoints.
    """
    with session_app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        original = db.session
        db.session = scoped_session(sessionmaker(bind=connection, join_transaction_mode="create_savepoint"))
        try:
            yield session_app
        finally:
            db.session.remove()
            db.session = original
            outer.rollback()
            connection.close()
            session_app.extensions.pop("zas_throttle", None)  # failed logins must not leak between tests


@pytest.fixture
def committed_app(session_app):
    """The app with real commits (for work in other threads or processes); every table emptied after."""
    with session_app.app_context():
        try:
            yield session_app
        finally:
            db.session.remove()
            empty_all_tables()


def empty_all_tables() -> None:
    from sqlalchemy import text

    with db.engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        else:
            conn.exec_driver_sql("SET FOREIGN_KEY_CHECKS=0")
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(text(f"DELETE FROM {table.name}"))
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
        else:
            conn.exec_driver_sql("SET FOREIGN_KEY_CHECKS=1")


@pytest.fixture(scope="session")
def redis_url():
    """A Redis database of this test process's own (test processes and RQ workers never share queues)."""
    import redis

    base = os.environ.get("ZAS_TEST_REDIS_URL", "redis://127.0.0.1:6379/0").rsplit("/", 1)[0]
    index = 1 + os.getpid() % 15
    url = f"{base}/{index}"
    redis.Redis.from_url(url).flushdb()
    yield url
    redis.Redis.from_url(url).flushdb()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()
