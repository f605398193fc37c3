"""A teller in another process, for the display latency benchmark.

Usage: ``python -m tests.bench.caller URL 1,2,3`` (counters that serve cash).
Reads one line per call from stdin (``call``), issues and calls a ticket, and prints
``NUMBER MONOTONIC_NS`` taken right after the commit; ``quit`` ends it.
CLOCK_MONOTONIC is one clock for every process on the machine. Tickets are stamped
with ``LOBBY_NOW`` when it is set (the display's own clock), else the wall clock.
"""

from __future__ import annotations

import sys
import time

from lobby import engine
from lobby.db import Database
from lobby.settings import Settings
from tests.helpers import actor


def main(url: str, counters: list[int]) -> None:
    db = Database.open(url, clock=Settings().clock())
    for turn, line in enumerate(sys.stdin):
        if line.strip() != "call":
            break
        counter = counters[turn % len(counters)]
        with db.unit_of_work(actor("G01")) as uow:
            engine.issue_ticket(uow, "cash")
        if turn >= len(counters):  # the counter still holds its previous call
            with db.unit_of_work(actor("T01")) as uow:
                engine.finish(uow, counter)
        with db.unit_of_work(actor("T01")) as uow:
            number = engine.call_next(uow, counter).number
        print(number, time.monotonic_ns(), flush=True)
    db.dispose()


if __name__ == "__main__":
    main(sys.argv[1], [int(n) for n in sys.argv[2].split(",")])
