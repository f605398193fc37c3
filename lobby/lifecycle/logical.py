"""A backup made by the engine itself: every table's rows read in one snapshot.

Used for PostgreSQL when ``pg_dump`` is not on the machine. The file is gzipped
JSON lines: a header (format, schema revision, tables in dependency order), then
one line per table with its columns and rows. Tables are found by reflection, so a
file written by an older schema restores into that schema, which the migrations
then upgrade.
"""

from __future__ import annotations

import base64
import gzip
import json
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, MetaData, Table, func, insert, select, text

FORMAT = "lobby-logical-1"
_BATCH = 2000


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, date):
        return {"$d": value.isoformat()}
    if isinstance(value, time):
        return {"$t": value.isoformat()}
    if isinstance(value, bytes | memoryview):
        return {"$b": base64.b64encode(bytes(value)).decode("ascii")}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and len(value) == 1:
        ((tag, raw),) = value.items()
        if tag == "$dt":
            return datetime.fromisoformat(raw)
        if tag == "$d":
            return date.fromisoformat(raw)
        if tag == "$t":
            return time.fromisoformat(raw)
        if tag == "$b":
            return base64.b64decode(raw)
    return value


def _tables(conn: Connection) -> list[Table]:
    metadata = MetaData()
    metadata.reflect(conn)
    return list(metadata.sorted_tables)


def export_rows(conn: Connection, revision: str, path: Path) -> dict[str, int]:
    """Write every table of ``conn``'s database to ``path``; the caller holds the snapshot.

    Returns:
        Rows written per table.
    """
    tables = _tables(conn)
    counts: dict[str, int] = {}
    with gzip.open(path, "wt", encoding="utf-8") as out:
        header = {"format": FORMAT, "revision": revision, "tables": [t.name for t in tables]}
        out.write(json.dumps(header) + "\n")
        for table in tables:
            columns = [c.name for c in table.columns]
            order = list(table.primary_key.columns) or list(table.columns)
            rows = [
                [_encode(v) for v in row] for row in conn.execute(select(table).order_by(*order))
            ]
            counts[table.name] = len(rows)
            out.write(json.dumps({"table": table.name, "columns": columns, "rows": rows}) + "\n")
    return counts


def read_header(path: Path) -> dict[str, Any]:
    """The header line of a logical backup."""
    with gzip.open(path, "rt", encoding="utf-8") as source:
        header: dict[str, Any] = json.loads(source.readline())
    if header.get("format") != FORMAT:
        raise ValueError(f"not a Lobby logical backup: {path.name}")
    return header


def _sections(path: Path) -> Iterator[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as source:
        source.readline()
        for line in source:
            yield json.loads(line)


def import_rows(conn: Connection, path: Path) -> dict[str, int]:
    """Insert a logical backup's rows into ``conn``'s (empty, migrated) tables.

    PostgreSQL's id sequences are moved past the restored ids.

    Returns:
        Rows inserted per table.
    """
    tables = {t.name: t for t in _tables(conn)}
    counts: dict[str, int] = {}
    for section in _sections(path):
        table = tables[section["table"]]
        if section["table"] in ("alembic_version", "journal_head"):  # one row, made by migrating
            conn.execute(table.delete())
        columns = section["columns"]
        rows = [dict(zip(columns, map(_decode, row), strict=True)) for row in section["rows"]]
        for start in range(0, len(rows), _BATCH):
            conn.execute(insert(table), rows[start : start + _BATCH])
        counts[table.name] = len(rows)
        if conn.dialect.name == "postgresql" and rows:
            _advance_sequences(conn, table)
    return counts


def _advance_sequences(conn: Connection, table: Table) -> None:
    for column in table.primary_key.columns:
        sequence = conn.scalar(
            text("SELECT pg_get_serial_sequence(:table, :column)"),
            {"table": table.name, "column": column.name},
        )
        if sequence:
            highest = conn.scalar(select(func.max(column)))
            conn.execute(text("SELECT setval(:seq, :value)"), {"seq": sequence, "value": highest})
