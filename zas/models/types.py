"""Column types shared by the models: UTC timestamps and encrypted secrets."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import DateTime, Text
from sqlalchemy.dialects import mysql
from sqlalchemy.types import TypeDecorator

from zas.crypto import Secret, vault


def utcnow() -> datetime:
    """Naive UTC: MariaDB DATETIME has no zone, so every timestamp is stored as UTC."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


# microseconds on MariaDB too (DATETIME defaults to whole seconds there)
UtcDateTime = DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")


class EncryptedText(TypeDecorator):
    """Fernet ciphertext in the database, a `Secret` in Python; empty strings are stored as NULL."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if isinstance(value, Secret):
            if value._token is not None and value._value is None:
                return value._token
            value = value.reveal()
        if value == "":
            return None
        return vault.encrypt(value)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return Secret(token=value)
