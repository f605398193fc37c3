"""Every parsed command-line value checked against its bounds before a command runs.

One table for the whole command line, keyed by the option's destination name:
ids and counts in their real ranges, numbers finite, days within the years a
branch can mean, text no longer than the column it goes to. A value with no
entry still gets the defaults (an integer that PostgreSQL's ``integer`` holds,
a finite float, text of at most :data:`~lobby.validation.TEXT_MAX` characters
without control characters), so no value reaches the database or the engine
unchecked. Where the engine checks a value's real range itself (a counter that
exists, an audit page of at most 500 rows), the default keeps its message.
Refusals name the option as it is typed.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from lobby.models import Appointment, Complaint, Counter, Event, Service, Staff
from lobby.validation import (
    INT32_MAX,
    INT64_MAX,
    SCANNED_MAX,
    TEXT_MAX,
    check_day,
    check_float,
    check_int,
    check_text,
    column_length,
)


@dataclass(frozen=True)
class Int:
    """An integer from ``low`` to ``high``."""

    low: int = 0
    high: int = INT32_MAX


@dataclass(frozen=True)
class Float:
    """A finite number from ``low`` (excluded when ``above``) to ``high``."""

    low: float
    high: float
    above: bool = False


@dataclass(frozen=True)
class Text:
    """Text of at most ``length`` characters; ``multiline`` allows newlines and tabs."""

    length: int = TEXT_MAX
    multiline: bool = False


@dataclass(frozen=True)
class Day:
    """A day or a moment (given as a date, a datetime or ISO text) within the window."""


Rule = Int | Float | Text | Day


def _sized(column: Any) -> Text:
    length = column_length(column)
    assert length is not None, column
    return Text(length)


FREE_TEXT = Text(TEXT_MAX, multiline=True)
TICKET = Text(SCANNED_MAX)
PATH = Text(4096)

RULES: dict[str, Rule] = {
    # ids and counts
    "after": Int(0, INT64_MAX),
    "before_id": Int(0, INT64_MAX),
    "history_days": Int(0, 366),
    "score": Int(1, 5),
    "seed": Int(0, 2**32 - 1),
    "seeds": Int(1, 100),
    "weeks": Int(1, 52),
    "answer_days": Int(1, 365),
    "paper_width": Int(58, 80),
    # numbers
    "seconds": Float(0, 7 * 86_400),
    "speed": Float(0, 10_000, above=True),
    "target_wait_min": Float(0, 1440, above=True),
    "level": Float(0, 1, above=True),
    "grace": Float(0, 1440),
    "head_start": Float(-1440, 1440),
    # days and moments
    "day": Day(),
    "from_day": Day(),
    "to_day": Day(),
    "at": Day(),
    "since": Day(),
    "until": Day(),
    # text sized to its column
    "staff": _sized(Staff.code),
    "assign": _sized(Staff.code),
    "assignee": _sized(Staff.code),
    "actor": _sized(Event.actor),
    "kind": _sized(Event.kind),
    "service": _sized(Service.code),
    "to_service": _sized(Service.code),
    "category": _sized(Complaint.category),
    "phone": _sized(Appointment.phone),
    "contact": _sized(Complaint.contact),
    "customer": _sized(Appointment.customer),
    "code": _sized(Appointment.code),
    "reference": _sized(Complaint.reference),
    "ticket": TICKET,
    "number": TICKET,
    "name": _sized(Counter.name_en),
    "pin": Text(64),
    # free text and addresses
    "note": FREE_TEXT,
    "description": FREE_TEXT,
    "resolution": FREE_TEXT,
    "comment": FREE_TEXT,
    "reason": FREE_TEXT,
    "follow_up": FREE_TEXT,
    "text": Text(200),
    "db": Text(2000),
    "printer": Text(500),
    "scenario": PATH,
}
#: Values the command line sets itself, never typed.
_INTERNAL = {"handler", "command", "json"}


def check_arguments(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Check every value in ``args`` against :data:`RULES` (or the defaults).

    Raises:
        InvalidInput: The first value out of bounds, naming its option.
    """
    names = _option_names(parser, args)
    for dest, value in vars(args).items():
        if dest in _INTERNAL or callable(value) or value is None:
            continue
        name = names.get(dest, "--" + dest.replace("_", "-"))
        _check(name, RULES.get(dest), value)


def _check(name: str, rule: Rule | None, value: Any) -> None:
    if isinstance(value, list | tuple):
        for item in value:
            _check(name, rule, item)
    elif isinstance(value, bool):
        return
    elif isinstance(value, int):
        bounds = rule if isinstance(rule, Int) else Int(-(2**31), INT32_MAX)
        check_int(name, value, bounds.low, bounds.high)
    elif isinstance(value, float):
        limits = rule if isinstance(rule, Float) else Float(-1e9, 1e9)
        check_float(name, value, limits.low, limits.high, above=limits.above)
    elif isinstance(value, datetime | date):
        check_day(name, value)
    elif isinstance(value, Path):
        check_text(name, str(value), PATH.length)
    elif isinstance(value, str):
        text = rule if isinstance(rule, Text) else Text(TEXT_MAX, multiline=True)
        check_text(name, value, text.length, multiline=text.multiline)
        if isinstance(rule, Day):
            _check_day_text(name, value)


def _check_day_text(name: str, value: str) -> None:
    for parse in (date.fromisoformat, datetime.fromisoformat):
        try:
            moment: date = parse(value)
        except ValueError:
            continue
        check_day(name, moment)
        return


def _option_names(parser: argparse.ArgumentParser, args: argparse.Namespace) -> dict[str, str]:
    """``dest -> how it is typed`` for the (sub)commands that ``args`` ran."""
    names: dict[str, str] = {}
    todo = [parser]
    while todo:
        current = todo.pop()
        for action in current._actions:
            if isinstance(action, argparse._SubParsersAction):
                chosen = getattr(args, action.dest, None)
                if chosen in action.choices:
                    todo.append(action.choices[chosen])
                continue
            long = [o for o in action.option_strings if o.startswith("--")]
            names.setdefault(
                action.dest, long[0] if long else (_metavar(action) or action.dest.upper())
            )
    return names


def _metavar(action: argparse.Action) -> str | None:
    metavar: Callable[..., Any] | str | tuple[str, ...] | None = action.metavar
    return metavar if isinstance(metavar, str) else None
