"""Backups taken while eight processes issue and call restore to one consistent moment.

The database after a restore must be exactly the live database as it was at some
moment: the journal up to its last event equals the live journal's start, every
ticket the journal names up to there exists in the state those events leave, and
nothing else does. Also: refusals (connected apps, damaged copies, newer schemas),
upgrades of older backups and a damaged live file.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from lobby.db import Database
from lobby.errors import InvalidInput
from lobby.journal import last_event_id
from lobby.lifecycle.backup import BackupInfo, make_backup
from lobby.lifecycle.files import parse_name, write_checksum
from lobby.lifecycle.integrity import database_problems
from lobby.lifecycle.restore import RestoreRefused, restore_backup
from lobby.schema import HEAD, current_revision
from tests.helpers import add_test_staff, behind_the_engines_back
from tests.integration.test_concurrency import (
    STATE_AFTER,
    check_invariants,
    read_journal,
    read_tickets,
)
from tests.integration.workers import WorkerPool

PROCESSES = 8
ROUNDS = 25
SCHEMAS = Path(__file__).resolve().parent.parent / "data" / "schemas"


Taken = tuple[BackupInfo, int, int]  # the backup, the live journal's last id before and after


def _backups_during_load(url: str, directory: Path, use_pg_dump: bool) -> list[Taken]:
    """Run the load and take backups one after another until the processes are done."""
    made: list[Taken] = []
    db = Database.open(url)
    add_test_staff(db, [f"W{i:02d}" for i in range(PROCESSES)])
    db.dispose()
    with WorkerPool(PROCESSES, timeout=240) as pool:
        pool.prepare(
            "queue_rounds",
            [{"url": url, "rounds": ROUNDS, "seed": 7000 + i} for i in range(PROCESSES)],
        )
        results: list[Any] = []
        load = threading.Thread(target=lambda: results.extend(pool.go()))
        load.start()
        db = Database.open(url)
        try:
            while load.is_alive() or not made:
                with db.read() as session:
                    before = last_event_id(session)
                info = make_backup(db, directory / str(len(made)), actor="M01",
                                   use_pg_dump=use_pg_dump)  # fmt: skip
                with db.read() as session:
                    after = last_event_id(session)
                made.append((info, before, after))
        finally:
            db.dispose()
            load.join()
    assert len(results) == PROCESSES
    assert [r["error"] for r in results if r["error"]] == []
    return made


def _state_at(events: list[dict[str, Any]], last_id: int) -> dict[int, str]:
    states: dict[int, str] = {}
    for event in events:
        if event["id"] <= last_id and event["kind"] in STATE_AFTER:
            states[event["ticket_id"]] = STATE_AFTER[event["kind"]]
    return states


@pytest.mark.slow
@pytest.mark.parametrize(
    ("backend", "use_pg_dump"),
    [
        ("sqlite", True),
        pytest.param("postgresql", True, marks=pytest.mark.postgres, id="postgresql-pg_dump"),
        pytest.param("postgresql", False, marks=pytest.mark.postgres, id="postgresql-logical"),
    ],
)
def test_backup_during_writes_restores_one_consistent_moment(
    request: pytest.FixtureRequest, tmp_path: Path, backend: str, use_pg_dump: bool
) -> None:
    url = _fresh_url(request, tmp_path, backend)
    backups = _backups_during_load(url, tmp_path / "backups", use_pg_dump)
    live_events = read_journal(url)
    live_tickets = read_tickets(url)
    first_issue = min(e["id"] for e in live_events if e["kind"] == "issued")
    final_issue = max(e["id"] for e in live_events if e["kind"] == "issued")
    # the last backup that started after the first ticket and ended before the last one
    mid_load = [b for b in backups if b[1] >= first_issue and b[2] < final_issue]
    assert mid_load, f"no backup was taken while tickets were being issued: {backups}"
    chosen, started_after, ended_before = mid_load[-1]
    db = Database.open(url)
    try:
        result = restore_backup(db, chosen.path, tmp_path / "aside", actor="M01")
    finally:
        db.dispose()
    assert result.aside is not None
    assert parse_name(result.aside) is not None

    restored_events = read_journal(url)
    assert restored_events[-1]["kind"] == "restored"
    kept = restored_events[:-1]
    last_id = kept[-1]["id"]
    # the copy is the database at one moment between the backup's start and end
    assert started_after <= last_id <= ended_before
    assert 0 < sum(e["kind"] == "issued" for e in kept) < PROCESSES * ROUNDS
    assert kept == [e for e in live_events if e["id"] <= last_id]
    restored_tickets = read_tickets(url)
    assert check_invariants(restored_tickets, kept) == []
    expected = _state_at(live_events, last_id)
    assert {t["id"]: t["state"] for t in restored_tickets} == expected
    live_ids = {t["id"] for t in live_tickets}
    assert set(expected) <= live_ids
    db = Database.open(url)
    try:
        assert database_problems(db) == []
    finally:
        db.dispose()


def _fresh_url(request: pytest.FixtureRequest, tmp_path: Path, backend: str) -> str:
    if backend == "sqlite":
        path = tmp_path / "lobby.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    server = request.getfixturevalue("pg_server")
    name = f"lobby_backup_{os.getpid()}_{len(request.node.name)}_{id(tmp_path) % 10000}"
    server.create_database(name, template=request.getfixturevalue("pg_template"))
    request.addfinalizer(lambda: server.drop_database(name))
    return str(server.url(name))


def test_restore_refused_while_an_app_is_connected(db: Database, tmp_path: Path) -> None:
    info = make_backup(db, tmp_path / "bk", actor="M01")
    url = db.engine.url.render_as_string(hide_password=False)
    script = (
        "import sys\n"
        "from lobby.db import Database\n"
        "from lobby.lifecycle.presence import app_presence\n"
        "with app_presence(sys.argv[1], 'teller'):\n"
        "    d = Database.open(sys.argv[1]); d.branch_timezone()\n"
        "    print('up', flush=True); sys.stdin.readline()\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PGAPPNAME"}
    with subprocess.Popen(
        [sys.executable, "-c", script, url],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env,
    ) as app:  # fmt: skip
        assert app.stdin is not None
        assert app.stdout is not None
        assert app.stdout.readline() == "up\n"
        with pytest.raises(RestoreRefused, match=r"1 app\(s\) connected: teller"):
            restore_backup(db, info.path, tmp_path / "aside", actor="M01")
        assert not (tmp_path / "aside").exists(), "a refused restore must touch nothing"
        result = restore_backup(db, info.path, tmp_path / "aside", actor="M01", force=True)
        assert result.forced_apps
        assert result.forced_apps[0].startswith("teller")
        app.stdin.close()
    assert not result.aside or result.aside.exists()


def test_damaged_copy_and_unknown_revision_are_refused(db: Database, tmp_path: Path) -> None:
    info = make_backup(db, tmp_path / "bk", actor="M01")
    data = bytearray(info.path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    info.path.write_bytes(bytes(data))
    with pytest.raises(InvalidInput, match="does not match its checksum"):
        restore_backup(db, info.path, tmp_path / "aside", actor="M01")
    info.path.with_name(info.path.name + ".sha256").unlink()
    with pytest.raises(InvalidInput, match="no readable checksum file"):
        restore_backup(db, info.path, tmp_path / "aside", actor="M01")
    newer = info.path.with_name(info.path.name.replace(f"-r{HEAD}", "-r9999"))
    shutil.copy(info.path, newer)
    write_checksum(newer)
    with pytest.raises(InvalidInput, match="unknown to this Lobby"):
        restore_backup(db, newer, tmp_path / "aside", actor="M01")
    assert not (tmp_path / "aside").exists()


@pytest.mark.parametrize("stored", sorted(SCHEMAS.glob("*.sqlite")), ids=lambda p: p.stem[:4])
def test_an_older_backup_is_upgraded(tmp_path: Path, stored: Path) -> None:
    revision = stored.name[:4]
    backup = tmp_path / f"lobby-SH-0101-20261101T020000Z-r{revision}.sqlite"
    shutil.copy(stored, backup)
    write_checksum(backup)
    db = Database.open(f"sqlite:///{tmp_path / 'lobby.db'}")
    try:
        result = restore_backup(db, backup, tmp_path / "aside", actor="M01")
        assert (result.revision, result.upgraded_to) == (revision, HEAD)
        assert current_revision(db.engine) == HEAD
        assert result.aside is None
    finally:
        db.dispose()


def test_a_damaged_live_file_is_kept_aside_and_replaced(
    sqlite_template: Path, tmp_path: Path
) -> None:
    live = tmp_path / "lobby.db"
    shutil.copy(sqlite_template, live)
    db = Database.open(f"sqlite:///{live}")
    info = make_backup(db, tmp_path / "bk", actor="M01")
    db.dispose()
    live.write_bytes(b"not a database at all" * 200)
    result = restore_backup(db, info.path, tmp_path / "aside", actor="M01")
    assert result.aside is not None
    assert result.aside.suffix == ".damaged"
    assert result.aside.read_bytes().startswith(b"not a database")
    assert database_problems(db) == []
    db.dispose()


def test_a_backup_with_a_broken_chain_is_refused(sqlite_template: Path, tmp_path: Path) -> None:
    live = tmp_path / "lobby.db"
    shutil.copy(sqlite_template, live)
    db = Database.open(f"sqlite:///{live}")
    try:
        info = make_backup(db, tmp_path / "bk", actor="M01")
        behind_the_engines_back(
            f"sqlite:///{info.path}",
            "UPDATE event SET kind = 'issued' WHERE id = (SELECT min(id) FROM event)",
        )
        write_checksum(info.path)  # a copy edited by someone who also rewrote its checksum
        with pytest.raises(RestoreRefused, match="was edited after it was written"):
            restore_backup(db, info.path, tmp_path / "aside", actor="M01")
        assert database_problems(db) == []
    finally:
        db.dispose()
