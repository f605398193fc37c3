"""Queue intelligence commands: ``lobby simulate`` and ``lobby advise``.

``simulate`` and ``advise --scenario`` never open the database; ``advise
--from-history`` reads the live one.
"""

from __future__ import annotations

import argparse
import time as timer
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from lobby.cli.context import CliContext
from lobby.errors import InvalidInput
from lobby.simulate import DaySummary, load_scenario, simulate, summarise
from lobby.simulate.accuracy import EstimateAccuracy, estimate_accuracy
from lobby.staffing import Advice, advise, advise_from_history

Add = Callable[
    [str, Callable[[argparse.Namespace, CliContext], None], str], argparse.ArgumentParser
]


def _minutes(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def _summary_text(summary: DaySummary, seconds: float, accuracy: EstimateAccuracy | None) -> str:
    lines = [
        f"{summary.scenario}: seed {summary.seed}, {summary.visits} visits,"
        f" {summary.totals.tickets} tickets, simulated in {seconds:.2f} s",
        f"{'service':<11}{'tickets':>8}{'served':>8}{'no-show':>8}"
        f"{'mean':>7}{'p90':>7}{'max':>7}{'level':>7}{'target':>7}",
    ]
    rows = [*summary.by_service.items(), ("priority", summary.priority)]
    rows += [("regular", summary.regular), ("all", summary.totals)]
    for name, f in rows:
        level = "-" if f.service_level is None else f"{f.service_level:.0%}"
        target = f"{f.target_wait_min:g}" if f.target_wait_min else "own"
        lines.append(
            f"{name:<11}{f.tickets:>8}{f.served:>8}{f.no_show:>8}{_minutes(f.mean_wait_min):>7}"
            f"{_minutes(f.p90_wait_min):>7}{_minutes(f.max_wait_min):>7}{level:>7}{target:>7}"
        )
    lines.append("waits in minutes from joining the queue to the first call")
    if accuracy is not None:
        lines.append(
            f"estimate at issue: MAE {accuracy.mae_min:.2f} min"
            f" ({accuracy.share_of_wait:.0%} of the mean wait; industry formula"
            f" {accuracy.industry_mae_min:.2f},"
            f" last customer {accuracy.last_customer_mae_min:.2f}),"
            f" range held {accuracy.coverage:.0%} of {accuracy.tickets} tickets,"
            f" {accuracy.rough_share:.0%} rough"
        )
    return "\n".join(lines)


def run_simulation(args: argparse.Namespace, ctx: CliContext) -> None:
    """Simulate a branch day from a scenario file and report the waits per service."""
    _, model = load_scenario(Path(args.scenario))
    started = timer.perf_counter()
    result = simulate(model, args.seed, estimates=args.estimates)
    seconds = timer.perf_counter() - started
    summary = summarise(result)
    accuracy = estimate_accuracy(result.tickets) if args.estimates else None
    data: dict[str, Any] = summary.to_json()
    data["seconds"] = round(seconds, 3)
    if accuracy is not None:
        data["estimate"] = accuracy.to_json()
    ctx.emit(data, _summary_text(summary, seconds, accuracy))


def _advice_text(advice: Advice) -> str:
    lines = [
        f"{advice.scenario}: fewest counters per hour for {advice.level:.0%} called within"
        f" {advice.target_wait_min:g} min (checked over {advice.seeds} simulated days)",
        f"{'hour':<7}{'visits':>7}{'erlang':>8}{'advised':>9}{'level':>7}{'mean':>7}  by profile",
    ]
    for hour in advice.hours:
        level = "-" if hour.service_level is None else f"{hour.service_level:.0%}"
        profiles = ", ".join(f"{name} {n}" for name, n in hour.by_profile.items() if n)
        lines.append(
            f"{hour.hour:<7}{hour.visits:>7.1f}{hour.erlang_counters:>8}{hour.counters:>9}"
            f"{level:>7}{_minutes(hour.mean_wait_min):>7}  {profiles}"
        )
    lines.append(
        f"counter-hours: {advice.counter_hours:g} advised, {advice.erlang_counter_hours:g} by"
        f" Erlang C alone; target {'met' if advice.met else 'NOT met'} in every hour"
    )
    lines.extend(f"note: {note}" for note in advice.notes)
    return "\n".join(lines)


def run_advice(args: argparse.Namespace, ctx: CliContext) -> None:
    """Advise the fewest counters per hour that meet a service-level target."""
    if (args.scenario is None) == (not args.from_history):
        raise InvalidInput("give either --scenario FILE or --from-history")
    if args.from_history:
        day = date.fromisoformat(args.day) if args.day else None
        db = ctx.database()
        with db.read() as session:
            advice = advise_from_history(
                session,
                day,
                now=db.clock.now(),
                weeks=args.weeks,
                target_wait_min=args.target_wait_min,
                level=args.level,
                seeds=args.seeds,
            )
    else:
        _, model = load_scenario(Path(args.scenario))
        advice = advise(
            model, target_wait_min=args.target_wait_min, level=args.level, seeds=args.seeds
        )
    ctx.emit(advice.to_json(), _advice_text(advice))


def _day(value: str) -> str:
    try:
        date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date YYYY-MM-DD") from None
    return value


def _share(value: str) -> float:
    try:
        share = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number") from None
    if not 0 < share < 1:
        raise argparse.ArgumentTypeError(f"level must be between 0 and 1, not {value}")
    return share


def _positive(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number") from None
    if number <= 0:
        raise argparse.ArgumentTypeError(f"must be more than 0, not {value}")
    return number


def register(add: Add) -> None:
    """Add ``simulate`` and ``advise`` to the command line."""
    sim = add("simulate", run_simulation, "Simulate a branch day from a scenario file.")
    sim.add_argument("--scenario", required=True, metavar="FILE", help="scenario TOML file")
    sim.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    sim.add_argument(
        "--estimates", action="store_true", help="also give each arrival the live wait estimate"
    )
    adv = add("advise", run_advice, "Advise the fewest counters per hour for a service level.")
    adv.add_argument("--scenario", metavar="FILE", help="scenario TOML file")
    adv.add_argument(
        "--from-history", action="store_true", help="build the day from recent weeks' tickets"
    )
    adv.add_argument("--day", type=_day, help="day to advise for (default: tomorrow)")
    adv.add_argument("--weeks", type=int, default=4, help="weeks of history (default 4)")
    adv.add_argument("--target-wait-min", type=_positive, default=10.0, metavar="MIN")
    adv.add_argument("--level", type=_share, default=0.8, help="share within target (0.8)")
    adv.add_argument("--seeds", type=int, default=3, help="simulated days per check (3)")
