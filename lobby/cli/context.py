"""What every CLI command gets: the opened database, the actor and the output mode."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from lobby.db import Database, UnitOfWork, default_actor
from lobby.schema import require_current_schema
from lobby.settings import Settings


@dataclass
class CliContext:
    """The composition root of one CLI invocation."""

    settings: Settings
    db_url: str
    as_json: bool
    actor: str
    _db: Database | None = field(default=None, repr=False)

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> CliContext:
        """Build the context from parsed arguments and the ``LOBBY_`` environment."""
        settings = Settings.load()
        return cls(
            settings=settings,
            db_url=args.db or settings.db,
            as_json=bool(args.json),
            actor=getattr(args, "staff", None) or default_actor(),
        )

    def database(self, *, must_exist: bool = True) -> Database:
        """Open the database once; refuse a missing schema unless creating it."""
        if self._db is None:
            self._db = Database.open(
                self.db_url,
                clock=self.settings.clock(),
                synchronous=self.settings.sqlite_synchronous,
                create=not must_exist,
                busy_deadline_s=self.settings.busy_deadline_s,
            )
            if must_exist:
                require_current_schema(self._db)
        return self._db

    @contextmanager
    def unit_of_work(self) -> Iterator[UnitOfWork]:
        """One action, journalled under this invocation's actor."""
        with self.database().unit_of_work(self.actor) as uow:
            yield uow

    def emit(self, data: Any, text: str) -> None:
        """Print ``data`` as JSON or ``text`` for people."""
        if self.as_json:
            print(json.dumps(data, ensure_ascii=False, sort_keys=True), flush=True)
        else:
            print(text, flush=True)

    def close(self) -> None:
        """Release the database connections."""
        if self._db is not None:
            self._db.dispose()
