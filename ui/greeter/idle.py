"""The idle lock: no touch or key for a while locks the tablet (a timer, not polling)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal

#: Input that counts as the greeter using the tablet.
ACTIVITY = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.KeyPress,
    QEvent.Type.TouchBegin,
    QEvent.Type.Wheel,
}


class IdleWatcher(QObject):
    """Restarts a single-shot timer on every touch, click or key anywhere in the app.

    Signals:
        idle(): Nobody used the app for ``timeout_ms``.
    """

    idle = Signal()

    def __init__(self, timeout_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(timeout_ms)
        self._timer.timeout.connect(self.idle)
        app = QCoreApplication.instance()
        assert app is not None, "a QApplication must exist"
        app.installEventFilter(self)

    def arm(self) -> None:
        """Start counting (after sign-in)."""
        self._timer.start()

    @property
    def armed(self) -> bool:
        """Whether the countdown runs."""
        return self._timer.isActive()

    def disarm(self) -> None:
        """Stop counting (locked or signed out)."""
        self._timer.stop()

    def close(self) -> None:
        """Stop watching the app's input."""
        self._timer.stop()
        app = QCoreApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        """Restart the countdown on user input; never consume the event."""
        if event.type() in ACTIVITY and self._timer.isActive():
            self._timer.start()
        return False
