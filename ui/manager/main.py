"""``lobby manager``: run the manager's app until its window closes."""

from __future__ import annotations

from lobby.db import Database
from ui.common.app import make_app
from ui.manager.window import bootstrap


def run(db: Database, staff: str | None = None) -> int:
    """Show the manager's app on ``db`` and run the event loop."""
    app = make_app()
    window, feed, runner = bootstrap(db)
    if staff:
        window.sign_in.staff.setText(staff)
        window.sign_in.pin.setFocus()
    window.resize(1920, 1080)
    window.show()
    try:
        return app.exec()
    finally:
        feed.stop()
        runner.wait()
