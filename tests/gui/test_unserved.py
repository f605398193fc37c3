"""No staffed counter serves loans: the greeter, the printed ticket and the display say so.

"No counter is serving this" is not "you're next": with every loans counter closed the
greeter's tile, its ticket screen, the printed ticket (the PNG the ``png://`` printer
writes) and the hall display all say that no counter serves loans now; once a teller
opens counter 5 (loans), they show a wait again.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image, ImageOps
from pytestqt.qtbot import QtBot

from devices.printer.canvas import Column
from devices.printer.layout import SIZES, _pair, render_ticket
from lobby import engine
from lobby.db import Database
from lobby.settings import Settings
from lobby.ticket_print import UNSERVED_EN, UNSERVED_ZH, PrintableTicket
from tests.gui.test_greeter import QUIET, Greeter
from tests.helpers import actor
from ui.common.app import make_app
from ui.display.main import bootstrap as open_display

LOANS = 3  # the fourth service of the sample branch (D, loans)


def _inked_rows(picture: Image.Image) -> Image.Image:
    """The picture cropped to its ink (1-bit, black on white)."""
    grey = picture.convert("L")
    box = ImageOps.invert(grey).getbbox()
    assert box is not None
    return grey.crop((0, box[1], grey.width, box[3]))


def shows_line(ticket: Image.Image, zh: str, en: str) -> bool:
    """Whether the ticket picture holds the line ``zh / en`` exactly as the layout draws it."""
    size = SIZES[ticket.width]
    col = Column(ticket.width, size.margin)
    _pair(col, zh, en, size.body)
    line = _inked_rows(col.render())
    paper = ticket.convert("L")
    rows = [paper.crop((0, y, paper.width, y + 1)).tobytes() for y in range(paper.height)]
    wanted = [line.crop((0, y, line.width, y + 1)).tobytes() for y in range(line.height)]
    return any(
        rows[y : y + len(wanted)] == wanted for y in range(paper.height - len(wanted) + 1)
    )


@pytest.fixture
def greeter(qtbot: QtBot, db: Database, tmp_path: Path) -> Iterator[Greeter]:
    make_app(["test"])
    opened = Greeter(qtbot, db, f"png://{tmp_path}", QUIET)
    opened.settle()
    opened.sign_in()
    yield opened
    opened.close()


def test_no_staffed_counter_for_loans_is_said_everywhere(
    qtbot: QtBot, db: Database, greeter: Greeter, tmp_path: Path
) -> None:
    display = open_display(Settings(), db, languages="both")
    qtbot.addWidget(display.window)
    display.window.resize(1920, 1080)
    display.window.show()
    try:
        window = greeter.window
        tile = window.tiles.tiles["loans"]
        assert tile.queue.text() == "暂无窗口办理此业务"

        greeter.tap(tile)
        greeter.settle()
        greeter.tap(window.details.all_documents)
        greeter.tap(window.details.confirm_button)
        qtbot.waitUntil(lambda: greeter.page() is window.ticket, timeout=20_000)
        greeter.settle()
        assert window.ticket.wait.text() == "暂无窗口办理此业务"
        assert "马上就到您" not in window.ticket.wait.text()
        assert not window.ticket.ahead.isVisible()  # not "0 ahead of you"

        issued = window.ticket.issued
        assert issued is not None
        assert issued.printable.unserved
        paper = Image.open(tmp_path / f"{issued.ticket.number}.png")
        assert shows_line(paper, UNSERVED_ZH, UNSERVED_EN)
        assert not shows_line(paper, "前面还有 0 人", "0 ahead of you")
        # the search finds only what is printed: a served ticket has no such line
        served = render_ticket(replace(issued.printable, unserved=False), paper.width)
        assert not shows_line(served, UNSERVED_ZH, UNSERVED_EN)

        window.language.use("en")
        assert window.ticket.wait.text() == "No counter is serving this now"
        window.language.use("zh")

        wait = display.window.queue_labels[3 * LOANS + 2]
        qtbot.waitUntil(
            lambda: wait.text() == "暂无窗口办理此业务\nNo counter serving",
            timeout=10_000,
        )
        assert display.window.queue_labels[3 * LOANS + 1].text() == "1 人等候\n1 waiting"

        # a teller opens counter 5 (wealth and loans): a wait again, on every surface
        with db.unit_of_work(actor("G01")) as uow:
            engine.issue_ticket(uow, "loans")
        with db.unit_of_work(actor("T02")) as uow:
            engine.call_next(uow, 5)
        qtbot.waitUntil(lambda: "暂无窗口" not in wait.text(), timeout=10_000)
        assert wait.text().startswith("约 ")
        greeter.tap(window.ticket.done_button)
        qtbot.waitUntil(lambda: "暂无窗口" not in tile.queue.text(), timeout=10_000)
        assert tile.queue.text().startswith("等候 1 人")
    finally:
        display.window.close()
        display.feed.stop()
        display.runner.wait()


def test_the_printed_ticket_never_says_next_when_unserved() -> None:
    from datetime import datetime

    ticket = PrintableTicket(
        "支行", "Branch", "D001", "个人贷款", "Loans", 0, 0, 0, datetime(2026, 12, 7, 10), (), "x"
    )
    assert ticket.unserved is False
    unserved = render_ticket(replace(ticket, unserved=True), 576)
    assert shows_line(unserved, UNSERVED_ZH, UNSERVED_EN)
    assert not shows_line(unserved, "前面还有 0 人", "0 ahead of you")
    assert shows_line(render_ticket(ticket, 576), "前面还有 0 人", "0 ahead of you")
