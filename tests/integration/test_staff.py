"""Staff sign-in, lockout and the journal of attempts."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from lobby.db import Database
from lobby.errors import AuthenticationFailed
from lobby.models import Event
from lobby.staff import sign_in
from tests.helpers import ManualClock


def journal(db: Database) -> list[str]:
    with db.read() as session:
        return list(session.scalars(select(Event.kind).order_by(Event.id)))


def test_right_pin_signs_in(db: Database) -> None:
    staff = sign_in(db, "t01", "1111", "teller", device="counter-1")
    assert (staff.code, staff.role) == ("T01", "teller")
    assert journal(db)[-1] == "signed_in"


def test_manager_may_use_any_app_but_a_teller_may_not_greet(db: Database) -> None:
    assert sign_in(db, "M01", "9999", "teller", device="counter-1").role == "manager"
    with pytest.raises(AuthenticationFailed, match="T01 is a teller, not a greeter"):
        sign_in(db, "T01", "1111", "greeter", device="tablet")


@pytest.mark.parametrize(("code", "pin"), [("T01", "0000"), ("NOBODY", "1111"), ("T01", "")])
def test_wrong_id_or_pin_is_refused_and_journalled(db: Database, code: str, pin: str) -> None:
    with pytest.raises(AuthenticationFailed, match="wrong staff id or PIN"):
        sign_in(db, code, pin, "teller", device="counter-1")
    assert journal(db)[-1] == "sign_in_failed"


def test_five_failures_lock_for_five_minutes(db: Database, clock: ManualClock) -> None:
    for _ in range(4):
        with pytest.raises(AuthenticationFailed, match="wrong"):
            sign_in(db, "T02", "0000", "teller", device="counter-2")
    with pytest.raises(AuthenticationFailed, match="locked for 5 min"):
        sign_in(db, "T02", "0000", "teller", device="counter-2")
    # even the right PIN is refused while locked
    clock.advance(minutes=4)
    with pytest.raises(AuthenticationFailed, match="locked for 1 more min"):
        sign_in(db, "T02", "2222", "teller", device="counter-2")
    clock.advance(minutes=1, seconds=1)
    assert sign_in(db, "T02", "2222", "teller", device="counter-2").code == "T02"
    assert "staff_locked" in journal(db)


def test_success_resets_the_failure_count(db: Database) -> None:
    for _ in range(4):
        with pytest.raises(AuthenticationFailed):
            sign_in(db, "T03", "0000", "teller", device="counter-3")
    sign_in(db, "T03", "3333", "teller", device="counter-3")
    for _ in range(4):
        with pytest.raises(AuthenticationFailed, match="wrong"):
            sign_in(db, "T03", "0000", "teller", device="counter-3")
