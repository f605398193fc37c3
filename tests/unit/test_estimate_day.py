"""Learning the day: today's pace against history, and breaks and closings scheduled ahead."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from lobby.estimate import OpenCounter, QueueSnapshot, ServiceRates, predict
from lobby.estimate.replay import MAX_RATE_SCALE, pace
from lobby.routing import Candidate, RoutingPolicy
from lobby.simulate import SCENARIOS, load_scenario
from lobby.simulate.families import FAMILIES
from lobby.simulate.knowledge import on_break, scheduled_away
from lobby.simulate.model import CounterPlan

NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
CASH = 1


def line(n: int) -> list[Candidate]:
    return [
        Candidate(i, f"A{i:03d}", CASH, "regular", NOW - timedelta(minutes=n - i))
        for i in range(1, n + 1)
    ]


def wait_of_last(counters: list[OpenCounter], rates: ServiceRates, n: int = 6) -> float:
    snap = QueueSnapshot(NOW, line(n), counters, {CASH: rates}, RoutingPolicy())
    return predict(snap).tickets[n].expected_min


def at(minutes: float) -> datetime:
    return NOW + timedelta(minutes=minutes)


def test_a_break_scheduled_ahead_delays_the_wait() -> None:
    rates = ServiceRates(5.0, cv=0.5)
    two = [OpenCounter(1, {CASH: 1}), OpenCounter(2, {CASH: 1})]
    later = [OpenCounter(1, {CASH: 1}), OpenCounter(2, {CASH: 1}, away=((at(5), at(35)),))]
    assert wait_of_last(later, rates) > wait_of_last(two, rates) + 2


def test_a_counter_on_break_is_back_when_its_break_ends() -> None:
    rates = ServiceRates(5.0, cv=0.5)
    away = [OpenCounter(1, {CASH: 1}, on_break=True, away=((at(-10), at(20)),))]
    assert wait_of_last(away, rates, 1) == pytest.approx(20.0)


def test_a_counter_closing_for_the_day_serves_nobody_after() -> None:
    rates = ServiceRates(5.0, cv=0.5)
    both = [OpenCounter(1, {CASH: 1}), OpenCounter(2, {CASH: 1})]
    closing = [OpenCounter(1, {CASH: 1}), OpenCounter(2, {CASH: 1}, away=((at(6), None),))]
    assert wait_of_last(closing, rates, 10) > wait_of_last(both, rates, 10) + 10


def rates_seen(arrived_today: int, expected_today: float, recent: float) -> ServiceRates:
    return ServiceRates(
        2.0,
        arrivals_per_min=recent,
        expected_per_min=(0.5,) * 8,
        expected_recent_per_min=0.5,
        arrived_today=arrived_today,
        expected_today=expected_today,
    )


def test_todays_pace_counts_the_more_of_today_has_been_seen() -> None:
    # twice history's arrivals: barely trusted after 10 expected, mostly after 200
    early = pace(rates_seen(20, 10.0, 1.0), 8)
    late = pace(rates_seen(400, 200.0, 1.0), 8)
    assert 1.0 < early[-1] < late[-1] <= 2.0
    assert late[-1] == pytest.approx(2.0, abs=0.1)
    # the recent window leads the near slots, the day's pace the later ones
    surge_over = pace(rates_seen(400, 200.0, 0.5), 8)
    assert surge_over[0] < surge_over[-1]
    assert max(pace(rates_seen(10_000, 10.0, 50.0), 8)) == MAX_RATE_SCALE
    assert pace(ServiceRates(2.0, arrivals_per_min=1.0), 3) == [1.0, 1.0, 1.0]


def test_a_busier_day_than_history_lengthens_the_wait_of_a_regular() -> None:
    # priority customers expected to overtake: more of them when today runs busier
    counter = [OpenCounter(1, {CASH: 1})]

    def wait(arrived: int) -> float:
        rates = ServiceRates(
            4.0,
            cv=0.5,
            arrivals_per_min=0.3 * arrived / 100,
            priority_share=0.5,
            categories=(("elderly", 0.5),),
            expected_per_min=(0.3,) * 8,
            expected_recent_per_min=0.3,
            arrived_today=arrived,
            expected_today=100.0,
        )
        return wait_of_last(counter, rates, 8)

    assert wait(60) < wait(100) < wait(200)


def test_the_rota_tells_breaks_and_closings_ahead() -> None:
    counter = CounterPlan(1, "cash", {CASH: 1}, ((30.0, 120.0), (150.0, 300.0)))
    away = scheduled_away(counter, 0.0, 480.0, at)
    assert away == ((at(0), at(30)), (at(120), at(150)), (at(300), None))
    assert scheduled_away(counter, 200.0, 480.0, at) == ((at(300), None),)
    assert on_break(counter, 10.0)
    assert on_break(counter, 130.0)
    assert not on_break(counter, 60.0)


def test_families_load_and_every_day_but_the_weekday_has_weekday_history() -> None:
    groups = {f.group for f in FAMILIES}
    assert groups == {"tuning", "held-out"}
    held_out = {f.name for f in FAMILIES if f.group == "held-out"}
    assert held_out == {"pension_day", "early_close", "staff_shortage", "vip_heavy"}
    for family in FAMILIES:
        _, model = load_scenario(SCENARIOS / family.file)
        if family.name == "weekday":
            assert not model.history
        else:
            assert set(model.history) == {s.service_id for s in model.services}
