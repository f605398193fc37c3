"""The apps' start-up health banner and the manager's last-backup display."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from lobby.db import Database
from lobby.lifecycle.backup import make_backup
from lobby.settings import Settings
from tests.gui.conftest import Console
from tests.gui.test_manager import Manager
from tests.helpers import ManualClock
from ui.common.health import HealthBanner, check_at_start
from ui.display.main import bootstrap as display_bootstrap

SHOTS = Path("/tmp") / "lobby-health-shots"


def _file(db: Database) -> Path:
    return Path(str(db.engine.url.database))


@pytest.fixture
def sqlite_db(db: Database) -> Database:
    if not db.is_sqlite:
        pytest.skip("the banner's file checks are about a SQLite file")
    return db


def _settings(tmp_path: Path, db: Database) -> Settings:
    return Settings(db=str(db.engine.url), backup_dir=tmp_path / "bk", min_free_disk_mb=1)


@pytest.fixture
def console(qtbot: QtBot, sqlite_db: Database) -> Iterator[Console]:
    app = Console(qtbot, sqlite_db, 1)
    yield app
    app.window.close()
    app.feed.stop()
    app.runner.wait()


def test_a_sound_branch_shows_no_banner(
    console: Console, sqlite_db: Database, tmp_path: Path
) -> None:
    settings = _settings(tmp_path, sqlite_db)
    for path in (_file(sqlite_db), *_file(sqlite_db).parent.glob("lobby.db-*")):
        path.chmod(0o600)
    make_backup(sqlite_db, settings.backup_dir, actor="M01")
    assert check_at_start(console.window, sqlite_db, settings) is None
    assert console.window.findChildren(HealthBanner) == []


def test_the_teller_console_shows_what_failed(
    qtbot: QtBot, console: Console, sqlite_db: Database, tmp_path: Path
) -> None:
    _file(sqlite_db).chmod(0o644)
    banner = check_at_start(console.window, sqlite_db, _settings(tmp_path, sqlite_db))
    assert banner is not None
    qtbot.waitUntil(banner.isVisible)
    text = banner.text()
    assert "文件权限 permissions: " in text
    assert "lobby.db is open to others (-rw-r--r--)" in text
    assert "备份 backup: no backup yet" in text
    assert console.window.sign_in.isVisible(), "the console still works under the banner"


def test_the_hall_display_shows_a_banner_too(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path
) -> None:
    app = display_bootstrap(Settings(), sqlite_db)
    window, feed, runner = app.window, app.feed, app.runner
    qtbot.addWidget(window)
    try:
        window.resize(1280, 720)
        window.show()
        banner = check_at_start(window, sqlite_db, _settings(tmp_path, sqlite_db))
        assert banner is not None
        qtbot.waitUntil(banner.isVisible)
        assert banner.geometry().top() < 50, "the banner sits above the board"
        SHOTS.mkdir(exist_ok=True)
        window.grab().save(str(SHOTS / "display-banner.png"))
    finally:
        feed.stop()
        runner.wait()


def test_the_manager_sees_the_last_backup(
    qtbot: QtBot, db: Database, clock: ManualClock, tmp_path: Path
) -> None:
    manager = Manager(qtbot, db)
    try:
        manager.sign_in()
        label = manager.window.backup
        qtbot.waitUntil(lambda: "no backup yet" in label.text(), timeout=20_000)
        assert label.property("level") == "alert"
        info = make_backup(db, tmp_path / "bk", actor="M01")
        manager.window.refresh_floor()  # what the 30-second timer does
        qtbot.waitUntil(lambda: "Last backup" in label.text(), timeout=20_000)
        assert label.text() == f"备份 Last backup 11-23 10:00, {info.size / 1e6:.1f} MB"
        assert label.property("level") == ""
        SHOTS.mkdir(exist_ok=True)
        manager.window.grab().save(str(SHOTS / "manager-backup-ok.png"))
        clock.advance(minutes=25 * 60)
        manager.window.refresh_floor()
        qtbot.waitUntil(lambda: "hours old" in label.text(), timeout=20_000)
        assert label.text() == "⚠ 备份 Backup: the last backup is 25 hours old"
        assert label.property("level") == "alert"
        manager.window.grab().save(str(SHOTS / "manager-backup-stale.png"))
    finally:
        manager.close()
