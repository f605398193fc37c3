"""Database engines, connection pragmas, schema migrations and units of work.

SQLite needs ``BEGIN IMMEDIATE`` so that two claimers never both read the same
waiting ticket: the write lock is taken when the transaction starts, not when it
first writes. PostgreSQL uses row locks and serialises journal appends with an
advisory lock, so event ids become visible in the order they were assigned.
"""

from __future__ import annotations

import getpass
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeAlias, TypeVar

from sqlalchemy import (
    Connection,
    Engine,
    create_engine,
    event,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DataError, DBAPIError, OperationalError
from sqlalchemy.orm import Session, SessionTransaction, sessionmaker

from lobby.access import Credential, Op, Principal, authenticate
from lobby.busy import BusyPolicy, BusyWait
from lobby.clock import Clock, SystemClock, business_day
from lobby.errors import DatabaseUnavailable, InvalidInput, PermissionDenied, first_line
from lobby.journal import chain_head, event_digest
from lobby.models import Branch, Event, JournalHead
from lobby.storage_faults import is_busy, name_fault
from lobby.validation import install_row_checks
from lobby.vocabulary import EventKind
from lobby.writer_gate import STARVING_AFTER_S, WriterGate

#: Channel the PostgreSQL engine notifies on in the transaction that appends events.
NOTIFY_CHANNEL = "lobby_events"
_JOURNAL_LOCK = 0x10BB7  # advisory lock key serialising journal appends on PostgreSQL
READ_ONLY = "lobby_read_only"  # execution option: a SQLite transaction that only reads

#: What :meth:`Database.read` yields; the apps pass it on to the query functions.
ReadSession: TypeAlias = Session
T = TypeVar("T")


def default_actor() -> str:
    """Return the operating-system user, the actor when no staff id is given."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry, e.g. in some containers
        return f"uid{os.getuid()}" if hasattr(os, "getuid") else "unknown"


def make_engine(
    url: str, *, synchronous: str = "NORMAL", busy_timeout_ms: int = 2_000, create: bool = True
) -> Engine:
    """Build a SQLAlchemy engine for ``url`` with Lobby's connection settings.

    Args:
        url: Any SQLAlchemy URL; ``sqlite:///PATH`` and ``postgresql+psycopg://...``
            are the supported ones.
        synchronous: SQLite ``synchronous`` pragma (``NORMAL`` or ``FULL``).
        busy_timeout_ms: How long SQLite itself waits for the lock on each attempt
            (the unit of work retries until its deadline, see :mod:`lobby.busy`).
        create: Create a missing SQLite file (and its directory); when False, a
            missing file is refused, so that a read-only command never makes one.

    Raises:
        InvalidInput: The URL cannot be parsed or names an unsupported backend.
        DatabaseUnavailable: The SQLite file is missing (``create=False``) or its
            directory cannot be made.
    """
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise InvalidInput(f"not a database URL: {url!r}") from exc
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            _prepare_sqlite_file(Path(parsed.database).expanduser(), create)
        engine = create_engine(parsed, connect_args={"timeout": busy_timeout_ms / 1000})
        if parsed.database and parsed.database != ":memory:":
            path = Path(parsed.database).expanduser()
            # created at the first connection, as SQLite would, but for the owner only
            event.listen(engine, "do_connect", lambda *_: create_private_file(path))
        _install_sqlite_pragmas(engine, synchronous, busy_timeout_ms)
        return engine
    if parsed.get_backend_name() == "postgresql":
        return create_engine(parsed, pool_pre_ping=True)
    raise InvalidInput(
        f"unsupported database {parsed.get_backend_name()!r}: use sqlite or postgresql"
    )


def _prepare_sqlite_file(path: Path, create: bool) -> None:
    if not create:
        if not path.is_file():
            raise DatabaseUnavailable(f"no Lobby database at {path}: run `lobby init` first")
        return
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        reason = (exc.strerror or str(exc)).lower()
        raise DatabaseUnavailable(
            f"cannot create the database directory {path.parent}: {reason}"
        ) from exc


def create_private_file(path: Path) -> None:
    """Create a new database file (and its directory) for its owner only (0600, 0700).

    The file holds phone numbers and PIN hashes; SQLite gives its WAL and shared-memory
    files the mode of the database file. An existing file is left as it is (see
    :func:`exposed_file_warning`).
    """
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not path.exists():
        with suppress(FileExistsError):  # another process created it first
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def exposed_file_warning(url: str) -> str | None:
    """A warning when the SQLite file at ``url`` can be read by other users, else ``None``."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return None
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    path = Path(parsed.database).expanduser()
    try:
        mode = path.stat().st_mode & 0o777
    except OSError:
        return None
    if mode & 0o007:
        return (
            f"warning: {path} can be read by every user (mode {mode:04o}); it holds phone "
            f"numbers and PIN hashes: chmod 600 {path}"
        )
    return None


def _install_sqlite_pragmas(engine: Engine, synchronous: str, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        # Let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite would defer it).
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # Readers must not take the write lock; every writer takes it up front.
        read_only = conn.get_execution_options().get(READ_ONLY, False)
        conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


@dataclass
class PendingEvent:
    """A journal entry recorded during a unit of work, written when it commits."""

    kind: EventKind
    ticket_id: int | None
    counter_id: int | None
    payload: dict[str, Any]


class UnitOfWork:
    """One user action: one short transaction with its time, actor and journal entries.

    Attributes:
        session: The ORM session of this transaction.
        now: The moment the action happened (one value for the whole action).
        principal: Who acts, as authenticated in this transaction (see :mod:`lobby.access`).
        actor: The journal's name for them: a staff id, a device id or the system's origin.
        authorised: The operations :func:`lobby.access.authorise` allowed in this unit of
            work; the journal writes nothing for one that authorised none.
    """

    def __init__(
        self, session: Session, now: datetime, principal: Principal, branch: Branch
    ) -> None:
        self.session = session
        self.now = now
        self.principal = principal
        self.actor = principal.code
        self.branch = branch
        self.pending: list[PendingEvent] = []
        self.authorised: set[Op] = set()

    @property
    def today(self) -> Any:
        """The branch's business day at :attr:`now`."""
        return business_day(self.now, self.branch.timezone)

    def record(
        self,
        kind: EventKind,
        *,
        ticket_id: int | None = None,
        counter_id: int | None = None,
        payload: dict[str, Any] | None = None,
    ) -> None:
        """Queue a journal entry; it is written in this transaction, just before commit."""
        self.pending.append(PendingEvent(kind, ticket_id, counter_id, payload or {}))


class Database:
    """The shared store of one branch: an engine, a clock and the units of work on them."""

    def __init__(
        self, engine: Engine, clock: Clock | None = None, busy: BusyPolicy | None = None
    ) -> None:
        self.engine = engine
        self.clock: Clock = clock or SystemClock()
        self.busy = busy or BusyPolicy()
        self._gate = _writer_gate(engine)
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        install_row_checks(self._sessions)
        self._read_sessions = sessionmaker(
            engine.execution_options(**{READ_ONLY: True}), expire_on_commit=False
        )

    @classmethod
    def open(
        cls,
        url: str,
        clock: Clock | None = None,
        *,
        busy_deadline_s: float = 30.0,
        **engine_options: Any,
    ) -> Database:
        """Open the database at ``url`` (see :func:`make_engine`).

        Args:
            url: The database URL.
            clock: Where the time of each action comes from.
            busy_deadline_s: How long a writer retries a busy SQLite database.
            **engine_options: Passed to :func:`make_engine`.
        """
        return cls(make_engine(url, **engine_options), clock, BusyPolicy(busy_deadline_s))

    @property
    def is_postgresql(self) -> bool:
        """Whether the backend is PostgreSQL."""
        return self.engine.dialect.name == "postgresql"

    @property
    def is_sqlite(self) -> bool:
        """Whether the backend is SQLite."""
        return self.engine.dialect.name == "sqlite"

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only session (rolled back at the end; never takes SQLite's write lock)."""
        with translate_errors(self.engine.url), self._read_sessions() as session:
            try:
                yield session
            finally:
                session.rollback()

    @contextmanager
    def unit_of_work(self, credential: Credential) -> Iterator[UnitOfWork]:
        """Run one action in one transaction; commit on success, roll back on any error.

        A busy SQLite is waited for at the start only (see :meth:`transaction`); use
        :meth:`run` to have the whole action done again when SQLite is busy later,
        at a statement or at ``COMMIT``.

        Args:
            credential: Who acts: a staff session, a checked PIN, an enrolled device's
                key, or the system; checked here, in the same transaction.

        Raises:
            AuthenticationFailed: The credential does not hold (expired session, disabled
                member, withdrawn device); nothing is written.
        """
        with self._unit_of_work(credential, self._pauses()) as uow:
            yield uow

    def run(self, credential: Credential, work: Callable[[UnitOfWork], T]) -> T:
        """Do ``work`` in one unit of work, all of it again while SQLite is busy.

        SQLite can answer "database is locked" not only when the write lock is taken
        (``BEGIN IMMEDIATE``) but also at ``COMMIT`` or at a statement in between: a
        file that cannot use WAL (some network shares) needs every reader gone to
        commit. Each time, the transaction is rolled back whole and ``work`` runs
        again from the start after a jittered pause, until the deadline of
        :attr:`busy`. ``work`` must therefore only touch the database through its
        unit of work (the engine's operations do), never print or send meanwhile.

        Args:
            credential: Who acts (see :meth:`unit_of_work`).
            work: The action; its result is returned once the transaction committed.

        Raises:
            DatabaseUnavailable: Still busy at the deadline (exit code 4).
        """
        pauses = self._pauses()
        while True:
            try:
                with self._unit_of_work(credential, pauses) as uow:
                    return work(uow)
            except DatabaseUnavailable as exc:
                cause = exc.__cause__
                if pauses is None or not (isinstance(cause, DBAPIError) and is_busy(cause)):
                    raise
                time.sleep(next(pauses))

    @contextmanager
    def _unit_of_work(
        self, credential: Credential, pauses: BusyWait | None
    ) -> Iterator[UnitOfWork]:
        with self._transaction(pauses) as session:
            branch = session.get(Branch, 1)
            if branch is None:
                raise DatabaseUnavailable("the database has no branch yet: run `lobby init` first")
            now = self.clock.now()
            uow = UnitOfWork(session, now, authenticate(session, credential, now), branch)
            yield uow
            self.write_journal(uow)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A bare write transaction; prefer :meth:`unit_of_work`, which also journals.

        On SQLite the write lock is taken first (``BEGIN IMMEDIATE``); while another
        writer holds it, the transaction is begun again after a jittered pause (see
        :mod:`lobby.busy`), so the work inside always starts from the beginning.
        """
        with self._transaction(self._pauses()) as session:
            yield session

    def _pauses(self) -> BusyWait | None:
        """The busy back-off of one action (one deadline for all its attempts)."""
        return self.busy.pauses() if self.is_sqlite else None

    @contextmanager
    def _transaction(self, pauses: BusyWait | None) -> Iterator[Session]:
        with translate_errors(self.engine.url):
            session, transaction, gate = self._begin_writing(pauses)
            try:
                with session, transaction:
                    yield session
            finally:
                WriterGate.reopen(gate)

    def _begin_writing(
        self, pauses: BusyWait | None
    ) -> tuple[Session, SessionTransaction, int | None]:
        gate: int | None = None
        while True:
            if pauses is not None and self._gate is not None and gate is None:
                if pauses.waited >= STARVING_AFTER_S:  # waited long: the others wait now
                    gate = self._gate.close_behind(pauses.deadline)
                else:
                    self._gate.pass_through(pauses.deadline)
            session = self._sessions()
            transaction = session.begin()
            try:
                session.connection()  # SQLite: BEGIN IMMEDIATE, the write lock or busy
                return session, transaction, gate
            except OperationalError as exc:
                session.close()
                if pauses is None or not is_busy(exc):
                    WriterGate.reopen(gate)
                    raise
                try:
                    time.sleep(next(pauses))
                except DatabaseUnavailable:
                    WriterGate.reopen(gate)
                    raise

    def write_journal(self, uow: UnitOfWork) -> None:
        """Append the unit of work's pending events; call last, just before commit.

        Raises:
            PermissionDenied: The unit of work changed something without authorising any
                operation (a write path that skipped :func:`lobby.access.authorise`).
        """
        if not uow.pending:
            return
        if not uow.authorised:
            raise PermissionDenied(
                f"{uow.actor} changed the branch without an operation allowed to its role"
            )
        if self.is_postgresql:
            uow.session.execute(select_advisory_lock())
        uow.session.flush()  # rows the events refer to must exist first
        prev = chain_head(uow.session)  # appends are serialised: nobody chains in between
        rows = []
        for p in uow.pending:
            digest = event_digest(
                prev, uow.now, str(p.kind), p.ticket_id, p.counter_id, uow.actor, p.payload
            )
            rows.append(
                {
                    "at": uow.now,
                    "kind": str(p.kind),
                    "ticket_id": p.ticket_id,
                    "counter_id": p.counter_id,
                    "actor": uow.actor,
                    "payload": p.payload,
                    "prev_hash": prev,
                    "hash": digest,
                }
            )
            prev = digest
        uow.session.execute(insert(Event), rows)
        # the head, apart from the events: deleting the newest ones leaves it pointing past them
        newest = uow.session.scalar(select(func.max(Event.id)))
        uow.session.execute(
            update(JournalHead)
            .where(JournalHead.id == 1)
            .values(last_id=newest, last_hash=prev, events=JournalHead.events + len(rows))
        )
        if self.is_postgresql:
            # listeners re-read the journal after their last id; the payload is a hint only
            uow.session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": NOTIFY_CHANNEL})

    def branch_timezone(self) -> str:
        """Return the branch's time zone name."""
        with self.read() as session:
            tz = session.scalar(select(Branch.timezone).where(Branch.id == 1))
        if tz is None:
            raise DatabaseUnavailable("the database has no branch yet: run `lobby init` first")
        return tz


def _writer_gate(engine: Engine) -> WriterGate | None:
    """The gate of a SQLite file (see :mod:`lobby.writer_gate`); None for other databases."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        return None
    return WriterGate(Path(database).expanduser())


def select_advisory_lock() -> Any:
    """The statement that serialises journal appends on PostgreSQL until commit."""
    return text("SELECT pg_advisory_xact_lock(:key)").bindparams(key=_JOURNAL_LOCK)


@contextmanager
def translate_errors(url: URL | None = None) -> Iterator[None]:
    """Turn driver failures into known errors naming the file or server of ``url``.

    Damaged file, full disk, unreachable server, locked file: see
    :mod:`lobby.storage_faults`.
    """
    try:
        yield
    except DBAPIError as exc:
        named = name_fault(exc, url)
        if named is not None:
            raise named from exc
        if isinstance(exc, OperationalError):
            raise DatabaseUnavailable(f"database error: {first_line(exc.orig)}") from exc
        if isinstance(exc, DataError):  # a value the column cannot hold, had the edge let it by
            message = f"a value does not fit the database: {first_line(exc.orig)}"
            raise InvalidInput(message) from exc
        if exc.connection_invalidated:
            raise DatabaseUnavailable(f"database connection lost: {first_line(exc.orig)}") from exc
        raise
