"""Free-text filters shared by every list: one definition of "contains"."""
from __future__ import annotations

from sqlalchemy import or_


def contains(column, text: str):
    """`column` contains `text`, case-insensitively, with `%` and `_` taken literally.

    Plain LIKE: MariaDB's utf8mb4 collation and SQLite both compare case-insensitively, and
    ILIKE would wrap every row's value in LOWER().
    """
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.like(f"%{escaped}%", escape="\\")


def any_contains(columns, text: str):
    """At least one of `columns` contains `text`."""
    return or_(*(contains(column, text) for column in columns))
