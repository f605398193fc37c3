"""Live sync: change detection and the journal feed, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import select as io_select
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lobby import engine
from lobby.db import Database
from lobby.feed import Feed, SQLiteChangeDetector, change_detector
from lobby.journal import last_event_id
from tests.helpers import actor, as_staff


def issue(db: Database, service: str = "cash") -> str:
    with db.unit_of_work(actor("G01")) as uow:
        return engine.issue_ticket(uow, service).number


def test_feed_delivers_each_event_once_in_order(db_url: str) -> None:
    writer = Database.open(db_url)
    reader = Database.open(db_url)
    issue(writer)  # before the feed starts: not replayed
    feed = Feed(reader, change_detector(reader))
    try:
        first = issue(writer)
        with writer.unit_of_work(actor("T01")) as uow:
            engine.call_next(uow, 1)
        events = feed.wait(timeout=10)
        assert [(e.kind, e.ticket) for e in events] == [("issued", first), ("called", "A001")]
        assert events[1].counter == 1
        assert events[1].actor == "T01"
        assert feed.poll() == []
    finally:
        feed.close()
        writer.dispose()
        reader.dispose()


def test_feed_catches_up_after_many_commits(db_url: str) -> None:
    writer = Database.open(db_url)
    reader = Database.open(db_url)
    feed = Feed(reader, change_detector(reader), after_id=0)
    try:
        numbers = [issue(writer, "enquiry") for _ in range(30)]
        delivered = [e.ticket for e in feed.poll() if e.kind == "issued"]
        assert delivered == numbers
    finally:
        feed.close()
        writer.dispose()
        reader.dispose()


def test_sqlite_detector_sees_other_connections_only(sqlite_template: Path, tmp_path: Path) -> None:
    path = tmp_path / "lobby.db"
    shutil.copy(sqlite_template, path)
    db = Database.open(f"sqlite:///{path}")
    fake_time = [0.0]

    def sleep(seconds: float) -> None:
        fake_time[0] += seconds

    detector = SQLiteChangeDetector(
        str(path), interval=0.02, sleep=sleep, monotonic=lambda: fake_time[0]
    )
    try:
        assert detector.wait(timeout=1.0) is False
        assert fake_time[0] == pytest.approx(1.0)
        issue(db)
        assert detector.changed() is True
        assert detector.changed() is False
    finally:
        detector.close()
        db.dispose()


def test_events_follow_streams_new_events(db_url: str) -> None:
    writer = Database.open(db_url)
    with subprocess.Popen(
        [
            sys.executable,
            "-m",
            "lobby",
            "events",
            "--follow",
            "--json",
            "--db",
            db_url,
            *as_staff("M01"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "LOBBY_POLL_INTERVAL_MS": "10"},
    ) as proc:
        try:
            # the journal's existing entries come first: the setup's config event
            assert json.loads(_read_line(proc, timeout=30))["kind"] == "config_loaded"
            number = issue(writer)
            line = json.loads(_read_line(proc, timeout=30))
            assert (line["kind"], line["ticket"], line["actor"]) == ("issued", number, "G01")
        finally:
            proc.terminate()
            writer.dispose()


def _read_line(proc: subprocess.Popen[str], timeout: float) -> str:
    assert proc.stdout is not None
    ready, _, _ = io_select.select([proc.stdout], [], [], timeout)
    if not ready:
        raise AssertionError(f"no output within {timeout}s")
    return proc.stdout.readline()


def test_feed_delivers_commits_made_before_its_first_wait(db_url: str) -> None:
    writer = Database.open(db_url)
    reader = Database.open(db_url)
    with reader.read() as session:
        seen = last_event_id(session)  # e.g. the board a display has just drawn
    number = issue(writer)  # committed before the detector starts: it raises no signal
    feed = Feed(reader, change_detector(reader), after_id=seen)
    try:
        events = feed.wait(timeout=0.01)
        assert [(e.kind, e.ticket) for e in events] == [("issued", number)]
    finally:
        feed.close()
        writer.dispose()
        reader.dispose()
