"""The hub predicts once per journal move that changes a queue, for every page at once."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import httpx

from lobby import engine
from lobby.db import Database
from lobby.web.app import WebOptions, create_app
from lobby.web.hub import Hub
from tests.helpers import actor
from tests.web.conftest import WEB_KEY, enrol_web
from tests.web.server import serve_in_thread

SCANS = 12


def until(condition: Callable[[], bool], timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "the hub did not catch up"
        time.sleep(0.01)


def settled(hub: Hub) -> bool:
    return not (hub.estimating or hub._slow_due.is_set())


async def load_all(base: str, codes: list[str]) -> list[str]:
    async with httpx.AsyncClient(timeout=60) as client:
        responses = await asyncio.gather(*(client.get(f"{base}/t/{c}?lang=en") for c in codes))
    assert [r.status_code for r in responses] == [200] * len(codes)
    return [r.text for r in responses]


def test_new_tickets_pages_share_one_prediction(db: Database) -> None:
    with db.unit_of_work(actor("M01")) as uow:
        engine.set_counter_status(uow, 1, "open")
        engine.issue_ticket(uow, "cash")
    app = create_app(db, WebOptions(credential=enrol_web(db), requests_per_min=10_000))
    hub = app.state.pages.hub
    with serve_in_thread(db, app=app) as base:
        until(lambda: settled(hub))
        before = hub.predictions
        with db.unit_of_work(actor("G01")) as uow:  # printed a moment ago, scanned at once
            views = [engine.issue_ticket(uow, "cash") for _ in range(SCANS)]
        pages = asyncio.run(load_all(base, [v.code for v in views]))
        for number, page in enumerate(pages, start=1):
            assert f"{number} ahead of you" in page  # each with its estimate
        assert 1 <= hub.predictions - before <= 2  # the issue's read, perhaps one more

        until(lambda: settled(hub))
        quiet = hub.predictions
        with db.unit_of_work(WEB_KEY) as uow:  # moves no queue depends on
            for view in views:
                engine.on_the_way(uow, view.number)
        last = views[-1].number
        until(lambda: hub.snapshot is not None and hub.snapshot.status.tickets[last].on_the_way)
        assert hub.predictions == quiet

        with db.unit_of_work(actor("T01")) as uow:  # a call moves the queue: one more
            engine.call_next(uow, 1)
        first = views[0].number
        # the read's snapshot reaches the pages through the event loop, a moment after
        # the read itself is counted: wait for what the pages see
        until(lambda: hub.snapshot is not None and hub.snapshot.status.tickets[first].ahead == 0)
        assert hub.predictions > quiet
