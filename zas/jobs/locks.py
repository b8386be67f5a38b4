"""One SSH session per device at a time, across threads (embedded) or worker processes (Redis)."""
from __future__ import annotations

import threading
import time
from contextlib import contextmanager

from zas.errors import DeviceBusy


class LocalLocks:
    """Per-device locks inside one process (the embedded default runs every job here)."""

    def __init__(self):
        self._guard = threading.Lock()
        self._locks: dict[int, threading.Lock] = {}

    def acquire(self, device_id: int, wait: float) -> threading.Lock:
        """Take the device's lock (any thread may release it: the job's recorder does)."""
        with self._guard:
            lock = self._locks.setdefault(device_id, threading.Lock())
        if not lock.acquire(timeout=wait):
            raise DeviceBusy(f"another job kept this device busy for more than {wait:g}s")
        return lock

    def release(self, lock: threading.Lock) -> None:
        lock.release()

    @contextmanager
    def hold(self, device_id: int, wait: float):
        lock = self.acquire(device_id, wait)
        try:
            yield lock
        finally:
            self.release(lock)

    def extend(self, held) -> None:
        """Local locks do not expire."""


class RedisLocks:
    """Per-device locks in Redis that expire unless extended, so a killed worker frees its devices."""

    def __init__(self, client, ttl: float):
        self.client, self.ttl = client, ttl

    def acquire(self, device_id: int, wait: float):
        # thread_local=False: the job's recorder thread releases what a device thread took
        lock = self.client.lock(f"zas:device-lock:{device_id}", timeout=self.ttl, blocking_timeout=wait,
                                sleep=0.05, thread_local=False)
        if not lock.acquire():
            raise DeviceBusy(f"another job kept this device busy for more than {wait:g}s")
        return lock

    def release(self, lock) -> None:
        try:
            lock.release()
        except Exception:  # expired already (a very long step); the next holder is fine
            pass

    @contextmanager
    def hold(self, device_id: int, wait: float):
        lock = self.acquire(device_id, wait)
        try:
            yield lock
        finally:
            self.release(lock)

    def extend(self, held) -> None:
        for lock in held:
            try:
                lock.reacquire()
            except Exception:  # lost it: the step still finishes; the lock was advisory from here
                pass


def wait_backoff(attempt: int) -> None:
    time.sleep(min(0.05 * 2 ** attempt, 1.0))
