"""Kiosk mode: full screen, no window controls, left only with a manager's PIN."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from lobby.db import Database
from tests.helpers import SAMPLE_PINS
from ui.common.kiosk import LEAVE_KEYS, Kiosk, LeaveDialog


def kiosk_window(qtbot: QtBot, db: Database) -> tuple[QWidget, Kiosk]:
    window = QLabel("取号 Take a number")
    qtbot.addWidget(window)
    kiosk = Kiosk(window, db)
    kiosk.show()
    qtbot.waitExposed(window)
    return window, kiosk


def leave_with(qtbot: QtBot, kiosk: Kiosk, staff: str, pin: str) -> LeaveDialog:
    kiosk.ask_to_leave()
    dialog = kiosk.dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    dialog.form.staff.setText(staff)
    dialog.form.pin.setText(pin)
    dialog.form.button.click()
    return dialog


def test_a_kiosk_fills_the_screen_without_window_controls(qtbot: QtBot, db: Database) -> None:
    window, _ = kiosk_window(qtbot, db)
    assert window.windowState() & Qt.WindowState.WindowFullScreen
    assert window.windowFlags() & Qt.WindowType.FramelessWindowHint
    assert window.windowFlags() & Qt.WindowType.WindowStaysOnTopHint


def test_closing_asks_for_a_manager_and_keeps_the_window(qtbot: QtBot, db: Database) -> None:
    window, kiosk = kiosk_window(qtbot, db)
    assert window.close() is False  # Alt+F4, the window manager, a stray close()
    assert window.isVisible()
    assert kiosk.dialog is not None
    assert kiosk.dialog.isVisible()


def test_the_leave_keys_open_the_sign_in(qtbot: QtBot, db: Database) -> None:
    window, kiosk = kiosk_window(qtbot, db)
    QTest.keySequence(window, QKeySequence(LEAVE_KEYS))
    qtbot.waitUntil(lambda: kiosk.dialog is not None and kiosk.dialog.isVisible())


def test_a_wrong_pin_or_a_teller_does_not_leave(qtbot: QtBot, db: Database) -> None:
    window, kiosk = kiosk_window(qtbot, db)
    dialog = leave_with(qtbot, kiosk, "M01", "0000")
    assert "PIN" in dialog.form.error.text() or "wrong" in dialog.form.error.text().lower()
    assert dialog.form.pin.text() == ""
    dialog.form.staff.setText("T01")
    dialog.form.pin.setText(SAMPLE_PINS["T01"])
    dialog.form.button.click()
    assert "manager" in dialog.form.error.text()
    assert window.isVisible()
    assert not kiosk.released


def test_a_managers_pin_closes_the_app(qtbot: QtBot, db: Database) -> None:
    window, kiosk = kiosk_window(qtbot, db)
    leave_with(qtbot, kiosk, "M01", SAMPLE_PINS["M01"])
    qtbot.waitUntil(lambda: not window.isVisible())
    assert kiosk.released
