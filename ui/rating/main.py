"""``lobby rating-pad --counter N``: the customer's rating pad's composition root."""

from __future__ import annotations

from dataclasses import dataclass

from lobby.access import Credential
from lobby.db import Database
from lobby.queries.counter_view import counter_overview
from lobby.settings import Settings
from ui.common.running import App, open_database
from ui.common.running import run as run_app
from ui.common.tasks import TaskRunner
from ui.feed import LiveFeed
from ui.rating.controller import ASK_TIMEOUT_MS, RatingPadController
from ui.rating.window import RatingPadWindow

#: The pad's window size unless full screen (a small tablet).
SIZE = (1280, 800)


@dataclass
class RatingPadApp(App[RatingPadWindow]):
    """The running pad; closing it also journals the pad as stopped."""

    def close(self) -> None:
        """Close the window, stop the feed and the tasks, then the controller."""
        super().close()
        self.window.controller.stop()


def bootstrap(
    settings: Settings,
    db: Database | None = None,
    *,
    counter: int,
    timeout_ms: int = ASK_TIMEOUT_MS,
    credential: Credential | None = None,
) -> RatingPadApp:
    """Build the pad for ``counter``: runner, controller (journalled as started), feed, window.

    Args:
        settings: The settings (the database they name unless ``db`` is given).
        db: The branch's database, when already open.
        counter: The counter the pad stands at.
        timeout_ms: How long the pad asks before it gives up.
        credential: The pad's device key; default: ``pad-N``'s key on this machine.

    Raises:
        NotFound: No active counter with that number.
    """
    db = db or open_database(settings)
    with db.read() as session:
        view = counter_overview(session, counter, db.clock.now())
    runner = TaskRunner()
    controller = RatingPadController(db, runner, counter, timeout_ms, credential=credential)
    window = RatingPadWindow(controller, f"{view.name_zh}  {view.name_en}")
    controller.setParent(window)  # its timers end with the window
    controller.start()
    feed = LiveFeed(db, after_id=None)
    feed.events.connect(controller.on_events)
    feed.start()
    return RatingPadApp(settings, db, feed, runner, window)


def run(settings: Settings, db: Database, counter: int, full_screen: bool = False) -> int:
    """Show the rating pad of ``counter`` and run the event loop."""
    return run_app(
        lambda: bootstrap(settings, db, counter=counter), size=SIZE, full_screen=full_screen
    )
