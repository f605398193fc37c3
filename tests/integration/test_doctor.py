"""``lobby doctor``: every check passes on a sound branch and fails on each broken condition.

The full disk is a real one: a 1 MB tmpfs mounted for the test (the tests run as
root); where mounting is not allowed the test is skipped and says so.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from lobby.cli.main import main
from lobby.db import Database
from lobby.lifecycle.backup import BackupFailed, make_backup
from lobby.lifecycle.doctor import Check, Doctor
from lobby.settings import Settings
from tests.helpers import ManualClock, behind_the_engines_back


def _branch(template: Path, where: Path, clock: ManualClock) -> tuple[Database, Settings]:
    where.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = where / "lobby.db"
    shutil.copy(template, path)
    path.chmod(0o600)
    db = Database.open(f"sqlite:///{path}", clock=clock)
    db.branch_timezone()  # the -wal and -shm files exist from here on
    for extra in ("-wal", "-shm"):
        path.with_name(path.name + extra).chmod(0o600)
    settings = Settings(db=f"sqlite:///{path}", backup_dir=where / "backups", min_free_disk_mb=1)
    return db, settings


def _by_name(checks: list[Check]) -> dict[str, tuple[str, str]]:
    return {c.name: (c.status, c.detail) for c in checks}


@pytest.fixture
def branch(
    sqlite_template: Path, tmp_path: Path, clock: ManualClock
) -> Iterator[tuple[Database, Settings]]:
    db, settings = _branch(sqlite_template, tmp_path / "branch", clock)
    make_backup(db, settings.backup_dir, actor="M01")
    yield db, settings
    db.dispose()


def test_a_sound_branch_passes(branch: tuple[Database, Settings]) -> None:
    db, settings = branch
    checks = _by_name(Doctor(settings, db).run())
    assert list(checks) == ["schema", "storage", "permissions", "disk", "journal", "backup",
                            "printer", "speech"]  # fmt: skip
    assert {name for name, (status, _) in checks.items() if status == "fail"} == set()
    assert checks["printer"][0] == "skip"
    cheap = [c.name for c in Doctor(settings, db).run(cheap=True)]
    assert cheap == ["schema", "permissions", "disk", "backup"]


def test_a_damaged_file_fails(branch: tuple[Database, Settings]) -> None:
    db, settings = branch
    db.dispose()
    path = Path(str(db.engine.url.database))
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(path.read_bytes())
    for offset in range(4096 * 3, len(data) - 4096, 4096 * 2):  # every other page's header
        data[offset : offset + 8] = b"\xff" * 8
    path.write_bytes(bytes(data))
    checks = _by_name(Doctor(settings, db).run())
    assert checks["storage"][0] == "fail"


def test_bad_permissions_fail(branch: tuple[Database, Settings]) -> None:
    db, settings = branch
    Path(str(db.engine.url.database)).chmod(0o644)
    status, detail = _by_name(Doctor(settings, db).run())["permissions"]
    assert status == "fail"
    assert "lobby.db is open to others (-rw-r--r--)" in detail


def test_a_stale_or_failed_backup_fails(
    branch: tuple[Database, Settings], clock: ManualClock, tmp_path: Path
) -> None:
    db, settings = branch
    clock.advance(minutes=23 * 60)
    assert _by_name(Doctor(settings, db).run())["backup"][0] == "ok"
    clock.advance(minutes=2 * 60)
    assert _by_name(Doctor(settings, db).run())["backup"] == (
        "fail", "the last backup is 25 hours old"
    )  # fmt: skip
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the backups should go")
    with pytest.raises(BackupFailed):
        make_backup(db, blocked, actor="M01")
    status, detail = _by_name(Doctor(settings, db).run())["backup"]
    assert status == "fail"
    assert detail.startswith("the last backup failed")


def test_a_broken_journal_fails(branch: tuple[Database, Settings]) -> None:
    db, settings = branch
    conn = sqlite3.connect(str(db.engine.url.database))
    conn.execute("PRAGMA foreign_keys=OFF")
    conn.execute(
        "INSERT INTO event (at, kind, ticket_id, actor, payload)"
        " VALUES ('2026-11-23 02:00:00.000000', 'called', 99999, 'T01', '{}')"
    )
    conn.commit()
    conn.close()
    checks = _by_name(Doctor(settings, db).run())
    status, detail = checks["journal"]
    assert status == "fail"
    assert "was inserted outside Lobby" in detail
    assert checks["storage"][0] == "fail", "foreign_key_check sees it too"


def test_a_broken_chain_fails(branch: tuple[Database, Settings]) -> None:
    db, settings = branch
    assert _by_name(Doctor(settings, db).run())["journal"][0] == "ok"
    behind_the_engines_back(
        f"sqlite:///{db.engine.url.database}",
        "UPDATE event SET actor = 'X99' WHERE id = (SELECT min(id) FROM event)",
    )
    status, detail = _by_name(Doctor(settings, db).run())["journal"]
    assert status == "fail"
    assert "was edited after it was written" in detail


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MB tmpfs, unmounted afterwards."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", str(mount)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=True)


def _fill(path: Path) -> None:
    with path.open("wb") as handle:
        while True:
            handle.write(b"\0" * 65536)
            handle.flush()


def test_a_full_disk_fails(
    sqlite_template: Path, tmp_path: Path, tiny_disk: Path, clock: ManualClock
) -> None:
    db, settings = _branch(sqlite_template, tmp_path / "branch", clock)
    try:
        settings = settings.model_copy(
            update={"min_free_disk_mb": 5, "backup_dir": tiny_disk / "backups"}
        )
        make_backup(db, settings.backup_dir, actor="M01")
        status, detail = _by_name(Doctor(settings, db).run())["disk"]
        assert status == "fail"
        assert detail.endswith(f"MB free at {tiny_disk / 'backups'}, under 5 MB")
        with pytest.raises(OSError, match="No space left"):
            _fill(tiny_disk / "filler")
        clock.advance(seconds=1)
        with pytest.raises(BackupFailed, match="failed: database or disk is full"):
            make_backup(db, settings.backup_dir, actor="M01")
        status, detail = _by_name(Doctor(settings, db).run())["backup"]
        assert status == "fail"
        assert detail.endswith("failed: database or disk is full")
        assert [p.name.endswith(".partial") for p in settings.backup_dir.iterdir()] == [False] * 2
    finally:
        db.dispose()


def test_doctor_on_the_command_line(
    branch: tuple[Database, Settings], capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    db, settings = branch
    monkeypatch.setenv("LOBBY_BACKUP_DIR", str(settings.backup_dir))
    monkeypatch.setenv("LOBBY_MIN_FREE_DISK_MB", "1")
    monkeypatch.setenv("LOBBY_NOW", (db.clock.now() + timedelta(minutes=5)).isoformat())
    assert main(["doctor", "--db", settings.db]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert len(out.splitlines()) == 8
    Path(str(db.engine.url.database)).chmod(0o644)
    assert main(["doctor", "--db", settings.db]) == 1
    out, err = capsys.readouterr()
    assert "fail permissions" in out
    assert err == "lobby doctor: 1 of 8 checks failed: permissions\n"
