"""Call-to-board and call-to-audio latency, each against a baseline of the same run.

For each backend, 200 calls are made one at a time by a separate OS process; the
display side (this process, Qt offscreen) stamps the moment its ``BoardModel`` emits
the call. The baseline is the bare journal feed (``lobby.feed.Feed.wait`` in a plain
loop, no Qt) on the same database; the display's median must stay within
:data:`DISPLAY_TO_FEED` times it. The call-to-audio median must stay within
:data:`AUDIO_TO_SPEECH` times that of the same announcer asked directly.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from lobby.db import Database
from lobby.feed import Feed, change_detector
from lobby.settings import Settings
from ui.common.app import make_app
from ui.display.main import bootstrap

pytestmark = pytest.mark.slow
CALLS = 200


class Caller:
    """The calling process."""

    def __init__(self, db: Database, url: str, counters: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.bench.caller", url, counters],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            # the display's clock: the same business day at any hour of the wall clock
            env={**os.environ, "LOBBY_NOW": db.clock.now().isoformat()},
        )

    def call(self) -> tuple[str, int]:
        assert self.proc.stdin is not None
        assert self.proc.stdout is not None
        self.proc.stdin.write("call\n")
        self.proc.stdin.flush()
        number, stamp = self.proc.stdout.readline().split()
        return number, int(stamp)

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write("quit\n")
        self.proc.stdin.close()
        self.proc.wait(timeout=30)
        assert self.proc.stdout is not None
        self.proc.stdout.close()


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(samples_ms, n=100, method="inclusive")
    return {
        "p50_ms": round(cuts[49], 2),
        "p95_ms": round(cuts[94], 2),
        "p99_ms": round(cuts[98], 2),
        "max_ms": round(max(samples_ms), 2),
    }


def measure_display(qtbot: QtBot, db: Database, url: str) -> list[float]:
    make_app(["bench"])
    app = bootstrap(Settings(), db)
    window, feed, runner = app.window, app.feed, app.runner
    model = window.model
    qtbot.addWidget(window)  # pytest-qt deletes it: no Qt object is left for interpreter exit
    seen: dict[str, int] = {}
    model.called.connect(lambda call: seen.setdefault(call.number, time.monotonic_ns()))
    caller = Caller(db, url, "4,6")
    latencies = []
    try:
        for _ in range(CALLS):
            number, committed = caller.call()
            qtbot.waitUntil(lambda n=number: n in seen, timeout=10_000)  # type: ignore[misc]
            latencies.append((seen.pop(number) - committed) / 1e6)
    finally:
        caller.close()
        window.close()
        feed.stop()
        runner.wait()
    return latencies


def measure_bare_feed(db: Database, url: str) -> list[float]:
    feed = Feed(db, change_detector(db, 0.02))
    caller = Caller(db, url, "1,2,3")
    latencies = []
    try:
        for _ in range(CALLS):
            number, committed = caller.call()
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                hits = [e for e in feed.wait(1.0) if e.kind == "called" and e.ticket == number]
                if hits:
                    latencies.append((time.monotonic_ns() - committed) / 1e6)
                    break
            else:
                raise AssertionError(f"call {number} never reached the feed")
    finally:
        caller.close()
        feed.close()
    return latencies


def run(benchmark: Any, measure: Callable[[], list[float]], label: str) -> dict[str, float]:
    samples: list[float] = []
    benchmark.pedantic(lambda: samples.extend(measure()), rounds=1, iterations=1)
    figures = percentiles(samples)
    benchmark.extra_info.update({"calls": len(samples), **figures})
    print(f"\n{label}: {figures}")
    return figures


#: The display may take at most this many times the bare feed's median (its Qt event
#: loop, its own feed thread, the board model and the signal hops are what it adds;
#: measured 2.0x and 2.4x in two runs on SQLite on a busy 2-core machine).
DISPLAY_TO_FEED = 3.0


def test_display_latency(benchmark: Any, qtbot: QtBot, db: Database, db_url: str) -> None:
    baseline = percentiles(measure_bare_feed(db, db_url))
    figures = run(benchmark, lambda: measure_display(qtbot, db, db_url), "display")
    ratio = figures["p50_ms"] / baseline["p50_ms"]
    benchmark.extra_info.update({"baseline_bare_feed": baseline, "p50_to_baseline": ratio})
    print(f"bare feed baseline: {baseline}; display / baseline at p50: {ratio:.2f}")
    assert ratio <= DISPLAY_TO_FEED


AUDIO_CALLS = 30
#: From a commit elsewhere to the audio handed over may take at most this many times
#: the announcer alone (the same announcements spoken without a call or a database;
#: measured 1.0x and 1.8x in two runs on SQLite on a busy 2-core machine).
AUDIO_TO_SPEECH = 3.0


class StampingPlayer:
    """Stands in for the sound card: stamps when a call's audio is handed over."""

    def __init__(self) -> None:
        self.stamps: list[int] = []

    def play(self, path: object) -> None:
        self.stamps.append(time.monotonic_ns())


def test_call_to_first_audio(
    benchmark: Any, qtbot: QtBot, db: Database, db_url: str, tmp_path: Any
) -> None:
    """From the commit in the calling process to the WAV handed to the player."""
    from devices.speech import open_announcer

    make_app(["bench"])
    player = StampingPlayer()
    announcer = open_announcer(Settings(), player=player, cache_dir=tmp_path / "speech")
    app = bootstrap(Settings(), db, announcer=announcer)
    window, feed, runner = app.window, app.feed, app.runner
    qtbot.addWidget(window)
    caller = Caller(db, db_url, "1,2,3")
    samples: list[float] = []

    def measure() -> None:
        for i in range(AUDIO_CALLS):
            _number, committed = caller.call()
            qtbot.waitUntil(lambda n=i: len(player.stamps) > n, timeout=30_000)  # type: ignore[misc]
            samples.append((player.stamps[i] - committed) / 1e6)

    def speak_alone() -> list[float]:
        # the baseline: the same announcer asked directly, numbers it has not rendered yet
        alone = []
        for i in range(AUDIO_CALLS):
            handed = len(player.stamps)
            asked = time.monotonic_ns()
            announcer.announce(f"Z{i + 1:03d}", i % 3 + 1)
            qtbot.waitUntil(lambda n=handed: len(player.stamps) > n, timeout=30_000)  # type: ignore[misc]
            alone.append((player.stamps[handed] - asked) / 1e6)
        return alone

    try:
        baseline = percentiles(speak_alone())
        del player.stamps[:]
        benchmark.pedantic(measure, rounds=1, iterations=1)
    finally:
        caller.close()
        window.close()
        feed.stop()
        runner.wait()
        announcer.close(timeout=30)
    figures = percentiles(samples)
    ratio = figures["p50_ms"] / baseline["p50_ms"]
    benchmark.extra_info.update(
        {"calls": len(samples), **figures, "baseline_announcer": baseline, "p50_to_baseline": ratio}
    )
    print(f"\ncall to audio handed to the player: {figures}")
    print(f"announcer alone: {baseline}; call / announcer alone at p50: {ratio:.2f}")
    assert ratio <= AUDIO_TO_SPEECH
