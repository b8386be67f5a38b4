"""Fixtures for jobs that run in real RQ worker processes."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import TEST_KEY, empty_all_tables, make_test_app
from zas.extensions import db

ZAS = str(Path(sys.executable).with_name("zas"))


@pytest.fixture
def rq_app(database_url, tmp_path, session_app, redis_url):
    """An app that queues jobs in this test's Redis database; real commits, tables emptied after."""
    import redis

    app = make_test_app(database_url, tmp_path, REDIS_URL=redis_url, JOB_STALE_AFTER=3, JOB_HEARTBEAT=0.5)
    with app.app_context():
        try:
            yield app
        finally:
            db.session.remove()
            empty_all_tables()
            redis.Redis.from_url(redis_url).flushdb()


# short SSH timeouts: a hung lab device fails in seconds, not the production default of a minute
FAST_SSH = {"SSH_CONN_TIMEOUT": 3, "SSH_READ_TIMEOUT": 4, "SSH_AUTH_TIMEOUT": 3, "SSH_BANNER_TIMEOUT": 3}


@pytest.fixture
def lab_app(database_url, tmp_path, session_app):
    """The embedded mode (jobs in this process's threads) with short SSH timeouts; real commits."""
    app = make_test_app(database_url, tmp_path, **FAST_SSH)
    with app.app_context():
        try:
            yield app
        finally:
            db.session.remove()
            empty_all_tables()


def worker_env(app, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZAS_")}
    env.update({
        "ZAS_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "ZAS_REDIS_URL": app.config["REDIS_URL"],
        "ZAS_CREDENTIALS_KEY": TEST_KEY, "ZAS_SECRET_KEY": "test-secret", "ZAS_JOB_STALE_AFTER": "3",
        "ZAS_JOB_HEARTBEAT": "0.5", "ZAS_DEMO": "0", "ZAS_ENDPOINT_DNS": "0",
    })
    env.update({k: str(v) for k, v in extra.items()})
    return env


def start_worker(app, *args, **extra) -> subprocess.Popen:
    """`zas worker` in its own process group (so a test can kill it and its work horse together)."""
    return subprocess.Popen([ZAS, "worker", "--no-scheduler", *args], env=worker_env(app, **extra),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)


def kill_worker(proc: subprocess.Popen) -> None:
    """SIGKILL a worker and its work horses (RQ puts each horse in a session of its own)."""
    import signal

    def children(pid: int) -> list[int]:
        try:
            text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
        except OSError:
            return []
        kids = [int(c) for c in text.split()]
        return kids + [g for k in kids for g in children(k)]

    for pid in [*children(proc.pid), proc.pid]:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    proc.wait(timeout=10)
