"""A text dump of a whole database, to prove that a refused command wrote nothing."""

from __future__ import annotations

import sqlite3

from sqlalchemy import MetaData, create_engine, select
from sqlalchemy.engine import make_url


def dump(url: str) -> str:
    """Every table's schema and rows, in a stable order.

    SQLite: ``iterdump()`` (schema, every row, every index: what ``.dump`` prints).
    PostgreSQL: each table's rows in primary-key order, as text.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        connection = sqlite3.connect(f"file:{parsed.database}?mode=ro", uri=True)
        try:
            return "\n".join(connection.iterdump())
        finally:
            connection.close()
    engine = create_engine(url)
    meta = MetaData()
    meta.reflect(engine)
    lines: list[str] = []
    with engine.connect() as conn:
        for table in meta.sorted_tables:
            lines.append(f"-- {table.name}")
            order = list(table.primary_key.columns) or list(table.columns)
            lines += [repr(tuple(row)) for row in conn.execute(select(table).order_by(*order))]
    engine.dispose()
    return "\n".join(lines)
