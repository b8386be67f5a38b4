"""Failed-login throttling per username and per client address.

Counts live in Redis when ZAS_REDIS_URL is set (shared by every web process), otherwise in
this process's memory (the embedded default runs one process).
"""
from __future__ import annotations

import threading
import time


class MemoryCounter:
    """Expiring counters in a dict, for the single-process embedded default."""

    def __init__(self):
        self._lock = threading.Lock()
        self._data: dict[str, tuple[int, float]] = {}

    def incr(self, key: str, ttl: int) -> int:
        now = time.monotonic()
        with self._lock:
            count, expires = self._data.get(key, (0, 0.0))
            if expires < now:
                count = 0
            count += 1
            self._data[key] = (count, now + ttl)
            return count

    def get(self, key: str) -> int:
        with self._lock:
            count, expires = self._data.get(key, (0, 0.0))
            return count if expires >= time.monotonic() else 0

    def delete(self, key: str) -> None:
        with self._lock:
            self._data.pop(key, None)


class RedisCounter:
    """The same counters in Redis, shared across web processes."""

    def __init__(self, client):
        self._r = client

    def incr(self, key: str, ttl: int) -> int:
        pipe = self._r.pipeline()
        pipe.incr(key)
        pipe.expire(key, ttl)
        return int(pipe.execute()[0])

    def get(self, key: str) -> int:
        return int(self._r.get(key) or 0)

    def delete(self, key: str) -> None:
        self._r.delete(key)


class LoginThrottle:
    """After `limit` failures for a user or an address, refuse attempts for `window` seconds."""

    def __init__(self, counter, limit: int, window: int):
        self.counter, self.limit, self.window = counter, limit, window

    @staticmethod
    def _keys(username: str, address: str) -> list[str]:
        return [f"zas:login:user:{username.lower()}", f"zas:login:addr:{address}"]

    def blocked(self, username: str, address: str) -> bool:
        # the address limit is looser: several people may share a NAT
        user_key, addr_key = self._keys(username, address)
        return self.counter.get(user_key) >= self.limit or self.counter.get(addr_key) >= self.limit * 4

    def failed(self, username: str, address: str) -> None:
        for key in self._keys(username, address):
            self.counter.incr(key, self.window)

    def succeeded(self, username: str, address: str) -> None:
        self.counter.delete(self._keys(username, address)[0])
