"""The branch-day simulator: scenario files, what a day contains, and the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lobby.cli.main import main
from lobby.errors import ConfigError
from lobby.routing import RoutingPolicy
from lobby.simulate import SCENARIOS, load_scenario, simulate, summarise
from lobby.simulate.accuracy import estimate_accuracy

WEEKDAY = SCENARIOS / "weekday.toml"
GOOD = """
name = "tiny"
branch = "{branch}"
visits = 40
[[services]]
code = "cash"
share = 1
service_time = {{ kind = "exponential", mean_min = 5 }}
"""


HISTORY = GOOD.replace("visits = 40", "visits = 40\nhistory = 'PAST'")


def write(tmp_path: Path, text: str, **extra: str) -> Path:
    path = tmp_path / "scenario.toml"
    branch = str(SCENARIOS.parent / "branches" / "sample.toml")
    path.write_text(text.format(branch=branch, **extra), encoding="utf-8")
    return path


@pytest.mark.parametrize("name", ["weekday", "month_start", "mmc"])
def test_shipped_scenarios_load_and_run(name: str) -> None:
    scenario, model = load_scenario(SCENARIOS / f"{name}.toml")
    result = simulate(model, 7)
    assert result.tickets
    assert all(t.called is not None for t in result.tickets)  # the hall empties at night
    assert scenario.name == model.name


def test_a_normal_weekday_is_about_1500_visits_with_20_percent_priority() -> None:
    _, model = load_scenario(WEEKDAY)
    assert len(model.counters) == 8
    assert sum(s.expected_visits for s in model.services) == pytest.approx(1500)
    summary = summarise(simulate(model, 1))
    assert 1400 < summary.visits < 1600
    firsts = summary.priority.tickets + summary.regular.tickets
    assert 0.15 < summary.priority.tickets / firsts < 0.3  # categories and transfers
    assert summary.totals.no_show > 0
    assert summary.totals.tickets > summary.visits  # transfers open further tickets


def test_the_same_seed_gives_the_same_day_and_policies_share_customers() -> None:
    _, model = load_scenario(WEEKDAY)
    first, again = simulate(model, 3), simulate(model, 3)
    assert [(t.queued, t.called) for t in first.tickets] == [
        (t.queued, t.called) for t in again.tickets
    ]
    fifo = simulate(model, 3, policy=RoutingPolicy(head_start_min={}, interleave=0))
    visits = [(t.queued, t.service_id, t.category) for t in first.tickets if t.hop == 0]
    assert visits == [(t.queued, t.service_id, t.category) for t in fifo.tickets if t.hop == 0]


def test_counters_call_nobody_during_their_break() -> None:
    _, model = load_scenario(WEEKDAY)
    result = simulate(model, 2)
    for counter in model.counters:
        (open_end, back) = counter.intervals[0][1], counter.intervals[1][0]
        during = [
            t
            for t in result.tickets
            if t.counter_id == counter.counter_id and open_end <= (t.called or 0) < back
        ]
        assert during == []


def test_fifo_policy_serves_a_single_queue_in_arrival_order() -> None:
    _, model = load_scenario(SCENARIOS / "mmc.toml")
    result = simulate(model, 1, policy=RoutingPolicy(head_start_min={}, interleave=0))
    called = sorted(result.tickets, key=lambda t: (t.called or 0, t.ticket_id))
    assert [t.ticket_id for t in called] == sorted(t.ticket_id for t in result.tickets)


def test_history_tells_the_estimate_a_normal_day_not_todays_plan() -> None:
    _, pension = load_scenario(SCENARIOS / "pension_day.toml")
    _, weekday = load_scenario(SCENARIOS / "weekday.toml")
    cash = next(s for s in pension.services if s.code == "cash")
    known = pension.history[cash.service_id]
    usual = next(s for s in weekday.services if s.code == "cash")
    assert known.configured_mean_min == usual.configured_mean_min < cash.time.mean_min
    assert known.mean_rate(0, 60) == usual.mean_rate(0, 60) < cash.mean_rate(0, 60)


def test_estimates_are_recorded_at_arrival() -> None:
    _, model = load_scenario(SCENARIOS / "mmc.toml")
    result = simulate(model, 1, estimates=True)
    assert all(t.estimate is not None for t in result.tickets)
    accuracy = estimate_accuracy(result.tickets)
    assert accuracy.tickets == len(result.tickets)
    assert 0 <= accuracy.coverage <= 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name = ", "not valid TOML"),
        (GOOD.replace('"cash"', '"bakery"'), "unknown service 'bakery'"),
        (GOOD + "colour = 'red'\n", "colour: Extra inputs are not permitted"),
        (GOOD.replace("visits = 40", "visits = 40\ncloses = '08:00'"), "must be after opens"),
        (GOOD.replace("visits = 40", "visits = -1"), "visits: Input should be greater than 0"),
        (GOOD.replace("visits = 40", "visits = 40\nopens = '25:00'"), "is not a time of day"),
        (GOOD.replace("mean_min = 5", "mean_min = 5, cv = 0.5"), "exponential service time"),
        (GOOD.replace("share = 1", "share = 0"), "shares add up to 0"),
        (
            GOOD.replace("visits = 40", "visits = 40\ncategories = {{ toddler = 0.1 }}"),
            "unknown category 'toddler'",
        ),
        (
            GOOD + "[[counters]]\ntiers = [['account']]\n",
            "service 'cash' has visits but no counter serves it",
        ),
        (
            GOOD + "[[counters]]\nprofile = 'cash'\nbreaks = [['18:00', '18:30']]\n",
            "is not inside opening hours",
        ),
        (GOOD + "[[counters]]\nprofile = 'bakers'\n", "unknown profile 'bakers'"),
        (GOOD.replace("{branch}", "missing.toml"), "no such file"),
        (HISTORY.replace("PAST", "nowhere.toml"), "history: .*nowhere.toml: no such file"),
        (HISTORY.replace("PAST", "scenario.toml"), "a scenario cannot be its own history"),
        (
            HISTORY.replace("PAST", str(SCENARIOS / "month_start.toml")),
            "month_start.toml has a history of its own",
        ),
    ],
)
def test_bad_scenarios_get_one_clear_line(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    pattern = message.replace("(", r"\(").replace(")", r"\)")
    with pytest.raises(ConfigError, match=pattern) as error:
        load_scenario(path)
    assert "\n" not in str(error.value)


def test_cli_simulate_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "--scenario", str(WEEKDAY), "--seed", "4", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["seed"] == 4
    assert set(data["by_service"]) == {
        "cash",
        "enquiry",
        "account",
        "wealth",
        "loans",
        "fx",
        "corporate",
        "vip",
    }
    cash = data["by_service"]["cash"]
    assert {"mean_wait_min", "p90_wait_min", "max_wait_min", "service_level", "tickets"} <= set(
        cash
    )
    assert cash["mean_wait_min"] <= cash["p90_wait_min"] <= cash["max_wait_min"]


def test_cli_simulate_text_and_estimates(capsys: pytest.CaptureFixture[str]) -> None:
    path = SCENARIOS / "mmc.toml"
    assert main(["simulate", "--scenario", str(path), "--estimates"]) == 0
    out = capsys.readouterr().out
    assert "cash" in out
    assert "estimate at issue: MAE" in out
    assert "industry formula" in out
    assert "rough" in out


def test_cli_simulate_bad_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, GOOD.replace("visits = 40", "visits = 'many'"))
    assert main(["simulate", "--scenario", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "visits" in err
