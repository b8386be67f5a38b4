"""Many rows in few statements: what the job recorder, the bulk backup path and the poll write
per group of devices, without an ORM object per row."""
from __future__ import annotations

import math

from sqlalchemy import Table, bindparam, insert, update

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


INSERT_CHUNK = 2000  # rows per statement: ~200 kB for telemetry rows, far below max_allowed_packet


def insert_rows(table: Table, rows: list[dict]) -> None:
    """INSERT `rows` (dicts with the same keys, plain column types only: numbers, text, times; no
    TypeDecorator) into `table`.

    On MariaDB as multi-row INSERT statements rendered here: numbers and NULL by Python's own
    formatting, anything else by the driver's escape, once per distinct value. A float that is
    not finite is stored as NULL (the database has no inf or NaN). SQLAlchemy's and
    PyMySQL's executemany prepare and escape every value of every row in Python (~1 ms per 49-row
    poll, more than the poll's SNMP parsing); this is ~0.2 ms. Elsewhere, a plain executemany.
    """
    if not rows:
        return
    columns = list(rows[0])
    unknown = [c for c in columns if c not in table.c]
    if unknown:
        raise ValueError(f"{table.name} has no column {unknown[0]!r}")
    connection = db.session.connection()
    if connection.dialect.name not in ("mysql", "mariadb"):
        db.session.execute(insert(table), [{k: None if type(v) is float and not math.isfinite(v) else v
                                            for k, v in row.items()} for row in rows])
        return
    dbapi = connection.connection.dbapi_connection
    escape = dbapi.escape
    rendered: dict = {}

    def literal(value) -> str:
        kind = type(value)
        if value is None:
            return "NULL"
        if kind is int:
            return str(value)
        if kind is float:
            return repr(value) if math.isfinite(value) else "NULL"
        text = rendered.get((kind, value))
        if text is None:
            text = rendered[(kind, value)] = escape(value)
        return text

    head = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES "
    # the session's connection (same transaction), through the driver's cursor: it runs a
    # statement without parameters as is, where SQLAlchemy would %-format it
    cursor = dbapi.cursor()
    try:
        for start in range(0, len(rows), INSERT_CHUNK):
            cursor.execute(head + ",".join("(" + ",".join([literal(row[c]) for c in columns]) + ")"
                                           for row in rows[start:start + INSERT_CHUNK]))
    finally:
        cursor.close()
