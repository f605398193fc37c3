"""Wait estimates, the manager's outlook and advice from history, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import random
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from lobby import engine
from lobby.cli.main import main
from lobby.db import Database
from lobby.errors import InvalidInput
from lobby.estimate import estimate_wait, live_snapshot
from lobby.estimate.replay import IDLE_REACTION_MIN
from lobby.estimate.snapshot import PRIOR_TICKETS
from lobby.models import Service, Ticket, Visit
from lobby.queries.queues import queue_outlook
from lobby.staffing import advise_from_history
from lobby.views import TicketView
from tests.helpers import ManualClock, actor

CASH_MEAN = 5.0  # sample.toml


def issue(db: Database, service: str = "cash", **options: object) -> TicketView:
    with db.unit_of_work(actor("G01")) as uow:
        return engine.issue_ticket(uow, service, **options)  # type: ignore[arg-type]


def only_counter_one_open(db: Database) -> None:
    with db.unit_of_work(actor("M01")) as uow:
        for number in range(2, 9):
            engine.set_counter_status(uow, number, "closed")


def test_tickets_ahead_under_the_routing_rule(db: Database, clock: ManualClock) -> None:
    only_counter_one_open(db)
    views = [issue(db) for _ in range(3)]
    clock.advance(minutes=1)
    elderly = issue(db, category="elderly")
    with db.read() as session:
        third = estimate_wait(session, views[2].id)
        first = estimate_wait(session, views[0].id)
        priority = estimate_wait(session, elderly.id)
    # the elderly customer's head start puts them first, even ahead of the first cash
    # ticket; the third cash ticket waits for three customers of 5 minutes each. The
    # open counter has left tickets waiting, so it gets a minute to react first.
    assert (priority.ahead, priority.expected_min) == (0, IDLE_REACTION_MIN)
    assert (first.ahead, first.expected_min) == (1, IDLE_REACTION_MIN + CASH_MEAN)
    assert third.ahead == 3
    assert third.expected_min == pytest.approx(IDLE_REACTION_MIN + 3 * CASH_MEAN)
    assert third.low_min <= third.expected_min <= third.high_min


def test_recent_service_times_move_the_estimate(db: Database, clock: ManualClock) -> None:
    only_counter_one_open(db)
    for _ in range(6):
        issue(db)
        with db.unit_of_work(actor("T01")) as uow:
            engine.call_next(uow, 1)
        clock.advance(minutes=1)
        with db.unit_of_work(actor("T01")) as uow:
            engine.finish(uow, 1)
    waiting = [issue(db) for _ in range(3)]
    with db.read() as session:
        estimate = estimate_wait(session, waiting[2].id)
    # six one-minute services pull the mean from 5 toward 1, against the configured
    # mean's weight of PRIOR_TICKETS finishes
    mean = (6 * 1 + PRIOR_TICKETS * CASH_MEAN) / (6 + PRIOR_TICKETS)
    assert mean < CASH_MEAN - 1
    assert estimate.expected_min == pytest.approx(IDLE_REACTION_MIN + 2 * mean)


def test_a_ticket_that_is_not_waiting_has_no_wait(db: Database) -> None:
    view = issue(db)
    with db.unit_of_work(actor("T01")) as uow:
        engine.call_next(uow, 1)
    with db.read() as session:
        assert estimate_wait(session, view.id).high_min == 0


def test_board_and_outlook_predict_a_new_arrival(db: Database, clock: ManualClock) -> None:
    only_counter_one_open(db)
    for _ in range(4):
        issue(db)
    clock.advance(minutes=3)
    now = clock.now()
    with db.read() as session:
        outlook = {o.service: o for o in queue_outlook(session, now)}
        codes = session.scalars(select(Service.code).where(Service.active)).all()
    assert set(outlook) == set(codes)
    cash = outlook["cash"]
    assert cash.waiting == 4
    assert cash.longest_wait_min == pytest.approx(3.0)
    assert cash.predicted_wait_min == pytest.approx(IDLE_REACTION_MIN + 4 * CASH_MEAN)
    assert cash.heading_past_target  # 21 min ahead of a 15 min target
    assert cash.counters_open == 1
    assert cash.wait_low_min <= 21 <= cash.wait_high_min
    assert not outlook["vip"].heading_past_target or outlook["vip"].counters_open == 0


def seed_history(db: Database, days: list[date], per_day: int = 80) -> None:
    """Tickets as a branch would leave them: cash and account, 09:00-12:00 Shanghai."""
    rng = random.Random(5)
    with db.transaction() as session:
        services = {s.code: s.id for s in session.scalars(select(Service))}
        for day in days:
            opening = datetime(day.year, day.month, day.day, 1, 0, tzinfo=UTC)  # 09:00 +08
            for i in range(per_day):
                code = "cash" if i % 4 else "account"
                issued = opening + timedelta(minutes=rng.uniform(0, 180))
                called = issued + timedelta(minutes=rng.uniform(0, 10))
                ended = called + timedelta(
                    minutes=rng.expovariate(1 / (4 if code == "cash" else 9))
                )
                visit = Visit(business_day=day, created_at=issued, created_by="G01", need=code)
                session.add(visit)
                session.flush()
                session.add(
                    Ticket(
                        visit_id=visit.id,
                        service_id=services[code],
                        business_day=day,
                        number=f"H{i:03d}",
                        hop=0,
                        state="done",
                        category="elderly" if i % 5 == 0 else "regular",
                        issued_at=issued,
                        queued_at=issued,
                        called_at=called,
                        started_at=called,
                        ended_at=ended,
                    )
                )


def test_advice_from_history(db: Database, clock: ManualClock) -> None:
    tomorrow = date(2026, 11, 24)  # the clock stands on Monday 23 November
    seed_history(db, [tomorrow - timedelta(weeks=k) for k in (1, 2, 3)])
    with db.read() as session:
        advice = advise_from_history(session, now=clock.now(), target_wait_min=10, seeds=2)
    assert "3 Tuesdays before 2026-11-24" in advice.scenario
    assert [h.hour for h in advice.hours] == ["09:00", "10:00", "11:00"]
    assert sum(h.visits for h in advice.hours) == pytest.approx(80)
    assert advice.met
    for hour in advice.hours:
        assert hour.counters >= 1
        assert hour.service_level is None or hour.service_level >= 0.8
        assert hour.by_profile["cash"] + hour.by_profile["account"] >= 1


def test_advice_without_history_is_a_clear_error(db: Database, clock: ManualClock) -> None:
    with db.read() as session, pytest.raises(InvalidInput, match="no tickets on"):
        advise_from_history(session, date(2026, 12, 7), now=clock.now(), weeks=2)
    with db.read() as session, pytest.raises(InvalidInput, match="weeks must be"):
        advise_from_history(session, now=clock.now(), weeks=0)


def test_cli_advise_from_history(
    db: Database, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    seed_history(db, [date(2026, 11, 16)], per_day=40)
    argv = ["advise", "--from-history", "--day", "2026-11-23", "--db", db_url, "--seeds", "1"]
    assert main([*argv, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["hours"][0]["hour"] == "09:00"
    assert main([*argv[:-2], "--weeks", "1", "--day", "2027-01-04"]) == 2
    assert "no tickets on 2026-12-28" in capsys.readouterr().err


def test_the_coming_hours_are_learnt_from_the_same_weekday(
    db: Database, clock: ManualClock
) -> None:
    # the clock stands on Monday 10:00; two past Mondays had customers 09:00-12:00
    seed_history(db, [date(2026, 11, 16), date(2026, 11, 9)])
    with db.read() as session:
        cash = session.scalar(select(Service.id).where(Service.code == "cash"))
        assert cash is not None
        rates = live_snapshot(session, clock.now()).services[cash]
        quiet = live_snapshot(session, clock.now(), history_weeks=0).services[cash]
    # 60 cash customers in 180 minutes a day: a third a minute until noon, then none
    assert all(0.1 < rate < 0.7 for rate in rates.expected_per_min[:4])
    assert rates.expected_per_min[4:] == (0.0,) * 4
    assert 0.1 < rates.expected_recent_per_min < 0.7
    assert quiet.expected_per_min == ()
