"""What every CLI command gets: the opened database, the actor and the output mode."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from lobby.access import Credential, Principal, authenticate
from lobby.db import Database, UnitOfWork, default_actor, exposed_file_warning
from lobby.errors import InvalidInput
from lobby.schema import require_current_schema
from lobby.settings import Settings

T = TypeVar("T")


@dataclass
class CliContext:
    """The composition root of one CLI invocation."""

    settings: Settings
    db_url: str
    as_json: bool
    actor: str
    staff: str | None = None
    warn_exposed: bool = True
    pin: str | None = field(default=None, repr=False)
    _db: Database | None = field(default=None, repr=False)
    _credential: Credential | None = field(default=None, repr=False)

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> CliContext:
        """Build the context from parsed arguments and the ``LOBBY_`` environment."""
        settings = Settings.load()
        return cls(
            settings=settings,
            db_url=args.db or settings.db,
            as_json=bool(args.json),
            actor=default_actor(),
            warn_exposed=getattr(args, "command", None) != "doctor",  # it reports the mode itself
            staff=getattr(args, "staff", None) or os.environ.get("LOBBY_STAFF") or None,
            pin=getattr(args, "pin", None) or os.environ.get("LOBBY_PIN") or None,
        )

    def database(self, *, must_exist: bool = True) -> Database:
        """Open the database once; refuse a missing schema unless creating it."""
        if self._db is None:
            warning = exposed_file_warning(self.db_url) if self.warn_exposed else None
            if warning:
                print(f"lobby: {warning}", file=sys.stderr)
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

    def credential(self) -> Credential:
        """Who this command acts for (checked once; each unit of work checks it again).

        ``--staff ID --pin PIN`` (or ``LOBBY_STAFF``/``LOBBY_PIN``) checks the PIN; a
        staff id alone needs that member's saved session; with neither, the saved
        session or this machine's device key is used.

        Raises:
            InvalidInput: No credential at all, or a staff id without its PIN or session.
            AuthenticationFailed: A wrong PIN, a locked account.
        """
        if self._credential is not None:
            return self._credential
        # imported here: a command that reads only (``lobby board``) never loads them
        from lobby.keyfiles import saved_device_key, saved_session
        from lobby.staff import sign_in

        saved = saved_session(self.db_url)
        if self.staff and self.pin:
            staff = sign_in(
                self.database(),
                self.staff,
                self.pin,
                None,
                device="cli",
                session=False,
                journal_success=False,
            )
            assert staff.credential is not None, "sign_in refuses a PIN that must change"
            self._credential = staff.credential
        elif self.pin:
            raise InvalidInput("--pin needs --staff (or LOBBY_STAFF)")
        elif self.staff:
            if saved is None or saved.staff != self.staff.strip().upper():
                raise InvalidInput(
                    f"--staff {self.staff} needs its PIN (--pin or LOBBY_PIN) or a session "
                    f"made by `lobby sign-in --staff {self.staff}`"
                )
            self._credential = saved.credential
        elif saved is not None:
            self._credential = saved.credential
        elif (device := saved_device_key(self.db_url)) is not None:
            self._credential = device
        else:
            raise InvalidInput(
                "this command needs a signed-in actor: --staff ID --pin PIN "
                "(or LOBBY_STAFF, LOBBY_PIN), or `lobby sign-in` first"
            )
        return self._credential

    def use_credential(self, credential: Credential) -> None:
        """Act with ``credential`` (already checked by the caller) from now on."""
        self._credential = credential

    def principal(self) -> Principal:
        """Who :meth:`credential` stands for, as the database says now."""
        db = self.database()
        with db.read() as session:
            return authenticate(session, self.credential(), db.clock.now())

    @contextmanager
    def unit_of_work(self) -> Iterator[UnitOfWork]:
        """One action, journalled under this invocation's authenticated actor."""
        credential = self.credential()
        with self.database().unit_of_work(credential) as uow:
            yield uow

    def run(self, work: Callable[[UnitOfWork], T]) -> T:
        """Do ``work`` as one action under this invocation's actor, again while SQLite is busy.

        See :meth:`lobby.db.Database.run`: ``work`` only touches the database.
        """
        return self.database().run(self.credential(), work)

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


def credentials(parser: argparse.ArgumentParser) -> None:
    """Add ``--staff`` and ``--pin`` to a command that changes the branch."""
    parser.add_argument("--staff", metavar="ID", help="who acts (or LOBBY_STAFF, or a session)")
    parser.add_argument("--pin", metavar="PIN", help="their PIN (or LOBBY_PIN)")
