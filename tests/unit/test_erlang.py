"""Erlang C against values worked out by hand and against its own identities."""

from __future__ import annotations

import math

import pytest

from lobby import erlang


def test_two_servers_one_erlang() -> None:
    # c = 2, a = 1: B(2) = 1/5, C = 2 * 0.2 / (2 - 1 * 0.8) = 1/3
    assert erlang.erlang_b(2, 1.0) == pytest.approx(0.2)
    assert erlang.wait_probability(2, 1.0) == pytest.approx(1 / 3)
    # Wq = C / (c mu - lambda) with mu = 1/5 per minute, lambda = 0.2
    assert erlang.mean_wait(0.2, 5.0, 2) == pytest.approx((1 / 3) * 5.0 / (2 - 1))


def test_one_server_is_mm1() -> None:
    rho = 0.8
    assert erlang.wait_probability(1, rho) == pytest.approx(rho)
    assert erlang.mean_wait(rho / 4, 4.0, 1) == pytest.approx(rho / (1 - rho) * 4.0)


def test_many_servers_stay_finite_and_exact() -> None:
    # a**c and c! overflow floats here; the recursion does not
    p = erlang.wait_probability(600, 570.0)
    assert 0 < p < 1
    assert math.isfinite(erlang.mean_wait(570 / 5, 5.0, 600))


def test_unstable_and_empty_queues() -> None:
    assert erlang.wait_probability(3, 3.0) == 1.0
    assert erlang.mean_wait(1.0, 5.0, 4) == math.inf
    assert erlang.service_level(1.0, 5.0, 4, 10) == 0.0
    assert erlang.mean_wait(0.0, 5.0, 1) == 0.0
    assert erlang.servers_needed(0.0, 5.0, 10, 0.8) == 0


def test_service_level_rises_with_servers_and_target() -> None:
    levels = [erlang.service_level(1.0, 4.0, c, 5.0) for c in range(5, 10)]
    assert levels == sorted(levels)
    assert erlang.service_level(1.0, 4.0, 5, 1.0) < erlang.service_level(1.0, 4.0, 5, 10.0)


def test_servers_needed_is_the_fewest() -> None:
    c = erlang.servers_needed(1.5, 5.0, 10.0, 0.8)
    assert erlang.service_level(1.5, 5.0, c, 10.0) >= 0.8
    assert erlang.service_level(1.5, 5.0, c - 1, 10.0) < 0.8


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((1.0, 5.0, 10.0, 1.0), "between 0 and 1"),
        ((1.0, 5.0, -1.0, 0.8), "must not be negative"),
        ((1.0, 0.0, 10.0, 0.8), "mean service time"),
    ],
)
def test_bad_arguments_are_refused(args: tuple[float, float, float, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        erlang.servers_needed(*args)


def test_impossible_staffing_is_an_error() -> None:
    with pytest.raises(ValueError, match="more than 3 servers"):
        erlang.servers_needed(2.0, 5.0, 1.0, 0.99, max_servers=3)
