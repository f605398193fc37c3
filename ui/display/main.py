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
    """
    db = db or open_database(settings)
    runner = TaskRunner()
    model = BoardModel(db, runner, announcer)
    window = DisplayWindow(model, notice, layout, languages or settings.display_languages)
    view = model.load()
    feed = LiveFeed(db, after_id=view.last_event_id)
    feed.events.connect(model.on_events)
    feed.online.connect(model.set_online)
    feed.start()
    return App(settings, db, feed, runner, window)


def run(
    settings: Settings, db: Database, announcer: Announcer | None, layout: str, full_screen: bool
) -> int:
    """Show the display and run the event loop."""
    return run_app(
        lambda: bootstrap(settings, db, announcer=announcer, layout=layout),
        size=SIZE,
        full_screen=full_screen,
    )
