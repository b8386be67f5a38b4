"""Logging guards: secrets never reach a log line, even through a careless `%r`."""
from __future__ import annotations

import logging
import re

# what a device secret looks like when it leaks through a formatted message or a URL
_PATTERNS = [
    re.compile(r"(?i)(password|passwd|secret|community|auth_key|priv_key|private_key|token)(['\"]?\s*[:=]\s*['\"]?)([^\s'\",}]+)"),
    re.compile(r"(?i)(://[^:/@\s]+:)([^@\s]+)(@)"),
]


def redact(text: str) -> str:
    """Mask `password=...`-shaped values and URL passwords in free text."""
    text = _PATTERNS[0].sub(lambda m: m.group(1) + m.group(2) + "********", text)
    return _PATTERNS[1].sub(lambda m: m.group(1) + "********" + m.group(3), text)


class SecretFilter(logging.Filter):
    """Rewrites each record's final message through `redact`."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string is the caller's bug; leave it to logging
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def install() -> None:
    """Redact every log record this process creates, whichever handler later emits it.

    A record factory (not a handler filter) so that handlers added later by gunicorn, RQ or
    netmiko's debug logging are covered too. Idempotent.
    """
    current = logging.getLogRecordFactory()
    if getattr(current, "_zas_redacting", False):
        return

    def factory(*args, **kwargs):
        record = current(*args, **kwargs)
        SecretFilter().filter(record)
        return record

    factory._zas_redacting = True
    logging.setLogRecordFactory(factory)
