"""``lobby shots web --out DIR``: the web pages in headless Chromium, with sample data.

The ticket page at 390x844 in each state and both languages, the complaint page,
and the web hall display at 1920x1080. Needs Debian's ``chromium`` and
``chromium-driver`` and the ``selenium`` package (the test tools).
"""

from __future__ import annotations

import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import uvicorn

from lobby import engine
from lobby.clock import FixedClock, SystemClock, business_day, zone
from lobby.complaints import move_complaint
from lobby.complaints.public import complaint_link
from lobby.config import SAMPLE_BRANCH, load_branch_config
from lobby.db import Database
from lobby.errors import LobbyError
from lobby.queries.ticket_status import branch_keys
from lobby.sample_history import sample_pad, sample_staff
from lobby.seeding import initialise
from lobby.ticket_code import encode
from lobby.web.app import create_app

PHONE_SIZE = (390, 844)
STATES = (
    "waiting", "called", "serving", "done", "rated", "missed", "missed-in-grace", "cancelled"
)
DISPLAY_SIZE = (1920, 1080)
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


class BrowserMissing(LobbyError):
    """The headless browser that takes the pictures is not installed."""

    exit_code = 5


def _morning() -> datetime:
    local = SystemClock().now().astimezone(zone("Asia/Shanghai"))
    return local.replace(hour=10, minute=30, second=0, microsecond=0)


def _sample(db: Database, clock: FixedClock) -> dict[str, str]:
    """Tickets in every state; returns state -> signed code (and the complaint's key)."""
    start = clock.moment
    codes: dict[str, str] = {}

    def at(minutes: float) -> None:
        clock.moment = start + timedelta(minutes=minutes)

    at(-40)
    with db.unit_of_work(sample_staff(db, "M01")) as uow:  # opens counters and issues
        for counter in (1, 2, 3):
            engine.set_counter_status(uow, counter, "open")
        issued = [engine.issue_ticket(uow, "cash", phone="13812345678") for _ in range(9)]
    at(-30)
    with db.unit_of_work(sample_staff(db, "T01")) as uow:
        engine.call_next(uow, 1)
        engine.start(uow, 1)
        engine.finish(uow, 1)
        codes["done"] = issued[0].code
        engine.call_next(uow, 1)
        engine.no_show(uow, 1)
        codes["missed"] = issued[1].code
    at(-20)
    with db.unit_of_work(sample_staff(db, "T01")) as uow:
        engine.call_ticket(uow, 1, issued[7].number)
        engine.start(uow, 1)
        engine.finish(uow, 1)
    with db.unit_of_work(sample_pad(db, 1)) as uow:
        engine.rate_visit(uow, issued[7].number, 5)
    codes["rated"] = issued[7].code
    at(-6)
    with db.unit_of_work(sample_staff(db, "T01")) as uow:
        engine.call_ticket(uow, 1, issued[6].number)
        engine.no_show(uow, 1)
    codes["missed-in-grace"] = issued[6].code
    at(-5)
    with db.unit_of_work(sample_staff(db, "T02")) as uow:
        engine.call_next(uow, 2)
        engine.start(uow, 2)
        codes["serving"] = issued[2].code
    at(-1)
    with db.unit_of_work(sample_staff(db, "T03")) as uow:
        engine.call_next(uow, 3)
        codes["called"] = issued[3].code
        engine.cancel(uow, issued[4].number, reason="left")
        codes["cancelled"] = issued[4].code
    codes["waiting"] = issued[8].code
    with db.unit_of_work(sample_staff(db, "G01")) as uow:
        reference = engine.file_complaint(
            uow, category="waiting", description="等了很久", contact="13812345678"
        )
    with db.unit_of_work(sample_staff(db, "M01")) as uow:
        move_complaint(uow, reference, "resolved", resolution="已增开窗口并向客户致歉。")
    with db.read() as session:
        keys = branch_keys(session)
    secret = keys.secret
    codes["complaint"] = complaint_link("/", secret, reference)
    today = business_day(clock.moment, keys.timezone)
    codes["unknown"] = encode(secret, keys.code, today, "A999")  # signed, never issued
    codes["expired"] = encode(secret, keys.code, today - timedelta(days=1), issued[5].number)
    codes["forged"] = issued[6].code[:-4] + "AAAA"
    at(0)
    return codes


@contextmanager
def _served(db: Database) -> Iterator[str]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(create_app(db), log_level="warning", timeout_graceful_shutdown=1)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


def _browser() -> Any:
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError as exc:
        raise BrowserMissing("lobby shots web needs selenium (the dev tools)") from exc
    if not Path(CHROMIUM).exists() or not Path(CHROMEDRIVER).exists():
        raise BrowserMissing("lobby shots web needs Debian's chromium and chromium-driver")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--hide-scrollbars"):
        options.add_argument(arg)
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


def _shoot(driver: Any, url: str, size: tuple[int, int], path: Path) -> Path:
    driver.set_window_size(*size)
    # the window's outer size includes no toolbar in headless mode; set the viewport exactly
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": size[0], "height": size[1], "deviceScaleFactor": 1, "mobile": size[0] < 800},
    )
    driver.get(url)
    driver.execute_script("return document.fonts.ready")
    path.parent.mkdir(parents=True, exist_ok=True)
    if not driver.save_screenshot(str(path)):
        raise OSError(f"could not write {path}")
    return path


def _pages(codes: dict[str, str]) -> list[tuple[str, str, tuple[int, int]]]:
    pages = [
        (f"/t/{codes[state]}?lang={lang}", f"web-ticket-{state}-{lang}", PHONE_SIZE)
        for lang in ("zh", "en")
        for state in STATES
    ]
    for lang in ("zh", "en"):
        pages.append((f"{codes['complaint']}?lang={lang}", f"web-complaint-{lang}", PHONE_SIZE))
    for lang in ("zh", "en"):
        for refused in ("unknown", "expired", "forged"):
            pages.append(
                (f"/t/{codes[refused]}?lang={lang}", f"web-ticket-{refused}-{lang}", PHONE_SIZE)
            )
    pages.append(("/display", "web-display", DISPLAY_SIZE))
    return pages


def render(out: Path) -> list[Path]:
    """Save every web page's picture into ``out``; return the files."""
    driver = _browser()
    try:
        with tempfile.TemporaryDirectory(prefix="lobby-shots-web-") as tmp:
            clock = FixedClock(_morning())
            db = Database.open(f"sqlite:///{Path(tmp) / 'lobby.db'}", clock=clock)
            try:
                initialise(db, load_branch_config(SAMPLE_BRANCH), "shots", waive_pin_change=True)
                codes = _sample(db, clock)
                with _served(db) as base:
                    files = [
                        _shoot(driver, base + path, size, out / f"{name}.png")
                        for path, name, size in _pages(codes)
                    ]
                    driver.get("about:blank")  # close the live streams before the server
                    return files
            finally:
                db.dispose()
    finally:
        driver.quit()
