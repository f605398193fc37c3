"""Pads bound to their counter, heartbeats of pads and consoles, a lapsed counter."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from lobby import engine
from lobby.access import DeviceKey
from lobby.cli.main import main
from lobby.db import Database
from lobby.engine.occupancy import console_heartbeat, holder_of, require_holder, sign_in_at_counter
from lobby.engine.presence import PadStatus, pad_presence
from lobby.engine.rating_pad import pad_heartbeat, pad_started, pad_stopped
from lobby.enrolment import enrol_device, withdraw_device
from lobby.errors import (
    AuthenticationFailed,
    CounterLost,
    CounterOccupied,
    InvalidInput,
    PermissionDenied,
)
from lobby.models import Counter, Event, Rating, Ticket
from lobby.queries.counter_view import counter_overview
from lobby.queries.floor import floor_view
from tests.helpers import SAMPLE_PINS, ManualClock, actor, as_staff, device


def serve(db: Database, counter: int, teller: str = "T01") -> str:
    """Issue a ticket and serve it to the end at ``counter``; its number."""
    with db.unit_of_work(actor("G01")) as uow:
        number = engine.issue_ticket(uow, "cash").number
    with db.unit_of_work(actor(teller)) as uow:
        engine.call_ticket(uow, counter, number)
        engine.finish(uow, counter)
    return number


def rate(db: Database, pad: str, number: str, score: int = 4) -> None:
    with db.unit_of_work(device(pad)) as uow:
        engine.rate_visit(uow, number, score)


def ratings(db: Database) -> list[tuple[str, int]]:
    with db.read() as session:
        rows = session.execute(
            select(Ticket.number, Rating.score).join(Ticket, Rating.ticket_id == Ticket.id)
        )
        return [(n, s) for n, s in rows]


def counter_id(db: Database, number: int) -> int:
    with db.read() as session:
        found = session.scalar(select(Counter.id).where(Counter.number == number))
        assert found is not None
        return found


# the pad is an enrolled device bound to its counter


def test_a_pad_rates_only_the_visit_just_finished_at_its_own_counter(
    db: Database, clock: ManualClock
) -> None:
    at_two = serve(db, 2, "T02")
    with pytest.raises(PermissionDenied, match="only its own counter"):
        rate(db, "pad-1", at_two)  # counter 1's pad, counter 2's customer
    rate(db, "pad-2", at_two, 5)
    first = serve(db, 1)
    second = serve(db, 1)
    with pytest.raises(PermissionDenied, match="not the visit just finished"):
        rate(db, "pad-1", first)  # an earlier customer of the same counter
    clock.advance(minutes=6)
    with pytest.raises(PermissionDenied, match="not the visit just finished"):
        rate(db, "pad-1", second)  # long after the finish
    third = serve(db, 1)
    rate(db, "rating-counter-1", third, 3)  # the console's own panel is bound the same way
    assert sorted(ratings(db)) == sorted([(at_two, 5), (third, 3)])


def test_an_unenrolled_or_withdrawn_pad_is_refused(db: Database) -> None:
    number = serve(db, 1)
    stranger = DeviceKey("pad-1", "not-the-key")
    for key in (DeviceKey("pad-77", "anything"), stranger):
        with pytest.raises(AuthenticationFailed, match="not enrolled"), db.unit_of_work(key) as uow:
            engine.rate_visit(uow, number, 5)
    with db.unit_of_work(actor("M01")) as uow:
        withdraw_device(uow, "pad-1")
    for step in (lambda u: engine.rate_visit(u, number, 5), lambda u: pad_started(u, 1)):
        with (
            pytest.raises(AuthenticationFailed, match="not enrolled"),
            db.unit_of_work(device("pad-1")) as uow,
        ):
            step(uow)
    with db.unit_of_work(actor("M01")) as uow:  # enrolled again: a new key, the old one stays dead
        fresh = enrol_device(uow, "pad-1", "rating_pad", 1)
    with pytest.raises(AuthenticationFailed), db.unit_of_work(device("pad-1")) as uow:
        engine.rate_visit(uow, number, 5)
    with db.unit_of_work(fresh) as uow:
        engine.rate_visit(uow, number, 5)
    assert ratings(db) == [(number, 5)]


def test_a_pad_speaks_only_for_its_own_counter(db: Database) -> None:
    for step in (pad_started, pad_heartbeat, pad_stopped):
        with (
            pytest.raises(PermissionDenied, match="not enrolled for counter 2"),
            db.unit_of_work(device("pad-1")) as uow,
        ):
            step(uow, 2)
    with db.read() as session:
        assert session.scalars(select(Event).where(Event.kind.like("rating_pad%"))).all() == []


def test_enrolling_a_pad_needs_its_counter_and_only_a_pad_has_one(db: Database) -> None:
    cases = [
        (("pad-x", "rating_pad", None), "enrolled for its counter"),
        (("pad-x", "rating_pad", 99), "no counter 99"),
        (("KIOSK9", "kiosk", 1), "only a rating pad"),
    ]
    for (code, role, counter), message in cases:
        with pytest.raises(InvalidInput, match=message), db.unit_of_work(actor("M01")) as uow:
            enrol_device(uow, code, role, counter)
    with db.unit_of_work(actor("M01")) as uow:
        enrol_device(uow, "pad-x", "rating_pad", 3)
    with db.read() as session:
        event = session.scalars(select(Event).where(Event.kind == "device_enrolled")).one()
        assert event.payload == {"device": "pad-x", "role": "rating_pad", "counter": 3}


# heartbeats: a crashed pad is "status unknown", never "online"


def test_a_silent_pad_is_status_unknown_and_a_closed_one_offline(
    db: Database, clock: ManualClock
) -> None:
    one = counter_id(db, 1)

    def status() -> PadStatus | None:
        with db.read() as session:
            pad = pad_presence(session, one, clock.now(), expiry)
            view = counter_overview(session, 1, clock.now())
            floor = {c.number: c for c in floor_view(session, clock.now()).counters}
        assert floor[1].pad == (pad.status if pad else None)
        assert view.rating_pad == (pad is not None and pad.status == PadStatus.ONLINE)
        return pad.status if pad else None

    expiry = timedelta(seconds=30)  # the default pad_expiry_s
    assert status() is None  # no pad ever started here: nothing to say
    with db.unit_of_work(device("pad-1")) as uow:
        pad_started(uow, 1)
    assert status() == PadStatus.ONLINE
    for _ in range(5):  # beating every 10 s keeps it online
        clock.advance(seconds=10)
        with db.unit_of_work(device("pad-1")) as uow:
            pad_heartbeat(uow, 1)
        assert status() == PadStatus.ONLINE
    clock.advance(seconds=30)
    assert status() == PadStatus.ONLINE  # exactly at the expiry
    clock.advance(seconds=1)
    assert status() == PadStatus.UNKNOWN  # crashed or cut off: we do not know which
    with db.read() as session:
        pad = pad_presence(session, one, clock.now(), expiry)
    assert pad is not None
    assert pad.last_seen == clock.now() - timedelta(seconds=31)
    with db.unit_of_work(device("pad-1")) as uow:  # it comes back
        pad_heartbeat(uow, 1)
    assert status() == PadStatus.ONLINE
    with db.unit_of_work(device("pad-1")) as uow:
        pad_stopped(uow, 1)
    assert status() == PadStatus.OFFLINE  # it said so itself
    with db.read() as session:  # heartbeats are not journalled
        kinds = session.scalars(
            select(Event.kind).where(Event.counter_id == one).order_by(Event.id)
        ).all()
    assert kinds == ["rating_pad_online", "rating_pad_offline"]


# a console that stops beating loses its counter to the next teller


def test_a_silent_console_loses_its_counter_to_the_next_teller(
    db: Database, clock: ManualClock
) -> None:
    t01 = sign_in_at_counter(db, "T01", SAMPLE_PINS["T01"], 1)
    assert t01.credential is not None
    with db.unit_of_work(actor("G01")) as uow:
        number = engine.issue_ticket(uow, "cash").number
    with db.unit_of_work(t01.credential) as uow:
        engine.call_next(uow, 1)
    for _ in range(3):  # the console runs and beats: the counter stays T01's
        clock.advance(seconds=10)
        with db.unit_of_work(t01.credential) as uow:
            console_heartbeat(uow, 1)
        with pytest.raises(CounterOccupied, match="signed in by"):
            sign_in_at_counter(db, "T03", SAMPLE_PINS["T03"], 1)
    clock.advance(seconds=60)  # exactly the expiry (console_expiry_s = 60): still held
    with pytest.raises(CounterOccupied):
        sign_in_at_counter(db, "T03", SAMPLE_PINS["T03"], 1)
    with db.read() as session:
        floor = {c.number: c for c in floor_view(session, clock.now()).counters}
        assert (floor[1].staff, floor[1].console_silent) == ("T01", False)
        # "open" in the configuration with nobody signed in is not staffed
        assert floor[1].staffed
        assert (floor[2].status, floor[2].staffed) == ("open", False)
    clock.advance(seconds=1)  # T01's console crashed 61 s ago
    with db.read() as session:
        floor = {c.number: c for c in floor_view(session, clock.now()).counters}
        assert (floor[1].staff, floor[1].console_silent) == ("T01", True)
    t03 = sign_in_at_counter(db, "T03", SAMPLE_PINS["T03"], 1)  # no manager needed
    assert t03.credential is not None
    with db.read() as session:
        holder = holder_of(session, counter_id(db, 1))
        assert holder is not None
        assert holder.code == "T03"
        ticket = session.scalars(select(Ticket).where(Ticket.number == number)).one()
        assert ticket.state == "parked"  # T01's open customer is parked, not lost
        out = session.scalars(select(Event).where(Event.kind == "counter_signed_out")).one()
        assert (out.actor, out.payload["staff"], out.payload["why"]) == ("T03", "T01", "lapsed")
        assert out.payload["parked"] == number
    # the crashed console comes back: its beat and its actions are refused, and say why
    for step in (lambda u: console_heartbeat(u, 1), lambda u: require_holder(u, 1)):
        with (
            pytest.raises(CounterLost, match=r"not heard from for too long; .* \(T03\) is"),
            db.unit_of_work(t01.credential) as uow,
        ):
            step(uow)
    with db.unit_of_work(t03.credential) as uow:
        console_heartbeat(uow, 1)
        engine.resume(uow, 1, number)  # the new teller serves the parked customer
    with db.read() as session:
        assert session.scalars(select(Ticket.staff).where(Ticket.number == number)).one() == "T03"


def test_a_teller_whose_console_fell_silent_may_sign_in_elsewhere(
    db: Database, clock: ManualClock
) -> None:
    sign_in_at_counter(db, "T01", SAMPLE_PINS["T01"], 1)
    with pytest.raises(InvalidInput, match="still signed in at counter 1"):
        sign_in_at_counter(db, "T01", SAMPLE_PINS["T01"], 2)
    clock.advance(seconds=61)
    sign_in_at_counter(db, "T01", SAMPLE_PINS["T01"], 2)
    with db.read() as session:
        assert holder_of(session, counter_id(db, 1)) is None
        moved = holder_of(session, counter_id(db, 2))
        assert moved is not None
        assert moved.code == "T01"


def test_a_console_that_lost_its_counter_to_a_manager_hears_so(db: Database) -> None:
    t01 = sign_in_at_counter(db, "T01", SAMPLE_PINS["T01"], 1)
    assert t01.credential is not None
    sign_in_at_counter(db, "T03", SAMPLE_PINS["T03"], 1, manager="M01", manager_pin="9999")
    with (
        pytest.raises(CounterLost, match="a manager handed it to another teller"),
        db.unit_of_work(t01.credential) as uow,
    ):
        console_heartbeat(uow, 1)


def test_the_command_line_enrols_a_pad_for_its_counter_and_withdraws_it(
    capsys: pytest.CaptureFixture[str], db_url: str, clock: ManualClock, monkeypatch: Any
) -> None:
    monkeypatch.setenv("LOBBY_NOW", clock.now().isoformat())

    def run(*argv: str) -> tuple[int, str]:
        code = main([*argv, "--db", db_url])
        out, err = capsys.readouterr()
        return code, out + err

    code, said = run("device-enrol", "pad-3", "--role", "rating_pad", *as_staff("M01"))
    assert (code, said.strip()) == (
        2,
        "lobby device-enrol: a rating pad is enrolled for its counter: give --counter N",
    )
    code, said = run(
        "device-enrol", "pad-3", "--role", "rating_pad", "--counter", "3", *as_staff("M01")
    )
    assert code == 0
    assert "at counter 3" in said
    assert run("issue", "cash", *as_staff("G01"))[0] == 0
    assert run("call", "--counter", "3", *as_staff("T03"))[0] == 0
    assert run("finish", "--counter", "3", *as_staff("T03"))[0] == 0
    assert run("rate", "--ticket", "A001", "--score", "5")[0] == 0  # as the enrolled pad-3
    assert run("device-withdraw", "pad-3", *as_staff("M01"))[0] == 0
    code, said = run("device-withdraw", "pad-3", *as_staff("M01"))
    assert (code, said.strip()) == (2, "lobby device-withdraw: device pad-3 is already withdrawn")
    assert "Traceback" not in said


def test_the_expiries_come_from_the_branch_policy(db: Database, clock: ManualClock) -> None:
    from lobby.models import Branch

    with db.transaction() as session:
        branch = session.get_one(Branch, 1)
        branch.policy = {**(branch.policy or {}), "console_expiry_s": 300}
    sign_in_at_counter(db, "T01", SAMPLE_PINS["T01"], 1)
    clock.advance(seconds=299)
    with pytest.raises(CounterOccupied):
        sign_in_at_counter(db, "T03", SAMPLE_PINS["T03"], 1)
    clock.advance(seconds=2)
    sign_in_at_counter(db, "T03", SAMPLE_PINS["T03"], 1)
