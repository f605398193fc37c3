"""The wait estimate as a pure function: the routing replay, its ranges and its shortcuts."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from lobby.estimate import (
    OpenCounter,
    QueueSnapshot,
    ServiceRates,
    WaitEstimate,
    predict,
    service_rates,
    wait_range,
)
from lobby.estimate.queue import WaitingQueue
from lobby.estimate.replay import BREAK_RETURN_MIN, IDLE_REACTION_MIN
from lobby.estimate.snapshot import PRIOR_TICKETS
from lobby.routing import Candidate, RoutingPolicy, choose_next

NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
CASH, ACCOUNT = 1, 2


def ticket(
    ticket_id: int, minutes_ago: float, service: int = CASH, category: str = "regular"
) -> Candidate:
    return Candidate(
        ticket_id, f"A{ticket_id:03d}", service, category, NOW - timedelta(minutes=minutes_ago)
    )


def snapshot(
    waiting: list[Candidate],
    counters: list[OpenCounter],
    mean: float = 5.0,
    **rates: float,
) -> QueueSnapshot:
    services = {CASH: ServiceRates(mean, **rates), ACCOUNT: ServiceRates(10.0)}
    return QueueSnapshot(NOW, waiting, counters, services, RoutingPolicy())


def test_an_idle_counter_means_no_wait() -> None:
    snap = snapshot([ticket(1, 0)], [OpenCounter(1, {CASH: 1})])
    assert predict(snap).tickets[1] == WaitEstimate(0, 0, 0, 0.0, model_min=0.0)


def test_one_counter_serves_the_line_in_order() -> None:
    waiting = [ticket(i, 10 - i) for i in range(1, 5)]
    snap = snapshot(waiting, [OpenCounter(1, {CASH: 1})])
    result = predict(snap).tickets
    assert [result[i].expected_min for i in range(1, 5)] == pytest.approx([0, 5, 10, 15])
    assert [result[i].ahead for i in range(1, 5)] == [0, 1, 2, 3]
    for estimate in result.values():
        assert estimate.low_min <= estimate.expected_min <= estimate.high_min


def test_two_counters_share_the_line() -> None:
    waiting = [ticket(i, 10 - i) for i in range(1, 7)]
    one = predict(snapshot(waiting, [OpenCounter(1, {CASH: 1})])).tickets[6]
    two = predict(snapshot(waiting, [OpenCounter(1, {CASH: 1}), OpenCounter(2, {CASH: 1})]))
    assert one.expected_min == pytest.approx(25.0)
    assert two.tickets[6].expected_min == pytest.approx(10.0)  # 1-2 now, 3-4 at 5, 5-6 at 10


def test_a_busy_counter_first_finishes_its_customer() -> None:
    busy = OpenCounter(1, {CASH: 1}, busy_service_id=CASH, busy_since=NOW - timedelta(minutes=2))
    estimate = predict(snapshot([ticket(1, 0)], [busy], cv=0.0)).tickets[1]
    assert estimate.expected_min == pytest.approx(3.0)  # 5 min mean, 2 already done


def test_priority_ticket_is_estimated_ahead_of_earlier_regulars() -> None:
    waiting = [ticket(1, 6), ticket(2, 5), ticket(3, 1, category="elderly")]
    result = predict(snapshot(waiting, [OpenCounter(1, {CASH: 1})])).tickets
    assert result[3].ahead == 0  # 1 min + 10 min head start beats 6 min waited
    assert result[1].ahead == 1


def test_expected_priority_arrivals_push_a_regular_back() -> None:
    waiting = [ticket(i, 10 - i) for i in range(1, 6)]
    counters = [OpenCounter(1, {CASH: 1})]
    calm = predict(snapshot(waiting, counters)).tickets[5]
    busy = predict(snapshot(waiting, counters, arrivals_per_min=0.5, priority_share=0.5)).tickets[5]
    assert busy.expected_min > calm.expected_min


def test_tier_two_work_waits_for_the_tier_one_line() -> None:
    waiting = [ticket(1, 5, ACCOUNT), ticket(2, 1), ticket(3, 0.5)]
    counter = OpenCounter(1, {CASH: 1, ACCOUNT: 2})
    snap = snapshot(waiting, [counter])
    result = predict(snap).tickets
    # after two cash customers of 5 minutes on average: estimated from random replays
    # (their median and 10-90 % points), the same each time for the same snapshot
    assert result[1].ahead == 2
    assert 5.0 < result[1].expected_min < 15.0
    assert result[1].low_min <= 10 <= result[1].high_min
    assert predict(snap).tickets[1] == result[1]


def test_new_arrival_per_service_and_no_counter_gives_a_rough_range() -> None:
    waiting = [ticket(1, 3), ticket(2, 2)]
    snap = snapshot(waiting, [OpenCounter(1, {CASH: 1})])
    new = predict(snap, [], [CASH, ACCOUNT]).new_arrivals
    # the idle counter leaves two tickets waiting: it is given a minute to react
    assert new[CASH].expected_min == pytest.approx(IDLE_REACTION_MIN + 10.0)
    assert new[CASH].ahead == 2
    # nobody serves accounts: the mean of one service, widened
    assert new[ACCOUNT].expected_min == pytest.approx(10.0)
    assert (new[ACCOUNT].low_min, new[ACCOUNT].high_min) == (5, 20)


def test_ranges_widen_with_fewer_completions_and_more_spread() -> None:
    narrow = wait_range(30.0, 20, 0.5)
    wide = wait_range(30.0, 2, 1.0)
    assert wide[0] <= narrow[0] <= 30 <= narrow[1] <= wide[1]
    assert wait_range(0.0, 3) == (0, 0)


def test_service_rates_shrink_toward_the_configured_mean() -> None:
    assert service_rates(8.0).mean_service_min == 8.0
    rates = service_rates(8.0, [4.0] * 80, arrivals=15, priority_arrivals=3, window_min=30)
    assert rates.mean_service_min == pytest.approx((80 * 4.0 + PRIOR_TICKETS * 8.0) / 90)
    assert rates.cv == pytest.approx(PRIOR_TICKETS / 90)  # no spread seen, shrunk toward 1
    assert (rates.arrivals_per_min, rates.priority_share) == (0.5, 0.2)


@pytest.mark.parametrize("seed", range(30))
def test_heads_of_groups_choose_as_the_whole_queue(seed: int) -> None:
    """Routing on the FIFO groups' heads picks what it picks on every waiting ticket."""
    rng = random.Random(seed)
    categories = ["regular"] * 6 + ["elderly", "vip", "pregnant"]
    candidates = []
    for i in range(1, rng.randint(1, 40)):
        due = NOW + timedelta(minutes=rng.uniform(-20, 30)) if rng.random() < 0.1 else None
        candidates.append(
            Candidate(
                i,
                str(i),
                rng.choice([CASH, ACCOUNT, 3]),
                rng.choice(categories),
                NOW - timedelta(minutes=rng.uniform(0, 40)),
                is_transfer=rng.random() < 0.1,
                appointment_due_at=due,
                target_counter_id=rng.choice([None, None, None, 1, 2]),
            )
        )
    queue = WaitingQueue.from_candidates(candidates)
    policy = RoutingPolicy(interleave=rng.choice([0, 1, 3]))
    streak = [rng.random() < 0.7 for _ in range(5)]
    tiers = {CASH: 1, ACCOUNT: rng.choice([1, 2]), 3: 2}
    for counter_id in (1, 2):
        whole = choose_next(
            candidates,
            counter_id=counter_id,
            tiers=tiers,
            now=NOW,
            policy=policy,
            recent_calls_priority=streak,
        )
        heads = choose_next(
            queue.heads(),
            counter_id=counter_id,
            tiers=tiers,
            now=NOW,
            policy=policy,
            recent_calls_priority=streak,
        )
        assert whole == heads
    assert len(queue) == len(candidates) == len(list(queue))


def test_a_counter_on_break_is_expected_back() -> None:
    away = OpenCounter(1, {CASH: 1}, on_break=True)
    estimate = predict(snapshot([ticket(1, 0)], [away])).tickets[1]
    assert estimate.expected_min == pytest.approx(BREAK_RETURN_MIN)


def test_history_shapes_the_arrivals_to_come() -> None:
    # priority customers expected in the coming hours overtake the last regular: the
    # more history expects, the longer its wait
    waiting = [ticket(i, 0.1 * (5 - i)) for i in range(1, 5)]
    counter = [OpenCounter(1, {CASH: 1})]

    def wait(expected: float) -> float:
        cash = ServiceRates(
            5.0,
            cv=0.5,
            arrivals_per_min=0.2,
            priority_share=0.5,
            expected_per_min=(expected,) * 8,
            expected_recent_per_min=0.2,
        )
        rates = {CASH: cash, ACCOUNT: ServiceRates(10.0)}
        return (
            predict(QueueSnapshot(NOW, waiting, counter, rates, RoutingPolicy()))
            .tickets[4]
            .expected_min
        )

    assert wait(0.0) == pytest.approx(15.0)
    assert wait(0.0) < wait(0.2) < wait(0.6)


def test_beyond_the_horizon_a_rough_range_counts_everyone_ahead() -> None:
    # 100 tickets issued in one instant, one 5-minute counter: the last ones are called
    # past the replay's 300-minute horizon and get the rough range, in the order issued
    waiting = [ticket(i, 0) for i in range(1, 101)]
    snap = snapshot(waiting, [OpenCounter(1, {CASH: 1})], cv=0.0)
    result = predict(snap).tickets
    assert result[100].rough
    assert result[100].ahead == 99
    assert result[100].low_min >= 250
    assert [result[i].ahead for i in (1, 2, 50)] == [0, 1, 49]
