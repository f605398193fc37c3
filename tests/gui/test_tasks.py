"""The task runner coalesces refreshes instead of queueing a backlog."""

from __future__ import annotations

import threading

from pytestqt.qtbot import QtBot

from ui.common.tasks import TaskRunner


def test_run_latest_keeps_only_the_newest_waiting_task(qtbot: QtBot) -> None:
    runner = TaskRunner()
    gate = threading.Event()
    ran: list[str] = []
    delivered: list[str] = []
    errors: list[object] = []
    runner.run(gate.wait, lambda _: None, errors.append)  # holds the worker
    for name in ("first", "second", "third"):
        runner.run_latest(
            "board", lambda n=name: ran.append(n) or n, delivered.append, errors.append
        )
    runner.run_latest(
        "other", lambda: ran.append("other") or "other", delivered.append, errors.append
    )
    gate.set()
    qtbot.waitUntil(lambda: not runner.busy, timeout=10_000)
    assert ran == ["third", "other"]
    assert delivered == ["third", "other"]
    assert errors == []
    # once a task has started, a new request queues behind it rather than replacing it
    runner.run_latest(
        "board", lambda: ran.append("again") or "again", delivered.append, errors.append
    )
    qtbot.waitUntil(lambda: not runner.busy, timeout=10_000)
    assert delivered[-1] == "again"
    runner.wait()
