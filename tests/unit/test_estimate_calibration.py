"""Ranges that calibrate themselves on the branch's own recent errors."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from lobby.estimate import OpenCounter, QueueSnapshot, ServiceRates, predict
from lobby.estimate.calibration import (
    LEVEL_WINDOW,
    ROUGH_BELOW,
    Calibration,
    Residual,
    level_of,
)
from lobby.routing import Candidate, RoutingPolicy

NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
CASH, ACCOUNT = 1, 2


def residuals(service: int, model: float, actual: list[float]) -> list[Residual]:
    return [Residual(service, model, a) for a in actual]


def spread(rng: random.Random, center: float, relative: float, n: int) -> list[float]:
    return [max(0.0, center * (1 + rng.gauss(0, relative))) for _ in range(n)]


def test_without_residuals_the_band_is_the_models_range_and_rough() -> None:
    band = Calibration().band(CASH, 20.0, 14.0, 27.0)
    assert band.rough
    assert (band.expected_min, band.low_min, band.high_min) == pytest.approx((20.0, 14.0, 27.0))


def test_a_range_that_misses_often_grows_and_one_that_always_holds_narrows() -> None:
    rng = random.Random(1)
    wild = Calibration(residuals(CASH, 20.0, spread(rng, 20.0, 0.6, 200)))
    steady = Calibration(residuals(CASH, 20.0, spread(rng, 20.0, 0.05, 200)))
    model = (14.0, 27.0)
    wide, narrow = wild.band(CASH, 20.0, *model), steady.band(CASH, 20.0, *model)
    assert not wide.rough
    assert not narrow.rough
    assert wide.high_min - wide.low_min > model[1] - model[0] > narrow.high_min - narrow.low_min
    # the grown range holds about 80 % of waits like those it learnt from
    fresh = spread(rng, 20.0, 0.6, 2000)
    held = sum(wide.low_min <= w <= wide.high_min for w in fresh) / len(fresh)
    assert 0.74 <= held <= 0.86


def test_a_range_missing_on_one_side_shifts_and_the_estimate_stays_the_models() -> None:
    rng = random.Random(3)
    calibration = Calibration(residuals(CASH, 10.0, spread(rng, 15.0, 0.1, 200)))
    band = calibration.band(CASH, 10.0, 7.0, 14.0)
    assert band.expected_min == 10.0
    assert band.low_min == pytest.approx(10.0, abs=0.5)  # never above the estimate
    assert 15.5 < band.high_min < 19.0


def test_thin_data_is_shrunk_toward_the_model() -> None:
    few = Calibration(residuals(CASH, 20.0, [40.0] * 5))
    many = Calibration(residuals(CASH, 20.0, [40.0] * 200))
    assert few.band(CASH, 20.0, 14.0, 27.0).rough
    assert 27.0 < few.band(CASH, 20.0, 14.0, 27.0).high_min < 33.0
    assert many.band(CASH, 20.0, 14.0, 27.0).high_min == pytest.approx(40.0, rel=0.05)
    assert ROUGH_BELOW > 5


def test_each_service_and_load_level_keeps_its_own_errors() -> None:
    calibration = Calibration(
        residuals(CASH, 20.0, [20.0] * 100)
        + residuals(ACCOUNT, 20.0, [30.0] * 100)
        + residuals(CASH, 2.0, [2.0] * 100)
    )
    assert level_of(2.0) != level_of(20.0)
    cash = calibration.band(CASH, 20.0, 14.0, 27.0).high_min
    account = calibration.band(ACCOUNT, 20.0, 14.0, 27.0).high_min
    assert cash < account
    assert calibration.band(CASH, 2.0, 1.0, 3.0).high_min < cash


def test_only_the_latest_residuals_count() -> None:
    calibration = Calibration(
        residuals(CASH, 20.0, [40.0] * LEVEL_WINDOW) + residuals(CASH, 20.0, [20.0] * LEVEL_WINDOW)
    )
    assert calibration.count(20.0) == LEVEL_WINDOW
    assert calibration.band(CASH, 20.0, 14.0, 27.0).high_min == pytest.approx(20.0, abs=0.3)


def test_a_copy_is_independent() -> None:
    original = Calibration(residuals(CASH, 20.0, [20.0] * 50))
    twin = original.copy()
    twin.add(Residual(CASH, 20.0, 60.0))
    assert original.count(20.0) == 50
    assert twin.count(20.0) == 51


def _snapshot(calibration: Calibration | None, finished: int = 20) -> QueueSnapshot:
    waiting = [
        Candidate(i, f"A{i:03d}", CASH, "regular", NOW - timedelta(minutes=10 - i))
        for i in range(1, 6)
    ]
    rates = {CASH: ServiceRates(4.0, cv=0.5, finished_today=finished), ACCOUNT: ServiceRates(9.0)}
    return QueueSnapshot(
        NOW, waiting, [OpenCounter(1, {CASH: 1})], rates, RoutingPolicy(), calibration
    )


def test_an_estimate_with_little_to_go_on_is_rough_and_wide() -> None:
    learnt = Calibration(residuals(CASH, 16.0, spread(random.Random(2), 16.0, 0.1, 200)))
    sure = predict(_snapshot(learnt)).tickets[5]
    assert not sure.rough
    for unsure in (
        predict(_snapshot(None)).tickets[5],  # no residuals at all
        predict(_snapshot(learnt, finished=0)).tickets[5],  # no finishes today
    ):
        assert unsure.rough
        assert unsure.low_min <= unsure.expected_min / 2 + 1
        assert unsure.high_min >= 2 * unsure.expected_min
        assert unsure.high_min - unsure.low_min > sure.high_min - sure.low_min
    assert sure.model_min == pytest.approx(16.0)


def test_waiting_tickets_past_their_estimate_count_as_misses_at_once() -> None:
    calibration = Calibration(residuals(CASH, 20.0, spread(random.Random(4), 20.0, 0.05, 100)))
    late = [Residual(CASH, 20.0, 45.0)] * 40
    early = [Residual(CASH, 20.0, 5.0)] * 40  # not past the estimate: nothing known yet
    grown = calibration.with_overruns(late + early)
    assert len(grown) == 140
    assert len(calibration) == 100  # unchanged
    assert calibration.with_overruns(early) is calibration
    before = calibration.band(CASH, 20.0, 14.0, 27.0)
    after = grown.band(CASH, 20.0, 14.0, 27.0)
    assert after.high_min > before.high_min + 5
