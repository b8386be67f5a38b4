"""Many single-row UPDATEs as few executemany statements: what the job recorder and the bulk
backup path write per group of devices, without an ORM object per row."""
from __future__ import annotations

from sqlalchemy import Table, bindparam, update

from zas.extensions import db


def update_by_id(table: Table, rows: list[dict]) -> int:
    """UPDATE `table` SET <row's columns> WHERE id = row["id"], for each row; rows that set the
    same columns share one executemany. Returns how many rows matched."""
    by_shape: dict[tuple[str, ...], list[dict]] = {}
    for row in rows:
        shape = tuple(sorted(k for k in row if k != "id"))
        if shape:
            by_shape.setdefault(shape, []).append({f"b_{k}": v for k, v in row.items()})
    matched = 0
    for shape, params in by_shape.items():
        statement = (update(table).where(table.c.id == bindparam("b_id"))
                     .values({column: bindparam(f"b_{column}") for column in shape}))
        matched += db.session.execute(statement, params).rowcount
    return matched
