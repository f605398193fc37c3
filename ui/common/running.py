"""One running app: what each app's ``bootstrap(settings)`` builds, and the one event loop."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

from lobby.db import Database
from lobby.settings import Settings
from ui.common.app import make_app
from ui.common.busy_notice import watch_busy
from ui.common.health import check_at_start
from ui.common.kiosk import Kiosk
from ui.common.tasks import TaskRunner
from ui.feed import LiveFeed

W = TypeVar("W", bound=QWidget)


class Device(Protocol):
    """A device an app owns (a print queue, an announcer): closed with the app."""

    def close(self) -> None:
        """Finish what is queued, then release the device."""


@dataclass
class App(Generic[W]):
    """The parts of one running app, the same for every app.

    Attributes:
        settings: The settings it was built from.
        db: The branch's database.
        feed: The journal feed (started).
        runner: Runs the app's reads and operations off the GUI thread.
        window: The main window (not shown yet).
        devices: The devices it owns, closed last.
        fill: What reads the window's first data, when ``bootstrap`` was asked to
            leave that until the window is on screen (``window_first``); ``None``
            when it has been done.
    """

    settings: Settings
    db: Database
    feed: LiveFeed
    runner: TaskRunner
    window: W
    devices: tuple[Device, ...] = ()
    fill: Callable[[], None] | None = None

    def close(self) -> None:
        """Close the window, stop the feed, finish the tasks, then close the devices."""
        self.window.close()
        self.feed.stop()
        self.runner.wait()
        for device in self.devices:
            device.close()


def open_database(settings: Settings) -> Database:
    """The database ``settings`` names, on the clock it names."""
    return Database.open(
        settings.db,
        clock=settings.clock(),
        busy_deadline_s=settings.busy_deadline_s,
        synchronous=settings.sqlite_synchronous,
    )


class _FirstPaint(QObject):
    """Calls ``then`` once, on the event loop's turn after ``window`` first painted."""

    def __init__(self, window: QWidget, then: Callable[[], None]) -> None:
        super().__init__(window)
        self._then = then
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        """Wait for the first paint; the filter sees it before the window paints."""
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._then)
        return False


def after_first_paint(window: QWidget, then: Callable[[], None]) -> None:
    """Run ``then`` once ``window`` is on screen (after its first paint)."""
    _FirstPaint(window, then)


def run(
    build: Callable[[], App[Any]],
    *,
    size: tuple[int, int],
    full_screen: bool = False,
    kiosk: bool = False,
) -> int:
    """Create the QApplication, build the app, show it, then fill it, and run the event loop.

    The window is shown first; its first reads (``App.fill``) and the start-up health
    check run once it has painted, and the window fills as their data arrives.

    Args:
        build: The app's ``bootstrap`` with its arguments bound (``window_first=True``).
        size: The window's size unless full screen.
        full_screen: Show the window full screen (hall display).
        kiosk: Full screen with no window controls, left only with a manager's PIN
            (:mod:`ui.common.kiosk`).
    """
    qt = make_app()
    app = build()

    def fill() -> None:
        if app.fill is not None:
            app.fill()
            app.fill = None
        check_at_start(app.window, app.db, app.settings)

    after_first_paint(app.window, fill)
    watch_busy(app.window, app.db, app.runner)
    if kiosk:
        Kiosk(app.window, app.db).show()
    elif full_screen:
        app.window.showFullScreen()
    else:
        app.window.resize(*size)
        app.window.show()
    try:
        return qt.exec()
    finally:
        app.close()
