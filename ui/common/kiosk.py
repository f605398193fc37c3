"""Kiosk mode: the app fills the screen, has no window controls and cannot be closed.

Only a manager can leave it: Ctrl+Alt+Q (or any attempt to close the window) opens a
sign-in form, and a manager's staff id and PIN, checked by the core like any sign-in
(counted, journalled, locked after repeated failures), close the app.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QVBoxLayout, QWidget

from lobby.db import Database
from lobby.errors import LobbyError
from lobby.staff import sign_in
from ui.common.sign_in import SignInForm

#: The keys that ask to leave kiosk mode.
LEAVE_KEYS = "Ctrl+Alt+Q"
#: How the checks appear in the journal.
DEVICE = "kiosk-exit"


class LeaveDialog(QDialog):
    """Asks for a manager's staff id and PIN; accepted once the core has checked them."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("退出全屏 Leave kiosk mode"))
        self.setModal(True)
        self.setMinimumSize(640, 440)
        self._db = db
        self.form = SignInForm(
            self.tr("经理退出 Manager exit"), self.tr("经理工号 Manager id")
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        self.form.button.clicked.connect(self.submit)
        self.form.pin.returnPressed.connect(self.submit)

    def submit(self) -> None:
        """Check the id and PIN as a manager's; accept, or say why not."""
        if not self.form.filled():
            return
        try:
            sign_in(
                self._db,
                self.form.staff.text(),
                self.form.pin.text(),
                "manager",
                device=DEVICE,
                session=False,
                wrong_role=LobbyError,
            )
        except LobbyError as exc:
            self.form.pin.clear()
            self.form.error.setText(str(exc))
            return
        self.accept()


class Kiosk(QObject):
    """Holds ``window`` in kiosk mode until a manager lets it go.

    Args:
        window: The app's main window (shown full screen, frameless, on top).
        db: Where the manager's PIN is checked.
    """

    def __init__(self, window: QWidget, db: Database) -> None:
        super().__init__(window)
        self.window = window
        self.released = False
        self._db = db
        self.dialog: LeaveDialog | None = None
        window.setWindowFlags(
            window.windowFlags()
            | Qt.WindowType.FramelessWindowHint
            | Qt.WindowType.WindowStaysOnTopHint
        )
        window.installEventFilter(self)
        shortcut = QShortcut(QKeySequence(LEAVE_KEYS), window)
        shortcut.setContext(Qt.ShortcutContext.ApplicationShortcut)
        shortcut.activated.connect(self.ask_to_leave)

    def show(self) -> None:
        """Show the window full screen."""
        self.window.showFullScreen()

    def ask_to_leave(self) -> None:
        """Open the manager's sign-in; the window closes once it is accepted."""
        if self.dialog is not None:
            self.dialog.raise_()
            return
        self.dialog = LeaveDialog(self._db, self.window)
        self.dialog.accepted.connect(self._release)
        self.dialog.finished.connect(self._forget_dialog)
        self.dialog.open()

    def _forget_dialog(self) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = None

    def _release(self) -> None:
        self.released = True
        self.window.close()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        """Refuse to close the window until released; ask for the manager instead.

        Read through Qt (``parent()``) and with defaults: while Python tears the app
        down, the window may still send events after this object's attributes are gone.
        """
        held = not getattr(self, "released", True)
        if held and watched is self.parent() and event.type() == QEvent.Type.Close:
            assert isinstance(event, QCloseEvent)
            event.ignore()
            self.ask_to_leave()
            return True
        return False
