"""Rate limits: per client, refused lookups counted apart from ordinary requests."""

from __future__ import annotations

import httpx
import pytest

from lobby import engine
from lobby.db import Database
from lobby.web.app import WebOptions
from lobby.web.guard import RateLimiter
from tests.helpers import actor


def issue(db: Database) -> str:
    with db.unit_of_work(actor("G01")) as uow:
        return engine.issue_ticket(uow, "cash").code


@pytest.fixture
def web_options() -> WebOptions:
    return WebOptions(misses_per_min=3, requests_per_min=50)


def test_refused_lookups_are_rate_limited_per_client(db: Database, web: str) -> None:
    code = issue(db)
    for _ in range(3):
        assert httpx.get(f"{web}/t/LOBBY:SH-0101:20261123:A001:AAAAAAAA").status_code == 403
    busy = httpx.get(f"{web}/t/{code}?lang=en")
    assert busy.status_code == 429
    assert "Too many requests" in busy.text


class Steps:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_sliding_window_per_client() -> None:
    clock = Steps()
    limiter = RateLimiter(2, window_s=60, monotonic=clock)
    assert limiter.allow("a")
    assert limiter.allow("a")
    assert not limiter.allow("a")
    assert limiter.allow("b")
    assert limiter.exhausted("a")
    assert not limiter.exhausted("b")
    clock.now = 60.5
    assert limiter.allow("a")


def test_remembers_a_bounded_number_of_clients() -> None:
    limiter = RateLimiter(1, max_clients=3, monotonic=Steps())
    for client in "abcd":
        limiter.allow(client)
    assert not limiter.exhausted("a")  # forgotten first
    assert limiter.exhausted("d")
