"""``lobby display``: the hall display's composition root."""

from __future__ import annotations

from devices.speech import Announcer
from lobby.db import Database
from lobby.settings import Settings
from ui.common.running import App, open_database
from ui.common.running import run as run_app
from ui.common.tasks import TaskRunner
from ui.display.model import BoardModel
from ui.display.window import DisplayWindow
from ui.feed import LiveFeed

DEFAULT_NOTICE = (
    "欢迎光临。请留意叫号，过号请至大堂经理处重新取号。   "
    "Welcome. Please listen for your number; if you miss it, the greeter will help you."
)
#: The display's window size unless full screen (a hall screen).
SIZE = (1920, 1080)


def bootstrap(
    settings: Settings,
    db: Database | None = None,
    *,
    announcer: Announcer | None = None,
    layout: str = "board",
    notice: str = DEFAULT_NOTICE,
) -> App[DisplayWindow]:
    """Build the display: the board is read first, the feed continues after it.

    Args:
        settings: The settings (the database they name unless ``db`` is given).
        db: The branch's database, when already open.
        announcer: Speaks the calls; ``None``: silent. Its opener closes it (with a
            bound on the calls still queued), after the app.
        layout: ``board`` or ``counters``.
        notice: The ticker's text.
    """
    db = db or open_database(settings)
    runner = TaskRunner()
    model = BoardModel(db, runner, announcer)
    window = DisplayWindow(model, notice, layout)
    view = model.load()
    feed = LiveFeed(db, after_id=view.last_event_id)
    feed.events.connect(model.on_events)
    feed.online.connect(model.set_online)
    feed.start()
    return App(settings, db, feed, runner, window)


def run(
    settings: Settings,
    db: Database,
    announcer: Announcer | None,
    layout: str,
    full_screen: bool,
    *,
    kiosk: bool = False,
) -> int:
    """Show the display and run the event loop (``kiosk``: see :mod:`ui.common.kiosk`)."""
    return run_app(
        lambda: bootstrap(settings, db, announcer=announcer, layout=layout),
        size=SIZE,
        full_screen=full_screen,
        kiosk=kiosk,
    )
