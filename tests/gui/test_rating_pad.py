"""The customer rates: a rating pad beside counter 1, the console's own panel elsewhere."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from lobby import engine
from lobby.db import Database
from lobby.errors import PermissionDenied
from lobby.models import Event, Rating, Ticket
from lobby.settings import Settings
from tests.helpers import actor
from ui.rating.controller import ASK_TIMEOUT_MS
from ui.rating.main import bootstrap
from ui.rating.window import RatingPadWindow


def issue(db: Database, service: str = "cash") -> str:
    with db.unit_of_work(actor("G01")) as uow:
        return engine.issue_ticket(uow, service).number


@pytest.fixture
def pad(qtbot: QtBot, db: Database) -> Iterator[RatingPadWindow]:
    app = bootstrap(Settings(), db, counter=1)
    window, feed, runner = app.window, app.feed, app.runner
    qtbot.addWidget(window)
    window.resize(800, 480)
    window.show()
    yield window
    feed.stop()
    runner.wait()
    window.controller.stop()
    window.controller.timer.stop()
    window.controller.thanks_timer.stop()


def finish_and_wait_for_the_pad(console, pad: RatingPadWindow) -> None:  # type: ignore[no-untyped-def]
    console.press("call")
    console.press("finish")
    console.window.dialog.accept()
    console.settle()
    console.qtbot.waitUntil(lambda: pad.pages.currentWidget() is pad.ask, timeout=10_000)


def test_the_pad_asks_on_finish_and_its_score_lands_on_the_visit(  # type: ignore[no-untyped-def]
    open_console, db: Database, pad: RatingPadWindow
) -> None:
    other = issue(db)
    number = issue(db)
    asked: list[str] = []
    pad.controller.asking.connect(asked.append)
    neighbour = open_console(2, "T02", "2222")  # two consoles and a pad on one database
    neighbour.press("call")
    assert neighbour.number == other
    neighbour.press("finish")
    neighbour.window.dialog.accept()
    neighbour.settle()
    assert neighbour.window.console.rating.isVisible()  # counter 2 has no pad: its own panel
    console = open_console(1)
    console.qtbot.waitUntil(lambda: console.controller.overview.rating_pad, timeout=10_000)
    assert pad.pages.currentWidget() is pad.welcome  # the pad asks for its own counter only
    finish_and_wait_for_the_pad(console, pad)
    assert number in pad.question.text()
    assert asked == [number]  # never about counter 2's customer
    assert not console.window.console.rating.isVisible()  # the pad asks, not the console
    assert console.window.console.buttons["call"].isEnabled()
    pad.faces.button(4).click()
    console.qtbot.waitUntil(lambda: pad.pages.currentWidget() is pad.thanks, timeout=10_000)
    with db.read() as session:
        rating = session.scalars(select(Rating)).one()
        ticket = session.scalars(select(Ticket).where(Ticket.number == number)).one()
        event = session.scalars(select(Event).where(Event.kind == "visit_rated")).one()
        assert (rating.score, rating.visit_id, rating.counter_id) == (4, ticket.visit_id, 1)
        assert event.actor == "pad-1"
    pad.controller.thanks_timer.timeout.emit()
    assert pad.pages.currentWidget() is pad.welcome


def test_the_pad_times_out_after_30_s_and_records_nothing(  # type: ignore[no-untyped-def]
    open_console, db: Database, pad: RatingPadWindow
) -> None:
    issue(db)
    console = open_console(1)
    console.qtbot.waitUntil(lambda: console.controller.overview.rating_pad, timeout=10_000)
    finish_and_wait_for_the_pad(console, pad)
    timer = pad.controller.timer
    assert (timer.isActive(), timer.interval()) == (True, ASK_TIMEOUT_MS)
    assert ASK_TIMEOUT_MS == 30_000
    timer.timeout.emit()  # as the 30 s run out
    assert pad.pages.currentWidget() is pad.welcome
    pad.faces.button(5).click()  # a late tap asks about nothing
    with db.read() as session:
        assert session.scalars(select(Rating)).all() == []


def test_without_a_pad_the_console_panel_asks_and_never_blocks_calling(  # type: ignore[no-untyped-def]
    open_console, db: Database
) -> None:
    first = issue(db)
    second = issue(db)
    console = open_console(2, "T02", "2222")
    assert not console.controller.overview.rating_pad
    console.press("call")
    console.press("finish")
    console.window.dialog.accept()
    console.settle()
    panel = console.window.console.rating
    assert panel.isVisible()
    assert first in panel.title.text()
    assert console.window.dialog is None  # nothing modal
    console.press("call")  # the next customer, while the panel still asks
    assert console.number == second
    panel.faces.button(5).click()
    console.settle()
    assert not panel.isVisible()
    with db.read() as session:
        event = session.scalars(select(Event).where(Event.kind == "visit_rated")).one()
        assert (event.actor, event.payload["score"]) == ("rating-counter-2", 5)
    assert "thank you for rating" in console.notice


def test_the_teller_sign_in_cannot_submit_a_rating(open_console, db: Database) -> None:  # type: ignore[no-untyped-def]
    number = issue(db)
    console = open_console(2, "T02", "2222")
    console.press("call")
    console.press("finish")
    console.window.dialog.accept()
    console.settle()
    with (
        pytest.raises(PermissionDenied, match="not from the staff sign-in T02"),
        db.unit_of_work(console.controller.staff.credential) as uow,
    ):
        engine.rate_visit(uow, number, 5)
    console.window.console.rating.faces.skip.click()
    assert not console.window.console.rating.isVisible()
    with db.read() as session:
        assert session.scalars(select(Rating)).all() == []


def test_shots_render_the_pad_and_the_console_at_their_sizes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QImage

    from ui.shots import render

    sizes = {f.name: QImage(str(f)).size() for f in render("rating-pad", tmp_path)}
    for screen in ("welcome", "faces", "thanks"):
        for width, height in ((1280, 800), (800, 480)):
            size = sizes[f"rating-pad-{screen}-{width}x{height}.png"]
            assert (size.width(), size.height()) == (width, height)  # nothing pushed wider
    names = {f.name for f in render("teller", tmp_path)}
    for name in ("teller-missed-undo", "teller-rating-panel", "teller-transfer-received-1366x768"):
        assert f"{name}.png" in names
