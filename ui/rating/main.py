"""``lobby rating-pad --counter N``: the customer's rating pad until its window closes."""

from __future__ import annotations

from lobby.db import Database
from ui.common.app import make_app
from ui.rating.window import bootstrap


def run(db: Database, counter: int, full_screen: bool = False) -> int:
    """Show the rating pad of ``counter`` on ``db`` and run the event loop."""
    app = make_app()
    window, feed, runner = bootstrap(db, counter)
    window.resize(1280, 800)
    if full_screen:
        window.showFullScreen()
    else:
        window.show()
    try:
        return app.exec()
    finally:
        feed.stop()
        runner.wait()
        window.controller.stop()
