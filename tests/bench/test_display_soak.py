"""A busy day on the hall display: does its memory stay flat?

One business day of calls (1,500 customers: issue, call, start, finish) runs through
the engine while the display (Qt offscreen, real window) follows the journal and shows
every call. Resident memory and live Python objects are sampled every 250 calls after a
warm-up; the growth per 1,000 calls is compared with the same day run without a display
in the same process (the baseline: what the engine and the database driver keep).
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from lobby import engine
from lobby.db import Database
from lobby.settings import Settings
from tests.helpers import ManualClock, actor
from ui.common.app import make_app
from ui.display.main import bootstrap

pytestmark = pytest.mark.slow
VISITS = 1_500
WARM_UP = 250
SAMPLE_EVERY = 250
SERVICES = ("cash", "cash", "cash", "account", "enquiry", "wealth")
COUNTERS = {"cash": 1, "account": 4, "enquiry": 2, "wealth": 5}


def rss_kib() -> int:
    """Resident memory of this process in KiB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS in /proc/self/status")


def one_day(db: Database, clock: ManualClock, after_call: Callable[[str], None]) -> dict[str, Any]:
    samples: list[tuple[int, int, int]] = []
    for i in range(VISITS):
        service = SERVICES[i % len(SERVICES)]
        counter = COUNTERS[service]
        clock.advance(seconds=20)
        with db.unit_of_work(actor("G01")) as uow:
            engine.issue_ticket(uow, service)
        with db.unit_of_work(actor("T01")) as uow:
            number = engine.call_next(uow, counter).number
        after_call(number)
        with db.unit_of_work(actor("T01")) as uow:
            engine.start(uow, counter)
            engine.finish(uow, counter)
        if i >= WARM_UP and (i - WARM_UP) % SAMPLE_EVERY == 0:
            gc.collect()
            samples.append((i, rss_kib(), len(gc.get_objects())))
    first, last = samples[0], samples[-1]
    per_1000 = 1000 / (last[0] - first[0])
    return {
        "rss_start_kib": first[1],
        "rss_end_kib": last[1],
        "rss_growth_kib_per_1000_calls": round((last[1] - first[1]) * per_1000),
        "objects_growth_per_1000_calls": round((last[2] - first[2]) * per_1000),
        "samples": samples,
    }


def test_display_memory_over_a_busy_day(
    benchmark: Any,
    qtbot: QtBot,
    db: Database,
    clock: ManualClock,
    capsys: pytest.CaptureFixture[str],
) -> None:
    results: dict[str, dict[str, Any]] = {}

    def run() -> None:
        results["baseline (engine only)"] = one_day(db, clock, lambda number: None)
        clock.advance(minutes=24 * 60)  # the display's day is the next business day
        app = make_app(["soak"])
        app = bootstrap(Settings(), db)
        window, feed, runner = app.window, app.feed, app.runner
        model = window.model
        qtbot.addWidget(window)
        window.resize(1920, 1080)
        window.show()
        shown: set[str] = set()
        model.called.connect(lambda call: shown.add(call.number))
        try:

            def wait_shown(number: str) -> None:
                # a plain event loop: qtbot.waitUntil keeps a little per call, which
                # would be counted as the display's
                deadline = time.monotonic() + 20
                while number not in shown:
                    assert time.monotonic() < deadline, f"{number} never shown"
                    app.processEvents()
                shown.discard(number)

            results["display"] = one_day(db, clock, wait_shown)
        finally:
            feed.stop()
            runner.wait()
            qtbot.waitUntil(lambda: not runner.busy, timeout=20_000)

    benchmark.pedantic(run, rounds=1, iterations=1)
    with capsys.disabled():
        print(f"\n  {VISITS} calls; growth after a {WARM_UP}-call warm-up")
        for label, figures in results.items():
            print(
                f"  {label:24} RSS {figures['rss_start_kib'] / 1024:7.1f} -> "
                f"{figures['rss_end_kib'] / 1024:7.1f} MiB, "
                f"{figures['rss_growth_kib_per_1000_calls']:6d} KiB and "
                f"{figures['objects_growth_per_1000_calls']:6d} objects per 1,000 calls"
            )
    benchmark.extra_info.update(
        {label: {k: v for k, v in f.items() if k != "samples"} for label, f in results.items()}
    )
    display, baseline = results["display"], results["baseline (engine only)"]
    # a leak of even one object per call shows as 1,000 per 1,000 calls
    extra_objects = (
        display["objects_growth_per_1000_calls"] - baseline["objects_growth_per_1000_calls"]
    )
    assert extra_objects < 1_000
