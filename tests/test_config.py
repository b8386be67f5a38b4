"""Engine settings derived from ZAS_DATABASE_URL."""
from __future__ import annotations

import pytest
from sqlalchemy.engine import make_url

from zas.config import is_local_database


@pytest.mark.parametrize("url,local", [
    ("mysql+pymysql://zas:pw@127.0.0.1/zas", True),
    ("mysql+pymysql://zas:pw@localhost:3307/zas", True),
    ("mysql+pymysql://zas:pw@/zas?unix_socket=/run/mysqld/mysqld.sock", True),
    ("mysql+pymysql://zas:pw@db.example.net/zas", False),  # a remote server keeps PyMySQL's preferred TLS
    ("mysql+pymysql://zas:pw@127.0.0.1/zas?ssl_ca=/etc/ca.pem", False),  # asked for TLS explicitly
])
def test_tls_is_skipped_only_for_a_local_server_without_tls_options(url, local):
    assert is_local_database(make_url(url)) is local


@pytest.mark.mariadb
def test_a_local_mariadb_connects_without_building_a_tls_context(database_url, tmp_path):
    from tests.conftest import make_test_app

    app = make_test_app(database_url, tmp_path)
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"] == {"ssl_disabled": True}
