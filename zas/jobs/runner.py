"""Runs one lane of a job: device threads, up to the concurrency limit, take the job's devices one
at a time (or a few, for kinds that set `CLAIM_AHEAD`), each under its session lock; one recorder
thread writes their outcomes in grouped transactions.

`run_batch` is the RQ entry point (its signature is a wire contract: ids only) and what the
in-process pool calls too, so both dispatch modes run the same code. With Redis, a job's lanes
take devices from one shared list, so the workers balance themselves and a lane never idles
while another still has a queue; without it, the lane works through the ids it was given.
"""
from __future__ import annotations

import importlib
import logging
import os
import queue
import threading
import time
from collections import deque
from contextlib import contextmanager

from flask import current_app
from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import OperationalError

from zas.errors import DeviceError, DeviceUnreachable, ConnectionRefused
from zas.extensions import db
from zas.jobs.locks import LocalLocks, RedisLocks
from zas.models import AutomationJob, CredentialProfile, Device, JobLog, JobResult
from zas.models.types import utcnow
from zas.services import automation, bulkwrite, ssh

log = logging.getLogger(__name__)

HANDLERS = {"backup": "zas.jobs.backup", "command": "zas.jobs.command", "config": "zas.jobs.config",
            "discover": "zas.jobs.discover", "poll": "zas.jobs.poll"}


def run_batch(job_id: int, device_ids: list[int], batch_id: str | None = None, shared: bool = False) -> None:
    """Run job `job_id`'s devices: `device_ids`, or with `shared` whatever is left on the job's
    Redis list. Safe to call twice: devices already started are skipped."""
    app = current_app._get_current_object()
    if app.extensions.get("zas_pid") != os.getpid():
        # a forked RQ work horse must not reuse the parent's pooled connections
        db.engine.dispose(close=False)
        app.extensions["zas_pid"] = os.getpid()
    from zas.jobs.dispatch import redis_client

    redis = redis_client()
    shared = shared and redis is not None
    waiting = redis.llen(todo_key(job_id)) if shared else len(device_ids)
    if not waiting:
        return  # the job's other lanes took every device: nothing to start, not even a thread
    row = db.session.execute(select(AutomationJob.kind, AutomationJob.params, AutomationJob.organization_id,
                                    AutomationJob.requested_by_name).where(AutomationJob.id == job_id)).first()
    if row is None:
        log.warning("job %s vanished before it ran", job_id)
        return
    now = utcnow()
    db.session.execute(update(AutomationJob).where(AutomationJob.id == job_id, AutomationJob.status == "queued")
                       .values(status="running", started_at=now, heartbeat_at=now))
    db.session.commit()
    db.session.remove()  # no connection held while devices answer

    handler = importlib.import_module(HANDLERS[row.kind])
    context = BatchContext(app, redis, job_id, row.kind, dict(row.params or {}), row.organization_id,
                           row.requested_by_name, batch_id)
    todo = Todo(context, device_ids, shared)
    # a handler may cap its own concurrency (easysnmp, for one, is not thread-safe)
    concurrency = max(1, int(getattr(handler, "CONCURRENCY", None) or app.config["JOB_CONCURRENCY"]))
    recorder = Recorder(context, handler, todo)
    with context.heartbeat(), recorder:
        threads = [threading.Thread(target=_work, args=(context, handler, recorder, todo),
                                    name=f"zas-{job_id}-{n}", daemon=True)
                   for n in range(min(concurrency, waiting))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()


def todo_key(job_id: int) -> str:
    return f"zas:job-todo:{job_id}"


class Todo:
    """The devices a lane may take next: the job's shared Redis list when dispatch made one,
    otherwise the lane's own ids."""

    def __init__(self, ctx: "BatchContext", device_ids: list[int], shared: bool):
        self.redis, self.key = ctx.redis, todo_key(ctx.job_id)
        self.shared = shared and self.redis is not None
        self.local = deque(device_ids)
        self.guard = threading.Lock()

    def empty(self) -> bool:
        if self.shared:
            return not self.redis.llen(self.key)
        with self.guard:
            return not self.local

    def take(self, count: int = 1) -> list[int]:
        """Up to `count` device ids, none when the lane's work is done."""
        if self.shared:
            values = self.redis.lpop(self.key, count)
            return [int(v) for v in values or ()]
        with self.guard:
            return [self.local.popleft() for _ in range(min(count, len(self.local)))]


class BatchContext:
    """What the device threads of one lane share: the app, the job's parameters, locks, heartbeat."""

    def __init__(self, app, redis, job_id, kind, params, org_id, requested_by, batch_id):
        self.app, self.redis, self.job_id, self.kind, self.params = app, redis, job_id, kind, params
        self.org_id, self.requested_by, self.batch_id = org_id, requested_by, batch_id
        self.settings = ssh.SshSettings.from_config(app.config)
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
        self._credentials: dict[int, tuple] = {}
        self._devices: dict | None = None
        self._cache: dict = {}

    def hold(self, lock) -> None:
        with self._held_guard:
            self.held.add(lock)

    def release(self, lock) -> None:
        with self._held_guard:
            self.held.discard(lock)
        self.locks.release(lock)

    def device(self, device_id: int):
        """What the runner needs of a device (name, address, platform, credential, pinned key),
        read for all of the job's waiting devices in one query the first time it is asked."""
        with self._held_guard:
            if self._devices is None:
                devices, results = Device.__table__, JobResult.__table__
                rows = db.session.execute(
                    select(devices.c.id, devices.c.organization_id, devices.c.name, devices.c.host, devices.c.port,
                           devices.c.platform, devices.c.credential_id, devices.c.ssh_host_key, devices.c.snmp_port,
                           devices.c.snmp_profile_id, devices.c.last_poll_status)
                    .join(results, results.c.device_id == devices.c.id)
                    .where(results.c.job_id == self.job_id, results.c.status.in_(("queued", "running"))))
                self._devices = {row.id: row for row in rows}
            return self._devices.get(device_id)

    def cached(self, key, load):
        """`load()` once per lane for `key` (what every device of the job shares, e.g. the
        organization's SNMP profiles), then the same value."""
        with self._held_guard:
            if key not in self._cache:
                self._cache[key] = load()
            return self._cache[key]

    def credentials(self, credential_id: int) -> tuple | None:
        """(username, password, enable secret, key) of a profile, read and decrypted once per lane."""
        with self._held_guard:
            if credential_id not in self._credentials:
                cred = db.session.get(CredentialProfile, credential_id)
                self._credentials[credential_id] = (
                    None if cred is None else (cred.username, cred.password, cred.enable_secret, cred.private_key))
            return self._credentials[credential_id]

    @contextmanager
    def heartbeat(self):
        """Tell the reconciler this lane is alive until the block ends."""
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
    """One device's part of a job, handed to the kind's `run_device(step)`.

    `run_device` does the device I/O and may write through `step.db()`; a kind with a
    `record(steps)` function instead leaves its writes on the step and has them done in bulk
    by the recorder, in the same transaction as the devices' results (and `after_record(steps)`
    once that is committed).
    """

    def __init__(self, ctx: BatchContext, device_id: int):
        self.ctx, self.device_id = ctx, device_id
        self.job_id, self.params = ctx.job_id, ctx.params
        self.output: str | None = None
        self.diff: str | None = None
        self.changed = False
        self.target: ssh.SshTarget | None = None
        self.platform: str | None = None
        self.status, self.error_class, self.error = "succeeded", None, None
        self.duration_ms = 0
        self.lock = None
        self.host_key: str | None = None  # to pin: first contact presented it
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

    def fail(self, error_class: str, error: str) -> None:
        self.status, self.error_class, self.error = "failed", error_class, error
        self.log(f"{error_class}: {error}", "error")


class PinningSession(ssh.Session):
    """A session that notes the device's host key after the first successful login (the recorder
    stores it with the device's result)."""

    def __init__(self, step: JobStep):
        super().__init__(step.target, step.ctx.settings, on_progress=step.log)
        self.step = step

    def __enter__(self):
        session = super().__enter__()
        if self.step.target.host_key is None and self.info.host_key:
            self.step.host_key = self.info.host_key
        return session


def load_target(ctx: BatchContext, device_id: int, device) -> ssh.SshTarget:
    """The plain SSH target of a device (copied out so no ORM object lives during I/O)."""
    cred = ctx.credentials(device.credential_id) if device.credential_id else None
    if cred is None:
        raise DeviceError("the device has no credential profile; set one before running SSH jobs")
    username, password, secret, private_key = cred
    return ssh.SshTarget(
        device_id=device_id, name=device.name, host=device.host, port=device.port, platform=device.platform,
        username=username, password=password, secret=secret, private_key=private_key, host_key=device.ssh_host_key,
    )


def _work(ctx: BatchContext, handler, recorder: "Recorder", todo: Todo) -> None:
    """One device thread: take devices until the lane has none left, `CLAIM_AHEAD` of them at a
    time when the kind sets it (a poll takes milliseconds per device: one claim transaction for
    several saves a commit per device)."""
    ahead = max(1, int(getattr(handler, "CLAIM_AHEAD", 1)))
    with ctx.app.app_context():
        # a connection of the thread's own for its claims: a pool checkout per device costs a ping
        # and a reset; SQLite's single pooled connection must go back to the pool between uses
        conn = db.engine.connect() if db.engine.dialect.name != "sqlite" else None
        try:
            while device_ids := todo.take(ahead):
                for _ in device_ids:
                    recorder.begin()
                try:
                    claimed = _claim(ctx, device_ids, conn)
                except Exception:  # the results stay queued: the reconciler fails them if nobody runs them
                    log.exception("job %s: claiming devices %s failed", ctx.job_id, device_ids)
                    if conn is not None:
                        conn.rollback()
                    claimed = set()
                for device_id in device_ids:
                    if device_id not in claimed:
                        recorder.skip()
                        continue
                    try:
                        _run_device(ctx, handler, recorder, device_id)
                    except Exception:  # never lose the thread: the device's result stays for the reconciler
                        log.exception("job %s device %s: the runner failed", ctx.job_id, device_id)
                    finally:
                        db.session.remove()
        finally:
            if conn is not None:
                conn.close()


def _claim(ctx: BatchContext, device_ids: list[int], conn=None) -> set[int]:
    """Claim devices (queued → running, by this lane) in one transaction; returns the ones claimed.

    A device is not claimed when the job was cancelled (cancel turns queued devices to cancelled)
    or another lane took it.
    """
    results = JobResult.__table__  # Core, not ORM: this runs per device or few, thousands of times
    now = utcnow()
    values = {"status": "running", "started_at": now}
    if ctx.batch_id:
        values["batch_id"] = ctx.batch_id  # the reconciler judges a device by the lane that runs it
    mine = [results.c.job_id == ctx.job_id, results.c.device_id.in_(device_ids)]
    claim = update(results).where(*mine, results.c.status == "queued").values(**values)

    def run(execute) -> set[int]:
        count = execute(claim).rowcount
        if count == len(device_ids):
            return set(device_ids)
        if count == 0:
            return set()
        # some were taken or cancelled meanwhile: ours are the ones carrying this claim's time
        ours = [results.c.status == "running", results.c.started_at == now]
        if ctx.batch_id:
            ours.append(results.c.batch_id == ctx.batch_id)
        return set(execute(select(results.c.device_id).where(*mine, *ours)).scalars())

    if conn is not None:
        claimed = run(conn.execute)
        conn.commit()
    else:
        claimed = run(db.session.execute)
        db.session.commit()
        db.session.remove()  # no connection held while the device answers
    return claimed


def _prepare(ctx: BatchContext, step: JobStep) -> None:
    """Copy out what the handler needs of a claimed device. Raises DeviceError when it cannot be
    worked on (deleted since the job was queued, no credential profile)."""
    device = ctx.device(step.device_id)
    if device is None:
        db.session.remove()
        raise DeviceError("the device was deleted after the job was queued")
    step.platform = device.platform
    # discover of a device without a credential profile runs over SNMP (step.target None)
    ssh_needed = ctx.kind in automation.SSH_KINDS and (ctx.kind != "discover" or device.credential_id)
    step.target = load_target(ctx, step.device_id, device) if ssh_needed else None
    db.session.remove()  # the first device of a lane read the job's devices: release that connection


def _run_device(ctx: BatchContext, handler, recorder: "Recorder", device_id: int) -> None:
    """Run one claimed device and hand its outcome to the recorder."""
    step = JobStep(ctx, device_id)
    started = time.monotonic()
    try:
        _prepare(ctx, step)
        step.lock = ctx.locks.acquire(device_id, ctx.lock_wait)
        ctx.hold(step.lock)
        handler.run_device(step)
    except DeviceError as exc:
        step.fail(exc.error_class, str(exc))
    except Exception as exc:  # the job boundary: one device's bug must not sink the batch
        log.exception("job %s device %s: unexpected error", ctx.job_id, device_id)
        step.fail("InternalError", f"internal error ({type(exc).__name__})")
    step.duration_ms = int((time.monotonic() - started) * 1000)
    recorder.put(step)


class Recorder:
    """Writes finished devices in groups from one thread: a group's results, logs, device status
    and the kind's own writes (`handler.record`) in one transaction, then the job's progress in
    another. Per-device commits cost more CPU than the SSH session itself at 32 sessions at
    once; grouping makes the database cost per device small. A device's lock is released only
    once its outcome is committed, so the next job on it sees what this one stored."""

    GROUP_WAIT = 0.25  # seconds a finished device may wait for others to share its transaction
    GROUP_MAX = 64

    def __init__(self, ctx: BatchContext, handler, todo: Todo):
        self.ctx, self.handler, self.todo = ctx, handler, todo
        self.queue: queue.Queue = queue.Queue()
        self._busy = 0  # devices claimed and not yet handed over: nobody else to wait for at 0
        self._busy_guard = threading.Lock()
        self.thread = threading.Thread(target=self._loop, name=f"zas-recorder-{ctx.job_id}", daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc_info):
        self.queue.put(None)
        self.thread.join()

    def begin(self) -> None:
        with self._busy_guard:
            self._busy += 1

    def skip(self) -> None:
        with self._busy_guard:
            self._busy -= 1

    def put(self, step: JobStep) -> None:
        self.queue.put(step)
        self.skip()

    def _loop(self) -> None:
        with self.ctx.app.app_context():
            stop = False
            while not stop:
                first = self.queue.get()
                if first is None:
                    return
                group, deadline = [first], time.monotonic() + self.GROUP_WAIT
                while len(group) < self.GROUP_MAX:
                    left = deadline - time.monotonic()
                    try:
                        item = self.queue.get(timeout=min(0.02, max(0.0, left)))
                    except queue.Empty:
                        # nothing left to wait for: no device running and none to start
                        if left <= 0 or (self._busy == 0 and self.todo.empty()):
                            break
                        continue
                    if item is None:
                        stop = True
                        break
                    group.append(item)
                self.write(group)

    def write(self, group: list[JobStep]) -> None:
        """Record `group`, then the job's progress; a group that cannot be written is retried device
        by device, so one bad row costs only its own device."""
        try:
            try:
                written = _retrying(lambda: self._outcomes(group))
            except Exception:
                log.exception("job %s: writing %d results together failed; writing one by one",
                              self.ctx.job_id, len(group))
                db.session.rollback()
                written = sum(self._outcome_alone(step) for step in group)
            if hasattr(self.handler, "after_record"):
                self._after_record(group)
            failed = min(written, sum(s.status == "failed" for s in group))
            _retrying(lambda: _add_progress(self.ctx.job_id, written, failed))
        except Exception:  # the reconciler finalizes what is left; never lose the recorder
            log.exception("job %s: progress not recorded", self.ctx.job_id)
            db.session.rollback()
        finally:
            db.session.remove()
            for step in group:
                if step.lock is not None:
                    self.ctx.release(step.lock)

    def _outcome_alone(self, step: JobStep) -> int:
        try:
            return _retrying(lambda: self._outcomes([step]))
        except Exception:
            log.exception("job %s device %s: result not written", self.ctx.job_id, step.device_id)
            db.session.rollback()
        step.fail("InternalError", "ZAS could not store this device's result")
        try:
            return _retrying(lambda: self._outcomes([step], kind_writes=False))
        except Exception:  # the reconciler fails it later
            db.session.rollback()
            return 0

    def _after_record(self, group: list[JobStep]) -> None:
        """The kind's follow-up writes, best effort, once the outcomes are safe and before the
        progress that may finish the job (so a finished job has all its writes: e.g. the reverse
        DNS names of a poll's endpoints)."""
        try:
            self.handler.after_record(group)
        except Exception:
            log.exception("job %s: follow-up writes failed", self.ctx.job_id)
            db.session.rollback()

    def _outcomes(self, group: list[JobStep], kind_writes: bool = True) -> int:
        """The group's results, logs, device status and the kind's own writes, in one transaction.
        Returns how many results were still waiting for their outcome (the reconciler may have
        failed a device meanwhile)."""
        ctx, handler, now = self.ctx, self.handler, utcnow()
        db.session.rollback()
        if kind_writes:
            if hasattr(handler, "record"):
                handler.record(group)
            elif hasattr(handler, "on_failure"):
                for step in group:
                    if step.status == "failed":
                        device = db.session.get(Device, step.device_id)
                        if device is not None:
                            handler.on_failure(step, device, step.error)
        results = JobResult.__table__
        written = db.session.execute(
            update(results).where(results.c.job_id == ctx.job_id, results.c.device_id == bindparam("b_device"),
                                  results.c.status == "running")
            .values(status=bindparam("b_status"), output=bindparam("b_output"), diff=bindparam("b_diff"),
                    changed=bindparam("b_changed"), error_class=bindparam("b_error_class"),
                    error=bindparam("b_error"), finished_at=now, duration_ms=bindparam("b_duration")),
            [{"b_device": s.device_id, "b_status": s.status, "b_output": s.output, "b_diff": s.diff,
              "b_changed": s.changed, "b_error_class": s.error_class, "b_error": s.error,
              "b_duration": s.duration_ms} for s in group],
        ).rowcount
        _write_devices(group)
        logs = [{"job_id": ctx.job_id, "device_id": s.device_id, "level": level, "message": message[:4000],
                 "at": now} for s in group for level, message in s._log]
        if logs:
            db.session.execute(insert(JobLog), logs)
        db.session.commit()
        return written


def _retrying(write):
    """`write()` (a function that commits), again after a deadlock, up to five times."""
    for attempt in range(5):
        try:
            return write()
        except OperationalError as exc:
            db.session.rollback()
            if "1213" not in str(exc.orig) and "deadlock" not in str(exc.orig).lower() or attempt == 4:
                raise
            time.sleep(0.05 * (attempt + 1))


def _add_progress(job_id: int, done: int, failed: int) -> None:
    """Count finished devices on the job row, and finish the job with its last device.

    A transaction of its own that touches only the job row: its exclusive lock is held for one
    statement, and no shared lock (from a child row's foreign key) is held with it."""
    jobs = AutomationJob.__table__
    db.session.execute(update(jobs).where(jobs.c.id == job_id).values(
        done=jobs.c.done + done, failed=jobs.c.failed + failed))
    done_now, total = db.session.execute(select(jobs.c.done, jobs.c.total).where(jobs.c.id == job_id)).one()
    db.session.commit()
    if done_now >= total:
        automation.finalize_if_done(job_id)
        db.session.commit()


def _write_devices(group: list[JobStep]) -> None:
    """Reachability, last error and first-contact host keys of the group's devices."""
    rows = []
    for step in group:
        row = {"id": step.device_id}
        if step.error_class in (DeviceUnreachable.__name__, ConnectionRefused.__name__):
            row["status"] = "unreachable"
        elif step.status == "succeeded" and step.target is not None:
            row["status"] = "up"
        if step.status == "failed":
            row["last_error"] = f"{step.error_class}: {step.error}"[:2000]
        rows.append(row)
    bulkwrite.update_by_id(Device.__table__, rows)
    pins = [{"b_id": s.device_id, "b_key": s.host_key} for s in group if s.host_key]
    if pins:
        devices = Device.__table__
        db.session.execute(update(devices).where(devices.c.id == bindparam("b_id"), devices.c.ssh_host_key.is_(None))
                           .values(ssh_host_key=bindparam("b_key")), pins)
