"""The estimate given at issue is kept on the ticket, and later ranges learn from it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from lobby import engine
from lobby.db import Database
from lobby.estimate import estimate_wait, live_snapshot
from lobby.estimate.calibration import ROUGH_BELOW, Calibration, Residual
from lobby.models import Ticket
from lobby.views import TicketView
from tests.helpers import ManualClock, actor


def issue(db: Database) -> TicketView:
    with db.unit_of_work(actor("G01")) as uow:
        return engine.issue_ticket(uow, "cash")


def only_counter_one_open(db: Database) -> None:
    with db.unit_of_work(actor("M01")) as uow:
        for number in range(2, 9):
            engine.set_counter_status(uow, number, "closed")


def test_the_estimate_at_issue_is_stored_on_the_ticket(db: Database, clock: ManualClock) -> None:
    only_counter_one_open(db)
    first, second, third = (issue(db) for _ in range(3))
    with db.read() as session:
        stored = dict(session.execute(select(Ticket.id, Ticket.estimate_min)).all())
        now_third = estimate_wait(session, third.id)
    assert stored[first.id] is not None
    assert stored[first.id] >= 0
    assert stored[first.id] < stored[second.id] < stored[third.id]
    # nothing issued since: the estimate now is the one given at issue
    assert now_third.model_min == pytest.approx(stored[third.id], abs=0.01)


def test_ranges_learn_from_the_waits_that_followed(db: Database, clock: ManualClock) -> None:
    only_counter_one_open(db)
    issue(db)
    with db.read() as session:
        before = estimate_wait(session, issue(db).id)
    assert before.rough  # nothing to check a range against yet
    # every customer takes twice the configured 5 minutes: waits run over the estimates
    for _ in range(ROUGH_BELOW + 5):
        issue(db)
        issue(db)
        with db.unit_of_work(actor("T01")) as uow:
            engine.call_next(uow, 1)
        clock.advance(minutes=10)
        with db.unit_of_work(actor("T01")) as uow:
            engine.finish(uow, 1)
    with db.read() as session:
        snapshot = live_snapshot(session, clock.now())
        rows = session.execute(
            select(Ticket.service_id, Ticket.estimate_min, Ticket.queued_at, Ticket.called_at)
            .where(Ticket.called_at.is_not(None))
            .order_by(Ticket.called_at)
        ).all()
        waiting = session.execute(
            select(Ticket.service_id, Ticket.estimate_min, Ticket.queued_at).where(
                Ticket.called_at.is_(None)
            )
        ).all()
    now = clock.now()
    overruns = [
        Residual(r.service_id, r.estimate_min, (now - r.queued_at).total_seconds() / 60)
        for r in waiting
        if (now - r.queued_at).total_seconds() / 60 > r.estimate_min
    ]
    assert overruns  # the line grew: some waiting tickets are past their estimate already
    assert snapshot.calibration is not None
    # a residual per call, and the misses known among those still waiting
    assert len(rows) == ROUGH_BELOW + 5
    assert len(snapshot.calibration) == len(rows) + len(overruns)
    told = Calibration(
        Residual(r.service_id, r.estimate_min, (r.called_at - r.queued_at).total_seconds() / 60)
        for r in rows
    ).with_overruns(overruns)
    for model_min in (2.0, 8.0, 15.0, 30.0, 60.0):
        assert snapshot.calibration.band(1, model_min, 0.8 * model_min, 1.2 * model_min) == (
            told.band(1, model_min, 0.8 * model_min, 1.2 * model_min)
        )
    # every customer took twice the configured time: the waits ran past the estimates
    assert all(
        (r.called_at - r.queued_at).total_seconds() / 60 > r.estimate_min for r in rows[-10:]
    )
