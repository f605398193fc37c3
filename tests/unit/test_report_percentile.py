"""The p90 of a period longer than a day, from wait histograms, against the exact value."""

from __future__ import annotations

import random
import statistics
from dataclasses import fields
from datetime import date, timedelta

import pytest

from lobby.reports.figures import (
    HIST_BINS,
    TALLY_KEYS,
    WAIT_BIN_S,
    DaySums,
    Figures,
    Period,
    Tally,
    exact_p90,
    pack_hist,
    unpack_hist,
    wait_bin,
)
from lobby.reports.rollup import day_runs


def day_of(waits_s: list[float]) -> DaySums:
    """The sums of one day with these waits, as the collector builds them."""
    waits = sorted(round(w * 1e6) for w in waits_s)
    return DaySums(
        called=len(waits),
        wait_us=sum(waits),
        wait_min_us=waits[0],
        wait_max_us=waits[-1],
        p90_wait_s=exact_p90(waits),
        hist=pack_hist(waits),
    )


@pytest.mark.parametrize("seed", range(40))
def test_binned_p90_is_within_one_bin_of_the_exact_value(seed: int) -> None:
    rng = random.Random(seed)
    days = [
        [round(rng.expovariate(1 / rng.uniform(30, 1500)), 3) for _ in range(rng.randint(1, 400))]
        for _ in range(rng.randint(2, 30))
    ]
    period = Period()
    for waits in days:
        period.add(day_of(waits))
    binned = period.p90_wait_s()
    assert binned is not None
    every = sorted(round(w * 1e6) for day in days for w in day)
    assert abs(binned - exact_p90(every)) < WAIT_BIN_S
    assert exact_p90(every) == pytest.approx(
        statistics.quantiles([w / 1e6 for w in every], n=10, method="inclusive")[8]
    )


def test_one_day_keeps_its_exact_p90_and_packed_histograms_add_up() -> None:
    one = Period()
    one.add(day_of([300, 480, 1800]))
    assert one.p90_wait_s() == 1536.0
    two = Period()
    two.add(day_of([300, 480, 1800]))
    two.add(day_of([120, 240, 300, 3600]))
    assert two.p90_wait_s() == pytest.approx(2524.5)  # exact: 2520
    packed = [
        int.from_bytes(pack_hist(sorted(w)), "little")
        for w in ([0, 20_000_000], [16_000_000, 3_000_000_000])
    ]
    assert unpack_hist(sum(packed))[:3] == [1, 2, 0]
    assert sum(unpack_hist(sum(packed))) == 4


def test_waits_past_the_last_bin_are_bounded_by_the_longest() -> None:
    very_long = (HIST_BINS + 100) * WAIT_BIN_S
    assert wait_bin(round(very_long * 1e6)) == HIST_BINS - 1
    period = Period()
    period.add(day_of([10.0] * 5))
    period.add(day_of([very_long] * 5))
    p90 = period.p90_wait_s()
    assert p90 is not None
    # past 4 hours the estimate is only known to lie in the last bin, up to the longest
    assert (HIST_BINS - 1) * WAIT_BIN_S <= p90 <= very_long


def test_day_runs_split_at_gaps_and_length() -> None:
    d = date(2026, 1, 1)
    days = [d, d + timedelta(1), d + timedelta(2), d + timedelta(5)]
    assert list(day_runs(days)) == [(d, d + timedelta(2)), (d + timedelta(5), d + timedelta(5))]
    assert list(day_runs(days[:3], longest=2)) == [
        (d, d + timedelta(1)),
        (d + timedelta(2), d + timedelta(2)),
    ]


def test_sums_and_figures_share_one_tally() -> None:
    assert tuple(f.name for f in fields(Tally)) == TALLY_KEYS
    assert tuple(f.name for f in fields(Figures))[: len(TALLY_KEYS)] == TALLY_KEYS
    assert tuple(f.name for f in fields(DaySums))[: len(TALLY_KEYS)] == TALLY_KEYS
    day = DaySums(issued=3, served=2, called=3, no_show=1)
    total = DaySums(issued=1, expired=1)
    total.add_tally(day)
    assert (total.issued, total.served, total.no_show, total.expired) == (4, 2, 1, 1)
