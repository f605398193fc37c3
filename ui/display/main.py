"""``lobby display``: the hall display's composition root."""

from __future__ import annotations

from lobby.db import Database
from ui.common.tasks import TaskRunner
from ui.display.model import BoardModel, CallAnnouncer
from ui.display.window import DisplayWindow
from ui.feed import LiveFeed

DEFAULT_NOTICE = (
    "欢迎光临。请留意叫号，过号请至大堂经理处重新取号。   "
    "Welcome. Please listen for your number; if you miss it, the greeter will help you."
)


def bootstrap(
    db: Database,
    announcer: CallAnnouncer | None = None,
    notice: str = DEFAULT_NOTICE,
    layout: str = "board",
) -> tuple[DisplayWindow, BoardModel, LiveFeed, TaskRunner]:
    """Build the display on ``db``: the board is read first, the feed continues after it."""
    runner = TaskRunner()
    model = BoardModel(db, runner, announcer)
    window = DisplayWindow(model, notice, layout)
    view = model.load()
    feed = LiveFeed(db, after_id=view.last_event_id)
    feed.events.connect(model.on_events)
    feed.online.connect(model.set_online)
    feed.start()
    return window, model, feed, runner


def run(db: Database, announcer: CallAnnouncer | None, layout: str, full_screen: bool) -> int:
    """Show the display and run the event loop."""
    from ui.common.app import make_app
    from ui.common.health import check_at_start

    app = make_app()
    window, _model, feed, runner = bootstrap(db, announcer, layout=layout)
    check_at_start(window, db)
    if full_screen:
        window.showFullScreen()
    else:
        window.resize(1920, 1080)
        window.show()
    try:
        return app.exec()
    finally:
        feed.stop()
        runner.wait()
