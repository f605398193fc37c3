"""Staffing advice: Erlang C first guess, checked and corrected by simulation."""

from __future__ import annotations

import json

import pytest

from lobby.cli.main import main
from lobby.errors import InvalidInput
from lobby.simulate import SCENARIOS, load_scenario
from lobby.staffing import advise

MMC = SCENARIOS / "mmc.toml"


def test_stationary_day_gets_about_the_erlang_c_staffing() -> None:
    _, model = load_scenario(MMC)
    advice = advise(model, target_wait_min=10, level=0.8, seeds=2)
    assert advice.met
    assert [h.hour for h in advice.hours][0] == "09:00"
    assert len(advice.hours) == 8
    # 0.8 arrivals a minute of 5 minutes each: Erlang C says 5 counters every hour
    assert {h.erlang_counters for h in advice.hours} == {5}
    for hour in advice.hours:
        assert 3 <= hour.counters <= 8
        assert hour.service_level is not None
        assert hour.service_level >= 0.8
    assert advice.counter_hours == sum(h.counters for h in advice.hours)


def test_a_target_no_staffing_can_meet_is_reported_not_hidden() -> None:
    _, model = load_scenario(MMC)
    advice = advise(model, target_wait_min=0.01, level=0.99, seeds=1, extra_counters=0)
    assert not advice.met
    assert any("every counter is open" in note for note in advice.notes)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"level": 1.0}, "level must be between 0 and 1"),
        ({"level": 0.0}, "level must be between 0 and 1"),
        ({"target_wait_min": 0}, "target wait must be more than 0"),
        ({"seeds": 0}, "seeds must be between 1 and 50"),
    ],
)
def test_bad_targets_are_refused(options: dict[str, float], message: str) -> None:
    _, model = load_scenario(MMC)
    with pytest.raises(InvalidInput, match=message):
        advise(model, **options)  # type: ignore[arg-type]


def test_cli_advise_scenario_json(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["advise", "--scenario", str(MMC), "--seeds", "1", "--target-wait-min", "15"]
    assert main([*argv, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["target_wait_min"] == 15
    assert {"hour", "counters", "erlang_counters", "by_profile", "service_level"} <= set(
        data["hours"][0]
    )
    assert main(argv) == 0
    assert "fewest counters per hour" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["advise"], "give either --scenario FILE or --from-history"),
        (["advise", "--scenario", str(MMC), "--from-history"], "give either"),
        (["advise", "--scenario", str(MMC), "--level", "1.5"], "level must be between 0 and 1"),
        (["advise", "--from-history", "--day", "tomorrow"], "is not a date"),
        (["advise", "--scenario", "/nonexistent.toml"], "no such file"),
    ],
)
def test_cli_advise_bad_input_exits_2(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    try:
        code = main(argv)
    except SystemExit as exit_:  # argument errors leave through argparse
        code = int(exit_.code or 0)
    assert code == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1
