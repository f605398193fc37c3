"""What the phones' wait estimates cost ``lobby web`` with 500 tickets waiting.

* Twenty customers scan their just-printed tickets at once: every page load waits
  for the one shared estimates read instead of predicting for itself. The baseline
  is one estimates read (:func:`lobby.queries.ticket_status.hall_outlook`: every
  waiting ticket and the board's queues) measured in the same run; the page loads
  may take at most a few of them, and the hub counts its predictions.
* Journal moves no queue depends on (customers saying they are on their way) cost no
  prediction at all.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from typing import Any

import httpx
import pytest

from lobby import engine
from lobby.db import Database
from lobby.queries.ticket_status import hall_outlook
from lobby.web.app import WebOptions, create_app
from tests.helpers import actor
from tests.web.conftest import WEB_KEY, enrol_web
from tests.web.server import serve_in_thread

pytestmark = pytest.mark.slow
WAITING = 500
SCANS = 20
#: Twenty page loads of new tickets may take at most this many predictions' time.
SCANS_TO_PREDICTION = 4.0


def timed(action: Any, rounds: int = 3) -> float:
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


async def load_all(base: str, codes: list[str]) -> list[str]:
    async with httpx.AsyncClient(timeout=120) as client:
        responses = await asyncio.gather(*(client.get(f"{base}/t/{c}?lang=en") for c in codes))
    assert all(r.status_code == 200 for r in responses)
    return [r.text for r in responses]


def wait_for(condition: Any, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "the hub did not catch up"
        time.sleep(0.01)


def test_estimates_shared_by_every_page(benchmark: Any, db: Database) -> None:
    with db.unit_of_work(actor("M01")) as uow:
        engine.set_counter_status(uow, 1, "open")
        for _ in range(WAITING):
            engine.issue_ticket(uow, "cash")
    now = db.clock.now()
    with db.read() as session:
        shared = timed(lambda: hall_outlook(session, now))
        assert len(hall_outlook(session, now).tickets) == WAITING

    app = create_app(db, WebOptions(credential=enrol_web(db), requests_per_min=100_000))
    hub = app.state.pages.hub
    with serve_in_thread(db, app=app) as base:
        with db.unit_of_work(actor("G01")) as uow:  # customers scan their new tickets
            views = [engine.issue_ticket(uow, "cash") for _ in range(SCANS)]
        before = hub.predictions
        started = time.perf_counter()
        pages = benchmark.pedantic(
            lambda: asyncio.run(load_all(base, [v.code for v in views])), rounds=1, iterations=1
        )
        scans = time.perf_counter() - started
        scan_predictions = hub.predictions - before
        estimated = sum("ahead of you" in page for page in pages)  # each with its estimate

        wait_for(lambda: not (hub.estimating or hub._slow_due.is_set()))  # all read
        quiet = hub.predictions
        with db.unit_of_work(WEB_KEY) as uow:  # moves no queue depends on
            for view in views:
                engine.on_the_way(uow, view.number)
        last = views[-1].number
        wait_for(lambda: hub.snapshot is not None and hub.snapshot.status.tickets[last].on_the_way)
        quiet_predictions = hub.predictions - quiet
    benchmark.extra_info.update(
        {
            "waiting": WAITING,
            "shared_s": shared,
            "scans": SCANS,
            "scans_s": scans,
            "scan_predictions": scan_predictions,
            "on_the_way_predictions": quiet_predictions,
        }
    )
    print(
        f"\n{WAITING} waiting: one estimates read (tickets and board) {shared * 1000:.0f} ms\n"
        f"{SCANS} new tickets' pages at once: {scans * 1000:.0f} ms, "
        f"{scan_predictions} prediction(s) ({scans / shared:.1f} x one), "
        f"{estimated} with their estimate\n"
        f"{SCANS} customers on their way: {quiet_predictions} prediction(s)"
    )
    assert estimated == SCANS
    assert scans / shared <= SCANS_TO_PREDICTION
    assert scan_predictions <= 3
    assert quiet_predictions == 0
