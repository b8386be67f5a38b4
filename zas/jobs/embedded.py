"""The embedded default's clock: without Redis there is no RQ cron, so a daemon thread in the web
process runs the same periodic functions the cron scheduler would (schedule tick, reconciler)."""
from __future__ import annotations

import logging
import threading

log = logging.getLogger(__name__)

# (function path, every N seconds): the same work `zas worker`'s CronScheduler registers
PERIODIC = [("zas.jobs.reconciler:reconcile", 30), ("zas.jobs.schedules:tick", 60),
            ("zas.jobs.retention:run", 3600)]


def start(app) -> threading.Thread | None:
    """Start the scheduler thread once per process when jobs run in-process; None with Redis."""
    if app.config.get("REDIS_URL") or app.extensions.get("zas_embedded_scheduler"):
        return None
    stop = threading.Event()
    thread = threading.Thread(target=_loop, args=(app, stop), name="zas-scheduler", daemon=True)
    app.extensions["zas_embedded_scheduler"] = (thread, stop)
    thread.start()
    return thread


def _loop(app, stop: threading.Event) -> None:
    import importlib

    from zas.extensions import db

    due = {path: 0.0 for path, _ in PERIODIC}
    elapsed = 0.0
    while not stop.wait(1.0 if elapsed else 0.0):
        elapsed += 1.0
        for path, every in PERIODIC:
            if elapsed < due[path]:
                continue
            due[path] = elapsed + every
            module, name = path.split(":")
            with app.app_context():
                try:
                    getattr(importlib.import_module(module), name)()
                except Exception:  # the clock must keep ticking whatever one run does
                    log.exception("periodic %s failed", path)
                    db.session.rollback()
                finally:
                    db.session.remove()
