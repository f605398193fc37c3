"""``lobby manager``: run the manager's app until its window closes."""

from __future__ import annotations

from lobby.db import Database
from lobby.settings import Settings
from ui.common.app import make_app
from ui.common.health import check_at_start
from ui.manager.window import bootstrap


def run(db: Database, staff: str | None = None) -> int:
    """Show the manager's app on ``db`` and run the event loop."""
    app = make_app()
    settings = Settings()
    window, feed, runner = bootstrap(db, settings.backup_dir)
    if staff:
        window.sign_in.staff.setText(staff)
        window.sign_in.pin.setFocus()
    check_at_start(window, db, settings)
    window.resize(1920, 1080)
    window.show()
    try:
        return app.exec()
    finally:
        feed.stop()
        runner.wait()
