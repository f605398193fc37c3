from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from lobby.clock import FixedClock, SystemClock, business_day
from lobby.errors import ConfigError
from lobby.settings import Settings


def test_shanghai_day_turns_at_16_utc() -> None:
    assert business_day(datetime(2026, 11, 23, 15, 59, tzinfo=UTC), "Asia/Shanghai") == date(
        2026, 11, 23
    )
    assert business_day(datetime(2026, 11, 23, 16, 0, tzinfo=UTC), "Asia/Shanghai") == date(
        2026, 11, 24
    )


def test_the_same_moment_is_a_different_day_elsewhere() -> None:
    moment = datetime(2026, 11, 23, 16, 0, tzinfo=UTC)
    assert business_day(moment, "UTC") == date(2026, 11, 23)
    assert business_day(moment, "America/New_York") == date(2026, 11, 23)


@pytest.mark.parametrize("name", ["Mars/Olympus", "", "Asia/Shanghai ", "../../etc/passwd"])
def test_unknown_zone_is_a_config_error(name: str) -> None:
    with pytest.raises(ConfigError) as caught:
        business_day(datetime(2026, 11, 23, 16, 0, tzinfo=UTC), name)
    assert repr(name) in str(caught.value)


def test_lobby_now_stops_the_clock_of_a_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOBBY_NOW", "2026-11-23T10:00:00+08:00")
    clock = Settings().clock()
    assert isinstance(clock, FixedClock)
    assert clock.now() == datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
    assert clock.now().tzinfo is UTC
    assert business_day(clock.now(), "Asia/Shanghai") == date(2026, 11, 23)


def test_without_lobby_now_the_clock_is_the_wall_clock() -> None:
    assert isinstance(Settings().clock(), SystemClock)


def test_lobby_now_must_name_its_offset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOBBY_NOW", "2026-11-23T10:00:00")
    with pytest.raises(ValueError, match="timezone"):
        Settings()
    with pytest.raises(ValueError, match="time zone"):
        FixedClock(datetime(2026, 11, 23, 10, 0))
