"""Runs a batch of one job's devices: a thread per device up to the concurrency limit, each
device under its session lock, each outcome committed as it lands.

`run_batch` is the RQ entry point (its signature is a wire contract: ids only) and what the
in-process pool calls too, so both dispatch modes run the same code.
"""
from __future__ import annotations

import importlib
import logging
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from flask import current_app
from sqlalchemy import select, update

from zas.errors import DeviceError, DeviceUnreachable, ConnectionRefused
from zas.extensions import db
from zas.jobs.locks import LocalLocks, RedisLocks
from zas.models import AutomationJob, CredentialProfile, Device, JobLog, JobResult
from zas.models.types import utcnow
from zas.services import automation, ssh

log = logging.getLogger(__name__)

HANDLERS = {"backup": "zas.jobs.backup", "command": "zas.jobs.command", "config": "zas.jobs.config",
            "discover": "zas.jobs.discover", "poll": "zas.jobs.poll"}


def run_batch(job_id: int, device_ids: list[int], batch_id: str | None = None) -> None:
    """Run `device_ids` of job `job_id`. Safe to call twice: devices already started are skipped."""
    app = current_app._get_current_object()
    if app.extensions.get("zas_pid") != os.getpid():
        # a forked RQ work horse must not reuse the parent's pooled connections
        db.engine.dispose(close=False)
        app.extensions["zas_pid"] = os.getpid()
    job = db.session.get(AutomationJob, job_id)
    if job is None:
        log.warning("job %s vanished before it ran", job_id)
        return
    kind, params, org_id = job.kind, dict(job.params or {}), job.organization_id
    requested_by = job.requested_by_name
    now = utcnow()
    db.session.execute(update(AutomationJob).where(AutomationJob.id == job_id, AutomationJob.status == "queued")
                       .values(status="running", started_at=now, heartbeat_at=now))
    db.session.commit()
    db.session.remove()  # no connection held while devices answer

    handler = importlib.import_module(HANDLERS[kind])
    context = BatchContext(app, job_id, kind, params, org_id, requested_by, batch_id)
    # a handler may cap its own concurrency (easysnmp, for one, is not thread-safe)
    concurrency = max(1, int(getattr(handler, "CONCURRENCY", None) or app.config["JOB_CONCURRENCY"]))
    with context.heartbeat():
        if concurrency == 1 or len(device_ids) == 1:
            for device_id in device_ids:
                _run_device(context, handler, device_id)
        else:
            with ThreadPoolExecutor(max_workers=min(concurrency, len(device_ids)),
                                    thread_name_prefix=f"zas-{job_id}") as pool:
                for future in [pool.submit(_run_device, context, handler, d) for d in device_ids]:
                    future.result()


class BatchContext:
    """What the device threads of one batch share: the app, the job's parameters, locks, heartbeat."""

    def __init__(self, app, job_id, kind, params, org_id, requested_by, batch_id):
        self.app, self.job_id, self.kind, self.params = app, job_id, kind, params
        self.org_id, self.requested_by, self.batch_id = org_id, requested_by, batch_id
        self.settings = ssh.SshSettings.from_config(app.config)
        from zas.jobs.dispatch import redis_client

        with app.app_context():
            self.redis = redis_client()
        stale = float(app.config["JOB_STALE_AFTER"])
        self.heartbeat_every = min(float(app.config["JOB_HEARTBEAT"]), stale / 3)
        self.stale = stale
        if self.redis is not None:
            self.locks = RedisLocks(self.redis, ttl=max(stale, 30))
        else:
            self.locks = app.extensions.setdefault("zas_local_locks", LocalLocks())
        self.lock_wait = float(app.config["JOB_LOCK_WAIT"])
        self.held: set = set()
        self._held_guard = threading.Lock()

    @contextmanager
    def heartbeat(self):
        """Tell the reconciler this batch is alive until the block ends."""
        stop = threading.Event()

        def beat():
            while True:
                self._beat_once()
                if stop.wait(self.heartbeat_every):
                    return

        thread = threading.Thread(target=beat, name=f"zas-heartbeat-{self.job_id}", daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join(timeout=5)
            if self.redis is not None and self.batch_id:
                self.redis.delete(heartbeat_key(self.batch_id))

    def _beat_once(self) -> None:
        try:
            with self.app.app_context():
                db.session.execute(update(AutomationJob).where(AutomationJob.id == self.job_id)
                                   .values(heartbeat_at=utcnow()))
                db.session.commit()
                db.session.remove()
            if self.redis is not None and self.batch_id:
                self.redis.set(heartbeat_key(self.batch_id), "1", ex=max(1, int(self.stale)))
            with self._held_guard:
                held = [lock for lock in self.held if lock is not None]
            self.locks.extend(held)
        except Exception:  # a missed beat is survivable; a dead heartbeat thread is not
            log.exception("heartbeat for job %s failed", self.job_id)


def heartbeat_key(batch_id: str) -> str:
    return f"zas:batch-heartbeat:{batch_id}"


class JobStep:
    """One device's part of a job, handed to the kind's `run_device(step)`."""

    def __init__(self, ctx: BatchContext, device_id: int):
        self.ctx, self.device_id = ctx, device_id
        self.job_id, self.params = ctx.job_id, ctx.params
        self.output: str | None = None
        self.diff: str | None = None
        self.changed = False
        self.target: ssh.SshTarget | None = None
        self.platform: str | None = None
        self._log: list[tuple[str, str]] = []

    def log(self, message: str, level: str = "info") -> None:
        self._log.append((level, message))

    def session(self) -> ssh.Session:
        """An SSH session to this device; the host key it presents is pinned on first contact."""
        return PinningSession(self)

    @contextmanager
    def db(self):
        """The device row inside a transaction committed at the end of the block."""
        device = db.session.get(Device, self.device_id)
        try:
            yield device
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
        finally:
            db.session.remove()

    def flush_log(self) -> None:
        for level, message in self._log:
            db.session.add(JobLog(job_id=self.job_id, device_id=self.device_id, level=level, message=message[:4000]))
        self._log.clear()


class PinningSession(ssh.Session):
    """A session that records the device's host key after the first successful login."""

    def __init__(self, step: JobStep):
        super().__init__(step.target, step.ctx.settings, on_progress=step.log)
        self.step = step

    def __enter__(self):
        session = super().__enter__()
        if self.step.target.host_key is None and self.info.host_key:
            with self.step.db() as device:
                if device.ssh_host_key is None:
                    device.ssh_host_key = self.info.host_key
        return session


def load_target(device: Device) -> ssh.SshTarget:
    """The plain SSH target of a device (copied out so no ORM object lives during I/O)."""
    cred = db.session.get(CredentialProfile, device.credential_id) if device.credential_id else None
    if cred is None:
        raise DeviceError("the device has no credential profile; set one before running SSH jobs")
    return ssh.SshTarget(
        device_id=device.id, name=device.name, host=device.host, port=device.port, platform=device.platform,
        username=cred.username, password=cred.password, secret=cred.enable_secret, private_key=cred.private_key,
        host_key=device.ssh_host_key,
    )


def _run_device(ctx: BatchContext, handler, device_id: int) -> None:
    with ctx.app.app_context():
        try:
            _run_device_in_context(ctx, handler, device_id)
        finally:
            db.session.remove()


def _claim(ctx: BatchContext, step: JobStep) -> bool:
    """Claim the device (queued → running) and copy out what the handler needs, in one transaction.

    False when the job was cancelled or another worker already took the device. Raises
    DeviceError (the claim committed first) when the device cannot be worked on.
    """
    device_id = step.device_id
    cancel = db.session.scalar(select(AutomationJob.cancel_requested).where(AutomationJob.id == ctx.job_id))
    claimed = not cancel and db.session.execute(
        update(JobResult).where(JobResult.job_id == ctx.job_id, JobResult.device_id == device_id,
                                JobResult.status == "queued")
        .values(status="running", started_at=utcnow())
    ).rowcount
    if not claimed:
        db.session.rollback()
        return False
    try:
        device = db.session.get(Device, device_id)
        if device is None:
            raise DeviceError("the device was deleted after the job was queued")
        step.platform = device.platform
        # discover of a device without a credential profile runs over SNMP (step.target None)
        ssh_needed = ctx.kind in automation.SSH_KINDS and (ctx.kind != "discover" or device.credential_id)
        step.target = load_target(device) if ssh_needed else None
    finally:
        db.session.commit()
        db.session.remove()  # no connection held while the device answers
    return True


def _run_device_in_context(ctx: BatchContext, handler, device_id: int) -> None:
    step = JobStep(ctx, device_id)
    started = time.monotonic()
    status, error_class, error = "succeeded", None, None
    try:
        if not _claim(ctx, step):
            return
        with ctx.locks.hold(device_id, ctx.lock_wait) as lock:
            with ctx._held_guard:
                ctx.held.add(lock)
            try:
                handler.run_device(step)
            finally:
                with ctx._held_guard:
                    ctx.held.discard(lock)
    except DeviceError as exc:
        status, error_class, error = "failed", exc.error_class, str(exc)
        step.log(f"{exc.error_class}: {exc}", "error")
    except Exception as exc:  # the job boundary: one device's bug must not sink the batch
        log.exception("job %s device %s: unexpected error", ctx.job_id, device_id)
        status, error_class, error = "failed", "InternalError", f"internal error ({type(exc).__name__})"
        step.log(error, "error")
    duration = int((time.monotonic() - started) * 1000)
    _finish(ctx, handler, step, status, error_class, error, duration)


def _finish(ctx, handler, step: JobStep, status, error_class, error, duration) -> None:
    """Record one device's outcome and the job's progress in one transaction (retried on deadlock)."""
    from sqlalchemy.exc import OperationalError

    for attempt in range(5):
        try:
            return _finish_once(ctx, handler, step, status, error_class, error, duration)
        except OperationalError as exc:
            db.session.rollback()
            if "1213" not in str(exc.orig) and "deadlock" not in str(exc.orig).lower() or attempt == 4:
                raise
            time.sleep(0.05 * (attempt + 1))


def _finish_once(ctx, handler, step: JobStep, status, error_class, error, duration) -> None:
    db.session.rollback()
    db.session.execute(
        update(JobResult).where(JobResult.job_id == ctx.job_id, JobResult.device_id == step.device_id)
        .values(status=status, output=step.output, diff=step.diff, changed=step.changed, error_class=error_class,
                error=error, finished_at=utcnow(), duration_ms=duration)
    )
    device = db.session.get(Device, step.device_id)
    if device is not None:
        if status == "failed" and hasattr(handler, "on_failure"):
            handler.on_failure(step, device, error)
        if error_class in (DeviceUnreachable.__name__, ConnectionRefused.__name__):
            device.status = "unreachable"
        elif status == "succeeded" and step.target is not None:
            device.status = "up"
        if status == "failed":
            device.last_error = f"{error_class}: {error}"[:2000]
    step.flush_log()
    db.session.commit()
    # progress in a transaction of its own that touches only the job row: its exclusive lock is
    # held for one statement, and no shared lock (from a child row's foreign key) is held with it,
    # so concurrent finishers queue briefly instead of deadlocking or waiting on each other's I/O
    db.session.execute(update(AutomationJob).where(AutomationJob.id == ctx.job_id).values(
        done=AutomationJob.done + 1, failed=AutomationJob.failed + (status == "failed")))
    done, total = db.session.execute(
        select(AutomationJob.done, AutomationJob.total).where(AutomationJob.id == ctx.job_id)).one()
    db.session.commit()
    if done >= total:
        automation.finalize_if_done(ctx.job_id)
        db.session.commit()
