"""Staff sign-in, lockout and the journal of attempts."""

from __future__ import annotations

import statistics
import threading
import time

import pytest
from sqlalchemy import select

from lobby.db import Database
from lobby.errors import AuthenticationFailed, InvalidInput
from lobby.models import Event
from lobby.security import hash_pin, verify_pin
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


@pytest.mark.parametrize("pin", ["١٢٣٤", "１２３４", "123456789", "12a4", "12 34"])
def test_a_pin_is_four_to_eight_ascii_digits(pin: str) -> None:
    with pytest.raises(InvalidInput, match="at least 4 digits and at most 8, 0-9 only"):
        hash_pin(pin)
    assert verify_pin(hash_pin("12345678"), "12345678")


def test_parallel_guesses_cost_one_attempt_each_and_the_lock_holds(db: Database) -> None:
    guesses = ["0000"] * 15 + ["2222"]
    start = threading.Barrier(len(guesses))
    results: list[str] = []

    def guess(pin: str) -> None:
        start.wait()
        try:
            sign_in(db, "T02", pin, "teller", device="counter-2")
        except AuthenticationFailed as exc:
            results.append(f"{pin} refused: {exc}")
        else:
            results.append(f"{pin} signed in")

    threads = [threading.Thread(target=guess, args=(pin,)) for pin in guesses]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 16
    assert "2222 signed in" not in results
    with pytest.raises(AuthenticationFailed, match="locked"):
        sign_in(db, "T02", "2222", "teller", device="counter-2")
    kinds = journal(db)
    assert "staff_locked" in kinds
    assert "signed_in" not in kinds


def test_an_unknown_id_costs_what_a_wrong_pin_costs(db: Database, clock: ManualClock) -> None:
    def timed(code: str) -> tuple[float, str]:
        began = time.perf_counter()
        with pytest.raises(AuthenticationFailed) as refused:
            sign_in(db, code, "0000", "teller", device="counter-2")
        return time.perf_counter() - began, str(refused.value)

    unknown: list[float] = []
    wrong: list[float] = []
    for _ in range(20):  # interleaved, so machine load falls on both alike
        clock.advance(minutes=6)  # past any lock from the last round
        spent, message = timed("T02")
        wrong.append(spent)
        spent_unknown, message_unknown = timed("T99")
        unknown.append(spent_unknown)
        if "locked" not in message:
            assert message_unknown == message == "wrong staff id or PIN"
    ratio = statistics.median(unknown) / statistics.median(wrong)
    print(f"unknown id / wrong PIN time: {ratio:.2f}")
    assert 1 / 1.5 < ratio < 1.5
