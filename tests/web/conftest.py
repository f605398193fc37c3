"""Fixtures for ``lobby web``: a served app on the test's database, and one browser."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from lobby.access import DeviceKey
from lobby.db import Database
from lobby.web.app import WebOptions
from tests.web.server import serve_in_thread

WEB_KEY = DeviceKey("web", "test-device-web")


def enrol_web(db: Database) -> DeviceKey:
    """Enrol ``lobby web`` as a device (role web) in ``db``; its key."""
    from lobby.access import token_hash
    from lobby.models import Device

    with db.transaction() as session:
        session.add(
            Device(
                code=WEB_KEY.device,
                role="web",
                secret_hash=token_hash(WEB_KEY.secret),
                enrolled_by="tests",
                enrolled_at=db.clock.now(),
            )
        )
    return WEB_KEY


@pytest.fixture
def web_options() -> WebOptions:
    """The pages' options; a test overrides this fixture to change them."""
    return WebOptions(credential=WEB_KEY)


@pytest.fixture
def web(db: Database, web_options: WebOptions) -> Iterator[str]:
    """``lobby web`` on the sample branch's database (enrolled as a device); the base URL."""
    enrol_web(db)
    with serve_in_thread(db, web_options) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium (Debian's) for the whole session, driven by Selenium."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in (
        "--headless=new",
        "--no-sandbox",  # the tests run as root
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=390,844",
        "--autoplay-policy=no-user-gesture-required",
    ):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """The session's browser, left on a blank page after the test (live streams closed)."""
    yield browser
    browser.delete_all_cookies()  # of the site still open: cookies ignore the port
    browser.get("about:blank")
