"""Test doubles and small helpers shared by the test suite."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import create_engine, select, text

from lobby.access import DeviceKey, SessionToken

if TYPE_CHECKING:
    from lobby.db import Database

#: 10:00 in Shanghai on a Monday: the branch is open.
BRANCH_MORNING = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


class ManualClock:
    """A clock that moves only when told to."""

    def __init__(self, start: datetime = BRANCH_MORNING) -> None:
        self.current = start

    def now(self) -> datetime:
        return self.current

    def advance(self, minutes: float = 0, seconds: float = 0) -> datetime:
        self.current += timedelta(minutes=minutes, seconds=seconds)
        return self.current


def environment_at(clock: ManualClock) -> dict[str, str]:
    """This process's environment with ``LOBBY_NOW`` at ``clock``'s time.

    A process started with it (a CLI run, a worker) issues and reads on the test's
    business day, not the wall clock's, which differs after midnight in the branch.
    """
    return {**os.environ, "LOBBY_NOW": clock.now().isoformat()}


#: The sample branch's PINs (resources/branches/sample.toml).
SAMPLE_PINS = {"T01": "1111", "T02": "2222", "T03": "3333", "G01": "2468", "M01": "9999"}


def test_token(code: str) -> str:
    """The session token the test databases hold for sample staff member ``code``."""
    return f"test-session-{code}"


def actor(code: str) -> SessionToken:
    """A signed-in sample staff member: ``db.unit_of_work(actor("T01"))``.

    Every test database (copied from the session's template) holds a long session for
    each sample member, made by :func:`open_test_sessions`; each unit of work checks it
    like any other session (a disabled member is refused).
    """
    return SessionToken(test_token(code), code)


#: Devices every test database has enrolled (role rating_pad), with known keys; each
#: ``pad-N`` and ``rating-counter-N`` is bound to counter N (where the branch has one).
TEST_DEVICES = tuple(f"{kind}-{n}" for kind in ("pad", "rating-counter") for n in range(1, 9))


def device(code: str) -> DeviceKey:
    """An enrolled test device's key: ``db.unit_of_work(device("pad-1"))``."""
    return DeviceKey(code, f"test-device-{code}")


def enrol_test_devices(db: Database) -> None:
    """Enrol :data:`TEST_DEVICES` in ``db`` with the keys :func:`device` gives."""
    from lobby.access import token_hash
    from lobby.models import Counter, Device

    with db.transaction() as session:
        counters = {n: i for n, i in session.execute(select(Counter.number, Counter.id))}
        for code in TEST_DEVICES:
            session.add(
                Device(
                    code=code,
                    role="rating_pad",
                    secret_hash=token_hash(device(code).secret),
                    enrolled_by="tests",
                    enrolled_at=db.clock.now(),
                    counter_id=counters.get(int(code.rsplit("-", 1)[1])),
                )
            )


def keep_test_device_keys() -> None:
    """Put the test devices' keys in this user's config dir, where the apps look."""
    from lobby.keyfiles import save_device_key

    for code in TEST_DEVICES:
        save_device_key("test", device(code))


def open_test_sessions(db: Database, only: list[str] | None = None) -> None:
    """Give each staff member of ``db`` (or those in ``only``) a ten-year session."""
    from lobby.access import open_session
    from lobby.models import Staff

    with db.transaction() as session:
        now = db.clock.now()
        members = select(Staff) if only is None else select(Staff).where(Staff.code.in_(only))
        for member in session.scalars(members):
            open_session(
                session,
                member,
                now - timedelta(days=365),
                origin="tests",
                ttl=timedelta(days=3650),
                token=test_token(member.code),
            )


def signed_in(db: Database, code: str, pin: str) -> SessionToken:
    """Sign ``code`` in for real (a member a test added) and return their session."""
    from lobby.staff import sign_in

    view = sign_in(db, code, pin, None, device="tests")
    assert isinstance(view.credential, SessionToken)
    return view.credential


def first_sign_in(db: Database, code: str, pin: str, new_pin: str) -> SessionToken:
    """Sign in a member whose PIN someone else set: choose ``new_pin``, return the session."""
    from lobby.staff import change_pin

    view = change_pin(db, code, pin, new_pin, device="tests")
    assert isinstance(view.credential, SessionToken)
    return view.credential


def as_staff(code: str) -> list[str]:
    """CLI arguments acting as sample member ``code``: ``["--staff", code, "--pin", PIN]``."""
    return ["--staff", code, "--pin", SAMPLE_PINS[code]]


def add_test_staff(
    db: Database, codes: list[str], role: str = "manager", pin: str = "4321"
) -> None:
    """Add staff ``codes`` (e.g. one per worker process), each with a test session."""
    from lobby.models import Staff
    from lobby.security import hash_pin

    stored = hash_pin(pin)
    with db.transaction() as session:
        for code in codes:
            session.add(Staff(code=code, name=code, role=role, pin_hash=stored))
    open_test_sessions(db, only=codes)


#: The triggers that keep a SQLite journal append-only (migration 0008).
SQLITE_JOURNAL_TRIGGERS = ("event_append_only_update", "event_append_only_delete")


def behind_the_engines_back(url: str, sql: str) -> None:
    """Run ``sql`` as someone holding the SQLite file or the PostgreSQL superuser would.

    Such a person gets past the journal's append-only triggers (dropping them on SQLite,
    disabling them for the session on PostgreSQL); only the hash chain still tells.
    """
    plain = create_engine(url)
    try:
        with plain.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SET LOCAL session_replication_role = replica"))
            else:
                for name in SQLITE_JOURNAL_TRIGGERS:
                    conn.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
            conn.execute(text(sql))
    finally:
        plain.dispose()
