from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from lobby.clock import business_day
from lobby.errors import ConfigError


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
