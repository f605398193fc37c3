"""Many operating-system processes on one database: no duplicate, double call or lost ticket.

Each test starts processes that work one fresh database at once, then checks the
database and the journal against what the processes said they did. The contention
itself is proven by 16 engine-API worker processes (400 issues, each call racing
another worker at the same counter); the command line's path through it (its exit
codes, one-line refusals and JSON under contention) by a handful of real ``lobby``
processes, two terminals per counter, each process paying the full start-up.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import aliased

from lobby.config import SAMPLE_BRANCH, load_branch_config
from lobby.db import Database
from lobby.journal import events_after
from lobby.models import Counter as CounterRow
from lobby.models import Ticket
from lobby.states import TicketState
from tests.helpers import ManualClock, add_test_staff, as_staff, environment_at
from tests.integration import workers

pytestmark = pytest.mark.slow

PROCESSES = 16
ROUNDS = 25
CLI_SESSIONS = 6  # terminals, two at each of CLI_COUNTERS counters
CLI_COUNTERS = 3
CLI_CYCLES = 2
CLI_TIMEOUT = 120.0  # seconds for any one CLI command
WORKER_PIN = "4321"

#: The ticket state each journal event kind leaves behind (the kinds these tests cause).
STATE_AFTER = {
    "issued": TicketState.WAITING.value,
    "called": TicketState.CALLED.value,
    "finished": TicketState.DONE.value,
    "no_show": TicketState.NO_SHOW.value,
}
CLOSING_KINDS = ("finished", "no_show")


# -- reading the outcome -------------------------------------------------------------


def read_tickets(url: str) -> list[dict[str, Any]]:
    """Every ticket row with its counter's number."""
    db = Database.open(url)
    try:
        counter = aliased(CounterRow)
        with db.read() as session:
            rows = session.execute(
                select(
                    Ticket.id,
                    Ticket.business_day,
                    Ticket.number,
                    Ticket.hop,
                    Ticket.state,
                    counter.number.label("counter"),
                )
                .outerjoin(counter, counter.id == Ticket.counter_id)
                .order_by(Ticket.id)
            ).all()
    finally:
        db.dispose()
    return [
        {
            "id": r.id,
            "business_day": r.business_day.isoformat(),
            "number": r.number,
            "hop": r.hop,
            "state": r.state,
            "counter": r.counter,
        }
        for r in rows
    ]


def read_journal(url: str) -> list[dict[str, Any]]:
    """The whole journal as JSON dicts, as ``lobby events --json`` prints them."""
    db = Database.open(url)
    events: list[dict[str, Any]] = []
    try:
        with db.read() as session:
            while chunk := events_after(session, events[-1]["id"] if events else 0):
                events.extend(e.to_json() for e in chunk)
    finally:
        db.dispose()
    return events


# -- the invariants ------------------------------------------------------------------


def duplicates(values: Iterable[Any]) -> dict[Any, int]:
    return {value: n for value, n in Counter(values).items() if n > 1}


def check_invariants(tickets: list[dict[str, Any]], events: list[dict[str, Any]]) -> list[str]:
    """Everything that must hold for any interleaving; returns the violations found."""
    problems: list[str] = []
    first_hops = [t for t in tickets if t["hop"] == 0]

    dup_numbers = duplicates((t["business_day"], t["number"]) for t in first_hops)
    if dup_numbers:
        problems.append(f"duplicate ticket numbers (business day, number): count {dup_numbers}")

    dup_rows = duplicates(t["id"] for t in tickets)
    if dup_rows:
        problems.append(f"ticket ids on more than one row: {dup_rows}")

    ticket_events = [e for e in events if e["ticket_id"] is not None]
    calls = duplicates(e["ticket_id"] for e in ticket_events if e["kind"] == "called")
    if calls:
        problems.append(f"tickets called more than once (id: called events): {calls}")

    issued = [e for e in events if e["kind"] == "issued"]
    if len(issued) != len(first_hops):
        problems.append(f"{len(issued)} issued events but {len(first_hops)} tickets with hop 0")
    issued_ids = {e["ticket_id"] for e in issued}
    first_hop_ids = {t["id"] for t in first_hops}
    if issued_ids != first_hop_ids:
        problems.append(
            "issued events and tickets differ: events without a ticket "
            f"{sorted(issued_ids - first_hop_ids)}, tickets without an event "
            f"{sorted(first_hop_ids - issued_ids)}"
        )

    # Each ticket is in exactly one known state, the one its own journal entries lead to.
    by_id = {t["id"]: t for t in tickets}
    journal_state: dict[int, str] = {}
    for event in ticket_events:
        if event["kind"] not in STATE_AFTER:
            problems.append(f"unexpected event kind {event['kind']!r}: {event}")
            continue
        journal_state[event["ticket_id"]] = STATE_AFTER[event["kind"]]
    known_states = {s.value for s in TicketState}
    for ticket in tickets:
        if ticket["state"] not in known_states:
            problems.append(f"ticket {ticket['id']} has unknown state {ticket['state']!r}")
        expected = journal_state.get(ticket["id"])
        if expected != ticket["state"]:
            problems.append(
                f"ticket {ticket['id']} ({ticket['number']}) is {ticket['state']!r} in the "
                f"database but {expected!r} by the journal"
            )
    for ticket_id in journal_state.keys() - by_id.keys():
        problems.append(f"the journal names ticket {ticket_id}, which is not in the database")

    # Replay every counter: never two open tickets, and closing only what is open there.
    open_at: dict[int, int | None] = defaultdict(lambda: None)
    for event in ticket_events:
        counter = event["counter"]
        if event["kind"] == "called":
            if counter is None:
                problems.append(f"called event without a counter: {event}")
            elif open_at[counter] is not None:
                problems.append(
                    f"counter {counter} called ticket {event['ticket_id']} (event {event['id']})"
                    f" while ticket {open_at[counter]} was still open there"
                )
            else:
                open_at[counter] = event["ticket_id"]
        elif event["kind"] in CLOSING_KINDS:
            if counter is None or open_at[counter] != event["ticket_id"]:
                problems.append(
                    f"{event['kind']} of ticket {event['ticket_id']} at counter {counter} "
                    f"(event {event['id']}), whose open ticket was {open_at[counter]}"
                )
            else:
                open_at[counter] = None

    closed = duplicates(e["ticket_id"] for e in ticket_events if e["kind"] in CLOSING_KINDS)
    if closed:
        problems.append(f"tickets finished or marked no-show more than once: {closed}")

    ids = [e["id"] for e in events]
    if ids != sorted(set(ids)):
        problems.append("journal ids are not strictly increasing")
    return problems


def check_reports(
    issued: list[Mapping[str, Any]],
    calls: list[Mapping[str, Any]],
    tickets: list[dict[str, Any]],
    events: list[dict[str, Any]],
) -> list[str]:
    """What the processes reported doing is what the database and the journal hold.

    Args:
        issued: Tickets the processes were issued (``id``, ``number``, ``business_day``).
        calls: Calls the processes were granted (``id``, ``counter``, ``actor``).
        tickets: The database's tickets.
        events: The journal.
    """
    problems: list[str] = []
    by_id = {t["id"]: t for t in tickets}
    for one in issued:
        row = by_id.get(one["id"])
        if row is None:
            problems.append(f"issued ticket {one} is missing from the database")
        elif (row["number"], row["business_day"], row["hop"]) != (
            one["number"],
            one["business_day"],
            0,
        ):
            problems.append(f"issued ticket {one} is {row} in the database")
    dup_issued = duplicates(one["id"] for one in issued)
    if dup_issued:
        problems.append(f"processes were handed the same ticket id on issue: {dup_issued}")
    extra = {t["id"] for t in tickets if t["hop"] == 0} - {one["id"] for one in issued}
    if extra:
        problems.append(f"tickets nobody reported issuing: {sorted(extra)}")

    dup_calls = duplicates(one["id"] for one in calls)
    if dup_calls:
        problems.append(f"processes were handed the same ticket on call: {dup_calls}")
    called_events = {e["ticket_id"]: e for e in events if e["kind"] == "called"}
    for one in calls:
        event = called_events.get(one["id"])
        if event is None:
            problems.append(f"reported call {one} has no called event in the journal")
        elif (event["counter"], event["actor"]) != (one["counter"], one["actor"]):
            problems.append(f"reported call {one} is journalled as {event}")
    return problems


def backend(url: str) -> str:
    return make_url(url).get_backend_name()


def open_tickets(tickets: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [t for t in tickets if TicketState(t["state"]).is_open]


# -- engine API from many processes --------------------------------------------------


def worker_staff(url: str) -> None:
    """A manager (who may issue and serve) for each worker: W00, W01, ..."""
    db = Database.open(url)
    try:
        add_test_staff(db, [f"W{i:02d}" for i in range(PROCESSES)], pin=WORKER_PIN)
    finally:
        db.dispose()


def test_many_processes_never_duplicate_or_lose(db_url: str) -> None:
    worker_staff(db_url)
    started = time.perf_counter()
    with workers.WorkerPool(PROCESSES, timeout=180) as pool:
        pool.prepare(
            "queue_rounds",
            [{"url": db_url, "rounds": ROUNDS, "seed": 1000 + i} for i in range(PROCESSES)],
        )
        ready = time.perf_counter()
        results = pool.go()
        seconds = time.perf_counter() - ready
    errors = [r["error"] for r in results if r["error"]]

    tickets = read_tickets(db_url)
    events = read_journal(db_url)
    issued = [one for r in results for one in r["issued"]]
    calls = [{**one, "actor": r["actor"]} for r in results for one in r["called"]]
    problems = check_invariants(tickets, events) + check_reports(issued, calls, tickets, events)
    closed = {i for r in results for i in r["finished"] + r["no_show"]}
    unclosed = [c for c in calls if c["id"] not in closed]
    if not errors and unclosed:
        problems.append(f"calls the workers did not close: {unclosed}")
    if not errors and open_tickets(tickets):
        problems.append(f"tickets still open at the end: {open_tickets(tickets)}")

    print(
        f"\n[{backend(db_url)}] {PROCESSES} processes x {ROUNDS} rounds: "
        f"issued {len(issued)}, called {len(calls)}, "
        f"finished {sum(len(r['finished']) for r in results)}, "
        f"no-show {sum(len(r['no_show']) for r in results)}, "
        f"nothing to call {sum(r['nothing_to_call'] for r in results)}, "
        f"counter busy {sum(r['counter_busy'] for r in results)}, "
        f"waiting at the end {sum(t['state'] == 'waiting' for t in tickets)}, "
        f"events {len(events)}, worker errors {len(errors)}; "
        f"work {seconds:.1f} s, start-up {ready - started:.1f} s, "
        f"total {time.perf_counter() - started:.1f} s"
    )
    assert not errors, "workers failed:\n\n" + "\n\n".join(errors)
    assert not problems, "\n".join(problems)
    assert len(issued) == PROCESSES * ROUNDS


# -- the command line from many processes --------------------------------------------


def lobby_command() -> list[str]:
    """The ``lobby`` console script of this environment, else ``python -m lobby``."""
    script = Path(sys.executable).with_name("lobby")
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)]
    return [sys.executable, "-m", "lobby"]


def counter_services() -> dict[int, str]:
    """Each sample counter's first tier-1 service: what its customers come for."""
    config = load_branch_config(SAMPLE_BRANCH)
    first = {p.code: p.tiers[0][0] for p in config.profiles}
    return {c.number: first[c.profile] for c in config.counters}


def run_cli(args: list[str]) -> dict[str, Any]:
    done = subprocess.run(
        [*lobby_command(), *args],
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT,
        stdin=subprocess.DEVNULL,
        check=False,
        env=environment_at(ManualClock()),  # the test's business day, not the wall clock's
    )
    return {"args": args, "rc": done.returncode, "stdout": done.stdout, "stderr": done.stderr}


def cli_session(
    index: int, url: str, counter: int, service: str, start: threading.Barrier
) -> list[dict[str, Any]]:
    """One terminal: CLI_CYCLES times issue, call and finish at its counter."""
    common = ["--db", url, "--json", "--staff", f"W{index:02d}", "--pin", WORKER_PIN]
    start.wait(CLI_TIMEOUT)
    steps = []
    for _ in range(CLI_CYCLES):
        steps.append(run_cli(["issue", service, *common]))
        steps.append(run_cli(["call", "--counter", str(counter), *common]))
        steps.append(run_cli(["finish", "--counter", str(counter), *common]))
    return steps


def refused(step: dict[str, Any], rc: int, wording: str) -> bool:
    """Whether a command failed the expected way: exit code, one stderr line, no traceback."""
    lines = step["stderr"].splitlines()
    return (
        step["rc"] == rc
        and len(lines) == 1
        and "Traceback" not in step["stderr"]
        and wording in lines[0]
        and not step["stdout"]
    )


def test_cli_processes_concurrently(db_url: str) -> None:
    worker_staff(db_url)
    started = time.perf_counter()
    services = counter_services()
    counters = [i % CLI_COUNTERS + 1 for i in range(CLI_SESSIONS)]
    start = threading.Barrier(CLI_SESSIONS)
    with ThreadPoolExecutor(CLI_SESSIONS) as executor:
        futures = [
            executor.submit(cli_session, i, db_url, c, services[c], start)
            for i, c in enumerate(counters)
        ]
        sessions = [f.result() for f in futures]
    work = time.perf_counter() - started

    problems: list[str] = []
    issued: list[dict[str, Any]] = []
    calls: list[dict[str, Any]] = []
    outcomes: Counter[str] = Counter()
    for index, steps in enumerate(sessions):
        actor = f"W{index:02d}"
        for step in steps:
            command = step["args"][0]
            if "Traceback" in step["stderr"]:
                problems.append(f"{actor} {step['args']} crashed:\n{step['stderr']}")
                continue
            if step["rc"] == 0:
                if step["stderr"]:
                    problems.append(f"{actor} {step['args']} succeeded, stderr {step['stderr']!r}")
                ticket = json.loads(step["stdout"])
                outcomes[f"{command} ok"] += 1
                if command == "issue":
                    issued.append(ticket)
                elif command == "call":
                    calls.append({"id": ticket["id"], "counter": ticket["counter"], "actor": actor})
                    if ticket["state"] != "called" or ticket["staff"] != actor:
                        problems.append(f"{actor} call printed {ticket}")
                elif ticket["state"] != "done":
                    problems.append(f"{actor} finish printed {ticket}")
            elif command == "call" and refused(step, 3, "no ticket is waiting"):
                outcomes["call: nothing to call (3)"] += 1
            elif command == "call" and refused(step, 2, "still has ticket"):
                outcomes["call: counter busy (2)"] += 1
            elif command == "finish" and refused(step, 2, "has no open ticket"):
                outcomes["finish: nothing open (2)"] += 1
            else:
                problems.append(
                    f"{actor} {step['args']} failed: exit {step['rc']}, "
                    f"stderr {step['stderr']!r}, stdout {step['stdout']!r}"
                )

    # Reading the journal shows staff activity: a manager reads it.
    listed = run_cli(["events", "--db", db_url, "--json", *as_staff("M01")])
    assert listed["rc"] == 0, listed
    events = [json.loads(line) for line in listed["stdout"].splitlines()]
    tickets = read_tickets(db_url)
    problems += check_invariants(tickets, events)
    problems += check_reports(issued, calls, tickets, events)
    if open_tickets(tickets):
        # The last command at every counter is a finish, which closes what is open there.
        problems.append(f"tickets still open at the end: {open_tickets(tickets)}")

    figures = ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items()))
    print(
        f"\n[{backend(db_url)}] {CLI_SESSIONS} CLI sessions x {CLI_CYCLES} cycles: "
        f"{figures}; tickets {len(tickets)}, called events "
        f"{sum(e['kind'] == 'called' for e in events)}, duplicate numbers "
        f"{len(duplicates((t['business_day'], t['number']) for t in tickets if t['hop'] == 0))},"
        f" double calls "
        f"{len(duplicates(e['ticket_id'] for e in events if e['kind'] == 'called'))}; "
        f"commands {sum(len(s) for s in sessions)} in {work:.1f} s, "
        f"total {time.perf_counter() - started:.1f} s"
    )
    assert not problems, "\n".join(problems)
    assert len(issued) == CLI_SESSIONS * CLI_CYCLES
