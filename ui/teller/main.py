"""``lobby teller``: run the console until its window closes."""

from __future__ import annotations

from lobby.db import Database
from ui.common.app import make_app
from ui.common.health import check_at_start
from ui.teller.window import bootstrap


def run(db: Database, counter: int | None, staff: str | None = None) -> int:
    """Show the teller console on ``db`` and run the event loop."""
    app = make_app()
    window, feed, runner = bootstrap(db, counter)
    if staff:
        window.sign_in.staff.setText(staff)
        window.sign_in.pin.setFocus()
    check_at_start(window, db)
    window.resize(1366, 768)
    window.show()
    try:
        return app.exec()
    finally:
        feed.stop()
        runner.wait()
