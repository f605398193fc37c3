"""``lobby demo``'s web companion acts for the customer: rating a visit from the phone.

The demo runs as a user would start it (``lobby demo --headless``) on a fresh
database of each backend; it enrols its ``lobby web`` as the branch's web device
through the core's enrolment, and its simulated tellers finish tickets. A finished
ticket's page is opened in headless Chromium and rated by tapping.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import select

from lobby.db import Database
from lobby.engine.common import ticket_view
from lobby.models import Device, Event, Rating, Ticket
from lobby.states import TicketState
from lobby.vocabulary import EventKind
from tests.pgserver import PostgresServer
from tests.web.test_browser import text_of

pytestmark = [pytest.mark.browser, pytest.mark.slow]
WAIT_S = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of each backend, for the demo to set up."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'demo.db'}"
        return
    server: PostgresServer = request.getfixturevalue("pg_server")
    server.create_database("lobby_demo")
    yield server.url("lobby_demo")
    server.drop_database("lobby_demo")


@pytest.fixture
def demo(empty_url: str, tmp_path: Path) -> Iterator[tuple[str, Database]]:
    """``lobby demo --headless`` with its web companion; its base URL and the database."""
    port = free_port()
    log = (tmp_path / "demo.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "lobby", "demo", "--headless", "--db", empty_url]
        + ["--speed", "4", "--history-days", "0", "--web-port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={k: v for k, v in os.environ.items() if k != "DISPLAY"},
        start_new_session=True,
    )
    db = Database.open(empty_url)
    try:
        yield f"http://127.0.0.1:{port}", db
    finally:
        proc.send_signal(signal.SIGINT)  # Ctrl-C: the demo stops its lobby web too
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        log.close()
        db.dispose()


def finished_code(db: Database) -> str | None:
    """The signed code of a ticket the demo's tellers have finished, once there is one."""
    try:
        with db.read() as session:
            ticket = session.scalars(
                select(Ticket).where(Ticket.state == TicketState.DONE.value).limit(1)
            ).first()
            return None if ticket is None else ticket_view(ticket).code
    except Exception:  # noqa: BLE001 - the demo is still creating the schema
        return None


def test_rating_from_the_phone_in_the_demo(demo: tuple[str, Database], page: Any) -> None:
    base, db = demo
    code = WebDriverWait(db, WAIT_S, poll_frequency=0.2).until(finished_code)
    WebDriverWait(page, WAIT_S, poll_frequency=1, ignored_exceptions=(Exception,)).until(
        lambda p: p.get(f"{base}/t/{code}?lang=en") or "How was our service?" in text_of(
            p, ".rating"
        )
    )
    page.find_element(By.CSS_SELECTOR, '.score input[value="4"] + span').click()
    page.find_element(By.ID, "comment").send_keys("quick, thank you")
    page.find_element(By.CSS_SELECTOR, ".rating button.primary").click()
    WebDriverWait(page, WAIT_S).until(lambda p: text_of(p, ".told") == "Thank you for your rating")
    with db.read() as session:
        score, comment = session.execute(select(Rating.score, Rating.comment)).one()
        rated_by = session.scalars(
            select(Event.actor).where(Event.kind == EventKind.VISIT_RATED.value)
        ).all()
        web = session.execute(
            select(Device.role, Device.active, Device.enrolled_by).where(Device.code == "web")
        ).one()
        enrolled = session.scalars(
            select(Event.payload).where(Event.kind == EventKind.DEVICE_ENROLLED.value)
        ).all()
    assert (score, comment) == (4, "quick, thank you")
    assert rated_by == ["web"]
    assert tuple(web) == ("web", True, "M01")
    assert {"device": "web", "role": "web"} in enrolled
