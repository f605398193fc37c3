"""``lobby manager``: the manager's app's composition root."""

from __future__ import annotations

from lobby.db import Database
from lobby.queries.branch import branch_heading
from lobby.settings import Settings
from ui.common.running import App, open_database
from ui.common.running import run as run_app
from ui.common.tasks import TaskRunner
from ui.feed import LiveFeed
from ui.manager.controller import ManagerController
from ui.manager.window import ManagerWindow

#: The app's window size (an office screen).
SIZE = (1920, 1080)


def bootstrap(
    settings: Settings, db: Database | None = None, *, staff: str = ""
) -> App[ManagerWindow]:
    """Build the manager's app: runner, controller, feed and window.

    Args:
        settings: The settings (the database they name unless ``db`` is given).
        db: The branch's database, when already open.
        staff: Prefill the staff id.
    """
    db = db or open_database(settings)
    with db.read() as session:
        heading = branch_heading(session, db.clock.now())
    runner = TaskRunner()
    controller = ManagerController(db, runner)
    window = ManagerWindow(
        controller, heading.title, heading.today, heading.timezone, heading.service_names,
        settings.backup_dir,
    )  # fmt: skip
    if staff:
        window.sign_in.staff.setText(staff)
        window.sign_in.pin.setFocus()
    feed = LiveFeed(db, after_id=None)
    feed.events.connect(controller.on_events)
    feed.start()
    return App(settings, db, feed, runner, window)


def run(settings: Settings, db: Database, staff: str | None = None) -> int:
    """Show the manager's app and run the event loop."""
    return run_app(lambda: bootstrap(settings, db, staff=staff or ""), size=SIZE)
