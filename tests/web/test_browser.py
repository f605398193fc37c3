"""The phone page and the web display in a real headless Chromium, on both backends.

The link comes from a freshly printed ticket (the QR read back from the printed
picture); calls are made by another process (``lobby call``), as a teller's
console would.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pyzbar.pyzbar import decode as read_codes
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from devices.printer import open_printer
from lobby import engine
from lobby.db import Database
from lobby.engine.common import ticket_by_number, ticket_view
from lobby.ticket_print import printable_ticket
from tests.helpers import ManualClock, actor, environment_at

pytestmark = [pytest.mark.browser, pytest.mark.devices]
PHONE = "13812345678"
WAIT_S = 15


def lobby(db_url: str, clock: ManualClock, *args: str) -> None:
    """Run one ``lobby`` command in its own process, on the test's business day."""
    subprocess.run(
        [sys.executable, "-m", "lobby", *args, "--db", db_url],
        check=True,
        capture_output=True,
        env=environment_at(clock),
        timeout=60,
    )


def printed_link(db: Database, base_url: str, tmp_path: Path, number: str) -> str:
    """Print ticket ``number`` as the greeter does and read its QR back from the paper."""
    printer = open_printer(f"png://{tmp_path}")
    with db.unit_of_work(actor("G01")) as uow:
        view = ticket_view(ticket_by_number(uow, number, lock=False))
        paper = printable_ticket(uow.session, view.id, view.code, base_url)
    printer.print_ticket(paper)
    printer.close()
    (picture,) = tmp_path.glob("*.png")
    (code,) = read_codes(Image.open(picture))
    return code.data.decode()


def text_of(page: Any, selector: str) -> str:
    """The visible text of ``selector``, read in one step (the live page replaces nodes)."""
    found = page.execute_script(
        "var e = document.querySelector(arguments[0]); return e ? e.innerText : null;", selector
    )
    return "" if found is None else str(found).strip()


def test_printed_link_follows_the_call_live(
    db: Database, db_url: str, clock: ManualClock, web: str, page: Any, tmp_path: Path
) -> None:
    with db.unit_of_work(actor("G01")) as uow:
        engine.issue_ticket(uow, "cash")
        mine = engine.issue_ticket(uow, "cash", phone=PHONE).number
        engine.set_counter_status(uow, 3, "open")
    link = printed_link(db, web, tmp_path, mine)
    assert link.startswith(f"{web}/t/LOBBY:")
    page.get(link + "?lang=en")
    assert text_of(page, ".number") == mine
    assert text_of(page, ".ahead") == "1 ahead of you"
    assert PHONE not in page.page_source
    lobby(
        db_url, clock, "call", "--counter", "3", "--staff", "T01", "--pin", "1111"
    )  # the first ticket
    WebDriverWait(page, WAIT_S).until(lambda p: text_of(p, ".ahead") == "You are next")
    assert "Nearly your turn" in text_of(page, "#alert")  # at 3 ahead or fewer
    lobby(db_url, clock, "finish", "--counter", "3", "--staff", "T01", "--pin", "1111")
    lobby(db_url, clock, "call", "--counter", "3", "--staff", "T01", "--pin", "1111")  # now mine
    WebDriverWait(page, WAIT_S).until(lambda p: text_of(p, ".state") == "Please go to counter 3")
    assert "called" in str(page.find_element(By.TAG_NAME, "body").get_attribute("class"))
    lobby(db_url, clock, "start", "--counter", "3", "--staff", "T01", "--pin", "1111")
    WebDriverWait(page, WAIT_S).until(lambda p: text_of(p, ".state") == "Being served at counter 3")
    assert PHONE not in page.page_source


def test_the_page_in_chinese_by_the_phones_language(db: Database, web: str, page: Any) -> None:
    with db.unit_of_work(actor("G01")) as uow:
        code = engine.issue_ticket(uow, "cash").code
    page.get(f"{web}/t/{code}")  # Chromium here asks for en-US
    assert text_of(page, ".state") == "Waiting"
    page.find_element(By.CSS_SELECTOR, "a.switch").click()
    WebDriverWait(page, WAIT_S).until(lambda p: text_of(p, ".state") == "等候中")
    assert page.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-CN"


def test_forged_code_is_refused(db: Database, web: str, page: Any) -> None:
    with db.unit_of_work(actor("G01")) as uow:
        code = engine.issue_ticket(uow, "cash").code
    page.get(f"{web}/t/{code[:-2]}ZZ?lang=en")
    assert text_of(page, "h1") == "This ticket cannot be shown"
    assert "does not check out" in page.page_source


def test_web_display_shows_a_call_made_by_another_process(
    db: Database, db_url: str, clock: ManualClock, web: str, page: Any
) -> None:
    with db.unit_of_work(actor("G01")) as uow:
        number = engine.issue_ticket(uow, "cash", phone=PHONE).number
        engine.set_counter_status(uow, 1, "open")
    page.set_window_size(1920, 1080)
    try:
        page.get(f"{web}/display")
        assert "暂无叫号" in text_of(page, ".calls")
        lobby(db_url, clock, "call", "--counter", "1", "--staff", "T02", "--pin", "2222")
        WebDriverWait(page, WAIT_S).until(
            lambda p: (
                p.find_element(By.TAG_NAME, "html").get_attribute("data-last-call") == f"{number}@1"
            )
        )
        row = f'.call[data-number="{number}"]'
        assert "Counter 1" in text_of(page, row)
        assert "1 号窗口" in text_of(page, row)
        assert page.execute_script(
            "return document.querySelector(arguments[0]).classList.contains('flash')", row
        )
        assert PHONE not in page.page_source
    finally:
        page.set_window_size(390, 844)
