"""Closing the day backs up and keeps the newest copy of the last N days and M months."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from lobby import engine
from lobby.cli.main import main
from lobby.db import Database
from lobby.lifecycle.closing import close_business_day
from lobby.lifecycle.files import list_backups
from lobby.lifecycle.history import backup_status
from lobby.settings import Settings
from tests.helpers import ManualClock, actor


@pytest.mark.slow
def test_rotation_keeps_n_daily_and_m_monthly(
    db: Database, clock: ManualClock, tmp_path: Path
) -> None:
    settings = Settings(backup_dir=tmp_path / "bk", backup_keep_daily=3, backup_keep_monthly=3)
    clock.current = clock.current.replace(year=2026, month=1, day=25, hour=9)  # 17:00 Shanghai
    removed_total = 0
    while clock.current.date().isoformat() <= "2026-03-02":
        with db.unit_of_work(actor("G01")) as uow:
            engine.issue_ticket(uow, "cash")
        done = close_business_day(db, settings, actor("M01"))
        assert done.backup is not None
        assert done.expired == 1
        removed_total += len(done.removed)
        clock.current += timedelta(days=1)
    kept = [name.taken_at.date().isoformat() for _, name in list_backups(settings.backup_dir)]
    # daily: 28 Feb, 1 and 2 March; monthly: the newest of March, February and January
    assert kept == ["2026-01-31", "2026-02-28", "2026-03-01", "2026-03-02"]
    assert removed_total == 37 - 4
    assert sorted(p.name for p in settings.backup_dir.iterdir() if p.suffix == ".sha256") == [
        p.name + ".sha256" for p, _ in list_backups(settings.backup_dir)
    ]
    assert backup_status(db, settings.backup_dir).warning is None


def test_close_day_on_the_command_line_reports_a_failed_backup(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    monkeypatch.setenv("LOBBY_BACKUP_DIR", str(blocked))
    code = main(["close-day", "--db", db_url, "--staff", "M01", "--pin", "9999"])
    out, err = capsys.readouterr()
    assert code == 4
    assert out.startswith("day closed: 0 tickets expired\n")
    assert err.startswith(f"lobby close-day: backup to {blocked} failed")
    assert len(err.splitlines()) == 1
    monkeypatch.setenv("LOBBY_BACKUP_DIR", str(tmp_path / "bk"))
    assert main(["close-day", "--db", db_url, "--staff", "M01", "--pin", "9999"]) == 0
    out, _ = capsys.readouterr()
    assert f"backup {tmp_path / 'bk'}/lobby-" in out
