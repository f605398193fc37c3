"""``lobby teller``: the teller console's composition root."""

from __future__ import annotations

from lobby.db import Database
from lobby.queries.branch import counter_choices
from lobby.settings import Settings
from ui.common.running import App, open_database
from ui.common.running import run as run_app
from ui.common.tasks import TaskRunner
from ui.feed import LiveFeed
from ui.teller.controller import TellerController
from ui.teller.window import TellerWindow

#: The console's window size (a counter's screen).
SIZE = (1366, 768)


def bootstrap(
    settings: Settings,
    db: Database | None = None,
    *,
    counter: int | None = None,
    staff: str = "",
    window_first: bool = False,
) -> App[TellerWindow]:
    """Build a teller console: runner, controller, feed and window.

    Args:
        settings: The settings (the database they name unless ``db`` is given).
        db: The branch's database, when already open.
        counter: Preselect this counter on the sign-in page.
        staff: Prefill the staff id.
        window_first: Leave reading the counters for the sign-in page to ``App.fill``,
            for once the window is on screen.
    """
    db = db or open_database(settings)
    runner = TaskRunner()
    controller = TellerController(db, runner)
    window = TellerWindow(controller, runner, [], counter)
    if staff:
        window.sign_in.staff.setText(staff)
        window.sign_in.pin.setFocus()
    feed = LiveFeed(db, after_id=None)
    feed.events.connect(controller.on_events)
    feed.start()

    def fill() -> None:
        with db.read() as session:
            window.sign_in.set_counters(counter_choices(session), counter)

    app = App(settings, db, feed, runner, window, fill=fill)
    if not window_first:
        fill()
        app.fill = None
    return app


def run(settings: Settings, db: Database, counter: int | None, staff: str | None = None) -> int:
    """Show the teller console and run the event loop."""
    return run_app(
        lambda: bootstrap(settings, db, counter=counter, staff=staff or "", window_first=True),
        size=SIZE,
    )
