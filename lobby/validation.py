"""Bounds that every input meets before it is used, and how a refused value is shown.

One place for what the edges (command line, branch and scenario files, the apps'
forms and scanners) check: numbers finite and within the range the columns hold
on both backends, dates within the years a branch can mean, strings no longer
than their column and free of control characters, TOML nested no deeper than a
configuration needs. A refused value is echoed cut short, with its control
characters escaped, so that one bad argument never floods or rewrites a terminal.
"""

from __future__ import annotations

import math
import tomllib
from datetime import date, datetime
from typing import Any

from sqlalchemy import String, event, inspect
from sqlalchemy.orm import Session
from sqlalchemy.schema import Column

from lobby.errors import ConfigError, InvalidInput
from lobby.quoting import MESSAGE_MAX as MESSAGE_MAX
from lobby.quoting import SHOWN_MAX as SHOWN_MAX
from lobby.quoting import escaped as escaped
from lobby.quoting import one_line as one_line
from lobby.quoting import printable as _printable
from lobby.quoting import shown as shown
from lobby.quoting import undecodable as undecodable
from lobby.quoting import unicode_escape as _escape

#: PostgreSQL ``integer`` (and any id column on SQLite, which holds 64 bits).
INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1
INT64_MAX = 2**63 - 1
#: Business days and moments a branch can mean.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)
#: Free text (notes, descriptions) has no column limit; this is the edge's.
TEXT_MAX = 2000
#: A typed or scanned ticket number or code (a QR code holds ``A012:XWGRCTCT``).
SCANNED_MAX = 64
#: Deepest nesting a branch or scenario file needs (tables of tables of lists).
TOML_MAX_DEPTH = 8

_ALLOWED_CONTROLS = {"\t", "\n", "\r"}


def check_text(name: str, value: str, max_length: int = TEXT_MAX, *, multiline: bool = True) -> str:
    """Refuse undecodable, control-character or too long text.

    Tabs and line ends pass in ``multiline`` text.

    Raises:
        InvalidInput: Naming ``name`` and showing the value cut short.
    """
    if undecodable(value):
        raise InvalidInput(f"{name} is not valid UTF-8 text: {shown(value)}")
    allowed = _ALLOWED_CONTROLS if multiline else set()
    bad = next((c for c in value if not _printable(c) and c not in allowed), None)
    if bad is not None:
        raise InvalidInput(f"{name} may not contain the control character {_escape(bad)}")
    if len(value) > max_length:
        raise InvalidInput(
            f"{name} is too long ({len(value)} characters; at most {max_length}): {shown(value)}"
        )
    return value


def check_int(name: str, value: int, low: int = INT32_MIN, high: int = INT32_MAX) -> int:
    """Refuse an integer outside ``low..high``."""
    if not low <= value <= high:
        raise InvalidInput(f"{name} must be from {low} to {high}, not {shown(value, 24)}")
    return value


def check_float(
    name: str, value: float, low: float = -1e9, high: float = 1e9, *, above: bool = False
) -> float:
    """Refuse ``nan``, infinities and numbers outside ``low..high`` (or ``low`` itself)."""
    if not math.isfinite(value):
        raise InvalidInput(f"{name} must be a finite number, not {value}")
    if value < low or value > high or (above and value == low):
        bound = f"more than {low:g} and at most" if above else f"from {low:g} to"
        raise InvalidInput(f"{name} must be {bound} {high:g}, not {value:g}")
    return value


def check_day(name: str, value: date) -> date:
    """Refuse a day (or moment) outside :data:`FIRST_DAY` .. :data:`LAST_DAY`."""
    day = value.date() if isinstance(value, datetime) else value
    if not FIRST_DAY <= day <= LAST_DAY:
        raise InvalidInput(f"{name} must be between {FIRST_DAY} and {LAST_DAY}, not {value}")
    return value


def column_length(column: Any) -> int | None:
    """The declared length of a string column (an ORM attribute or a ``Column``)."""
    column_type = getattr(column, "type", None)
    return column_type.length if isinstance(column_type, String) else None


def toml_depth(data: object) -> int:
    """How deeply tables and arrays nest in parsed TOML (a scalar is 0)."""
    depth, level, todo = 0, 0, [(data, 0)]
    while todo:
        item, level = todo.pop()
        if isinstance(item, dict):
            todo += [(v, level + 1) for v in item.values()]
        elif isinstance(item, list):
            todo += [(v, level + 1) for v in item]
        else:
            continue
        depth = max(depth, level + 1)
    return depth


def load_toml(text: str, source: str) -> dict[str, Any]:
    """Parse TOML text, refusing nesting deeper than :data:`TOML_MAX_DEPTH`.

    Raises:
        ConfigError: Not TOML, or nested too deeply; the message names ``source``.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: not valid TOML: {exc}") from exc
    except RecursionError:  # the parser recurses once per level of nesting
        data = None
    if data is None or toml_depth(data) > TOML_MAX_DEPTH:
        raise ConfigError(f"{source}: nested more than {TOML_MAX_DEPTH} levels deep")
    return data


def check_row_lengths(session: Session) -> None:
    """Refuse any new or changed row whose text does not fit its column.

    SQLite stores any length; PostgreSQL refuses the whole transaction. Checked
    here, both behave alike and the message names the table and column.

    Raises:
        InvalidInput: The first value found too long or with control characters.
    """
    for row in (*session.new, *session.dirty):
        table = getattr(row, "__table__", None)
        if table is None:
            continue
        loaded = inspect(row).dict  # only what was set or read: nothing is loaded here
        for column in table.columns:
            value = loaded.get(column.key)
            if isinstance(value, str):
                _check_column_value(table.name, column, value)


def _check_column_value(table: str, column: Column[Any], value: str) -> None:
    length = column_length(column)
    if "\x00" in value or undecodable(value):
        raise InvalidInput(f"{table}.{column.key}: not valid text: {shown(value)}")
    if length is not None and len(value) > length:
        raise InvalidInput(
            f"{table}.{column.key} is too long ({len(value)} characters; at most {length}): "
            f"{shown(value)}"
        )


def install_row_checks(sessions: Any) -> None:
    """Check every flush of ``sessions`` (a ``sessionmaker``) with :func:`check_row_lengths`."""

    @event.listens_for(sessions, "before_flush")
    def _before_flush(session: Session, _context: object, _instances: object) -> None:
        check_row_lengths(session)
