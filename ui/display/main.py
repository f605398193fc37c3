"""``lobby display``: the hall display's composition root."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lobby.db import Database
from lobby.settings import Settings
from ui.common.running import App, open_database
from ui.common.running import run as run_app
from ui.common.tasks import TaskRunner
from ui.display.model import BoardModel
from ui.display.window import DisplayWindow
from ui.feed import LiveFeed

if TYPE_CHECKING:
    from devices.speech import Announcer

#: The display's window size unless full screen (a hall screen).
SIZE = (1920, 1080)


def bootstrap(
    settings: Settings,
    db: Database | None = None,
    *,
    announcer: Announcer | None = None,
    layout: str = "board",
    notice: str | None = None,
    languages: str | None = None,
    window_first: bool = False,
) -> App[DisplayWindow]:
    """Build the display: the board is read first, the feed continues after it.

    Args:
        settings: The settings (the database they name unless ``db`` is given).
        db: The branch's database, when already open.
        announcer: Speaks the calls; ``None``: silent. Its opener closes it (with a
            bound on the calls still queued), after the app.
        layout: ``board`` or ``counters``.
        notice: The ticker's text (default: the welcome in the languages shown).
        languages: ``both``, ``zh``, ``en`` or ``alternate`` (default: the settings').
        window_first: Leave the board's read and the feed's start to ``App.fill``, for
            once the (empty) window is on screen.
    """
    db = db or open_database(settings)
    runner = TaskRunner()
    model = BoardModel(db, runner, announcer)
    window = DisplayWindow(model, notice, layout, languages or settings.display_languages)
    feed = LiveFeed(db, after_id=None)

    def fill() -> None:
        view = model.load()
        feed.resume_after(view.last_event_id)  # old calls are shown, never announced
        feed.start()

    feed.events.connect(model.on_events)
    feed.online.connect(model.set_online)
    app = App(settings, db, feed, runner, window, fill=fill)
    if not window_first:
        fill()
        app.fill = None
    return app


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
        lambda: bootstrap(settings, db, announcer=announcer, layout=layout, window_first=True),
        size=SIZE,
        full_screen=full_screen,
        kiosk=kiosk,
    )
