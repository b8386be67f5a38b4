"""The login decision shared by the sign-in page and the token endpoint: throttling, checking, auditing."""
from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from zas.extensions import db
from zas.models import User
from zas.models.types import utcnow
from zas.services import audit
from zas.services.throttle import LoginThrottle, MemoryCounter, RedisCounter

GENERIC_FAILURE = "Invalid username or password."
THROTTLED = "Too many failed sign-ins; try again in a few minutes."
# verifying against a real hash when the user does not exist keeps the timing the same
_DUMMY_HASH = None


def throttle() -> LoginThrottle:
    ext = current_app.extensions
    if "zas_throttle" not in ext:
        redis_url = current_app.config.get("REDIS_URL")
        if redis_url:
            from redis import Redis

            counter = RedisCounter(Redis.from_url(redis_url, socket_timeout=2))
        else:
            counter = MemoryCounter()
        ext["zas_throttle"] = LoginThrottle(
            counter, int(current_app.config["LOGIN_MAX_FAILURES"]), int(current_app.config["LOGIN_LOCKOUT_SECONDS"])
        )
    return ext["zas_throttle"]


def attempt_login(username: str, password: str, address: str) -> tuple[User | None, str | None]:
    """Check a username and password; returns (user, None) or (None, a message that reveals nothing).

    Commits: the attempt's audit record must survive whatever the caller does next.
    """
    global _DUMMY_HASH
    limiter = throttle()
    username = (username or "").strip()
    if limiter.blocked(username, address):
        audit.record("login.throttled", actor_name=username[:64], ip=address)
        db.session.commit()
        return None, THROTTLED
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        if _DUMMY_HASH is None:
            from werkzeug.security import generate_password_hash

            _DUMMY_HASH = generate_password_hash("not-a-password")
        from werkzeug.security import check_password_hash

        check_password_hash(_DUMMY_HASH, password or "")
        ok = False
    else:
        ok = user.check_password(password or "") and user.is_active
    if not ok:
        limiter.failed(username, address)
        audit.record("login.failure", actor=user, actor_name=username[:64], ip=address)
        db.session.commit()
        return None, GENERIC_FAILURE
    limiter.succeeded(username, address)
    user.last_login_at = utcnow()
    audit.record("login.success", actor=user, ip=address)
    db.session.commit()
    return user, None
