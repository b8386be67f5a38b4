"""Settings: defaults, then `ZAS_*` environment variables (and `.env`), then explicit overrides.

The embedded default (SQLite, in-process jobs) generates its secret and credentials keys and
keeps them in `instance/`; production (any non-SQLite database) must be given them.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from zas.crypto import generate_key, parse_keys
from zas.errors import ConfigError

DEFAULTS = {
    "DATABASE_URL": None,  # default: sqlite:///<instance>/zas.db
    "REDIS_URL": None,  # unset: jobs run in a thread pool inside the web process
    "SECRET_KEY": None,
    "CREDENTIALS_KEY": None,
    "DEMO": True,
    "PRODUCTION": None,  # None: inferred from the database URL
    "SSH_CONN_TIMEOUT": 10,
    "SSH_READ_TIMEOUT": 60,
    "SSH_BANNER_TIMEOUT": 15,
    "SSH_AUTH_TIMEOUT": 15,
    "SSH_FAST_CLI": True,
    "SNMP_TIMEOUT": 1.0,
    "SNMP_RETRIES": 1,
    "ENDPOINT_DNS": True,  # reverse DNS names for endpoint addresses in the poll
    "ENDPOINT_DNS_TIMEOUT": 1.0,  # seconds per lookup
    "ENDPOINT_DNS_BUDGET": 3.0,  # seconds per device poll, all lookups together
    "ENDPOINT_DNS_TTL": 3600,  # seconds a name (5 minutes a miss) is cached in the process
    "JOB_CONCURRENCY": 16,
    "JOB_BATCH_SIZE": 25,
    "JOB_STALE_AFTER": 60,
    "JOB_HEARTBEAT": 10,
    "JOB_LOCK_WAIT": 600,
    "JOB_BATCH_TIMEOUT": 3600,
    "BACKUP_CRON": "0 2 * * *",
    "POLL_INTERVAL": 300,
    "RETENTION_RAW_DAYS": 7,
    "RETENTION_HOURLY_DAYS": 90,
    "RETENTION_DAILY_DAYS": 730,
    "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
    "IMPORT_MAX_ROWS": 100_000,
    "LOGIN_MAX_FAILURES": 5,
    "LOGIN_LOCKOUT_SECONDS": 300,
    "SESSION_COOKIE_SECURE": False,
}

BOOL_KEYS = {"DEMO", "PRODUCTION", "SSH_FAST_CLI", "SESSION_COOKIE_SECURE", "ENDPOINT_DNS"}


def _as_bool(value) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in {"1", "true", "yes", "on"}


def load_settings(app, overrides: dict | None) -> None:
    """Fill `app.config`; raises ConfigError naming the first bad setting."""
    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    app.config.from_prefixed_env("ZAS")
    if overrides:
        app.config.update(overrides)
    for key in BOOL_KEYS:
        if app.config.get(key) is not None:
            app.config[key] = _as_bool(app.config[key])

    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)

    url = app.config["DATABASE_URL"] or f"sqlite:///{instance / 'zas.db'}"
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        raise ConfigError(f"ZAS_DATABASE_URL is not a valid database URL: {mask_url(url)!r}") from None
    if parsed.get_backend_name() not in {"sqlite", "mysql", "mariadb"}:
        raise ConfigError(
            f"ZAS_DATABASE_URL: unsupported database {parsed.get_backend_name()!r} (use sqlite or mysql+pymysql)"
        )
    if parsed.get_backend_name() in {"mysql", "mariadb"} and parsed.drivername in {"mysql", "mariadb"}:
        parsed = parsed.set(drivername="mysql+pymysql")
    if parsed.get_backend_name() == "mysql":
        parsed = parsed.update_query_dict({"charset": "utf8mb4"})
    app.config["SQLALCHEMY_DATABASE_URI"] = parsed.render_as_string(hide_password=False)
    app.config["DATABASE_URL"] = mask_url(url)

    production = app.config["PRODUCTION"]
    if production is None:
        production = parsed.get_backend_name() != "sqlite"
    app.config["PRODUCTION"] = production

    engine_options = {}
    if parsed.get_backend_name() == "mysql":
        # MariaDB closes idle connections after wait_timeout; RQ work horses fork
        # every job thread may want a connection at once: a pool smaller than that churns
        # connections (each one a TLS handshake with PyMySQL's preferred SSL) on every device
        pool = max(10, int(app.config.get("JOB_CONCURRENCY") or 16) + 8)
        engine_options = {"pool_pre_ping": True, "pool_recycle": 280, "pool_size": pool, "max_overflow": 20}
        if is_local_database(parsed):
            # PyMySQL builds a TLS context for every connection (~20 ms of CPU loading the CA bundle)
            # to offer TLS to the server; on the loopback or a Unix socket TLS protects nothing
            engine_options["connect_args"] = {"ssl_disabled": True}
    else:
        # SQLite has one writer: a single pooled connection makes the job threads and requests of
        # this process take turns at the pool instead of failing with "database is locked"
        from sqlalchemy.pool import QueuePool

        engine_options = {"connect_args": {"timeout": 30, "check_same_thread": False}, "poolclass": QueuePool,
                          "pool_size": 1, "max_overflow": 0, "pool_timeout": 120}
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", engine_options)
    app.config.setdefault("SQLALCHEMY_TRACK_MODIFICATIONS", False)

    app.config["SECRET_KEY"] = app.config["SECRET_KEY"] or _kept_key(
        instance / "secret.key", production, "ZAS_SECRET_KEY", lambda: secrets.token_urlsafe(48)
    )
    app.config["CREDENTIALS_KEY"] = app.config["CREDENTIALS_KEY"] or _kept_key(
        instance / "credentials.key", production, "ZAS_CREDENTIALS_KEY", generate_key
    )
    parse_keys(app.config["CREDENTIALS_KEY"])  # fail start-up now, not at the first secret

    for key in ("SSH_CONN_TIMEOUT", "SSH_READ_TIMEOUT", "JOB_CONCURRENCY", "POLL_INTERVAL"):
        try:
            value = float(app.config[key])
        except (TypeError, ValueError):
            raise ConfigError(f"ZAS_{key} must be a number, got {app.config[key]!r}") from None
        if value <= 0:
            raise ConfigError(f"ZAS_{key} must be positive, got {app.config[key]!r}")
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.config.setdefault("REMEMBER_COOKIE_HTTPONLY", True)


def _kept_key(path: Path, production: bool, setting: str, make) -> str:
    """The embedded default keeps a generated key in instance/; production must be told."""
    if production:
        raise ConfigError(f"{setting} is not set (required when ZAS_DATABASE_URL is not SQLite)")
    if path.exists():
        return path.read_text().strip()
    value = make()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(value)
    return value


def mask_url(url: str) -> str:
    """A database URL fit for a log line or error message: the password replaced."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return url.split("@")[-1] if "@" in url else url


def is_local_database(url) -> bool:
    """A MariaDB reached over the loopback or a Unix socket, without TLS options in the URL."""
    query = {k.lower() for k in url.query}
    if any(k.startswith("ssl") for k in query):
        return False
    return "unix_socket" in query or (url.host or "localhost") in ("localhost", "127.0.0.1", "::1")
