"""Writers killed (SIGKILL) mid-operation lose nothing acknowledged and leave nothing half-done.

Each round starts :data:`WRITERS` processes (forked from a server that has Lobby
imported already) that issue, call and finish at their own counters, and kills each
right after a randomly chosen report of what it is doing: inside a transaction, just
before its commit, or just after it. Afterwards the database must hold every write a
writer saw committed, no duplicate number or double call, ticket states that agree
with the journal, an intact hash chain and (SQLite) a sound file. The kill points
come from a fixed seed, so a failure can be run again.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
from collections import Counter
from multiprocessing.connection import Connection, wait
from typing import Any

import pytest
from sqlalchemy import text

from lobby.db import Database
from lobby.journal import verify_chain
from tests.helpers import add_test_staff
from tests.integration.test_concurrency import (
    backend,
    check_invariants,
    counter_services,
    read_journal,
    read_tickets,
)

pytestmark = pytest.mark.slow

ROUNDS = 6
WRITERS = 6  # at once, each at its own counter: 36 kills per backend
SEED = 15
#: A writer is killed after this many reports at most (each operation sends three).
MOST_REPORTS = 14
TIMEOUT_S = 60.0  # for any one report; a writer that stops reporting fails the test


def fork_server() -> Any:
    """A multiprocessing context whose children fork from a process with Lobby imported."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["tests.integration.killed_writer"])
    return ctx


Ack = tuple[str, dict[str, Any]]  # operation, what the writer was told


def run_round(
    ctx: Any, url: str, rng: random.Random, services: dict[int, str]
) -> tuple[list[Ack], list[str]]:
    """Start the writers, kill each after its chosen report; return acks and kill points."""
    from tests.integration.killed_writer import write_until_killed

    writers: dict[Connection, tuple[Any, int]] = {}
    for slot in range(WRITERS):
        counter = slot + 1
        parent_end, child_end = ctx.Pipe(duplex=False)
        process = ctx.Process(
            target=write_until_killed,
            args=(url, child_end, f"K{slot:02d}", counter, services[counter]),
            daemon=True,
        )
        process.start()
        child_end.close()
        writers[parent_end] = (process, rng.randint(1, MOST_REPORTS))
    acks: list[Ack] = []
    kills: list[str] = []
    reports: Counter[Connection] = Counter()
    running = dict(writers)
    try:
        while running:
            ready = wait(list(running), TIMEOUT_S)
            assert ready, f"no writer reported for {TIMEOUT_S:.0f} s"
            for conn in ready:
                assert isinstance(conn, Connection)
                process, kill_after = running[conn]
                try:
                    kind, op, what = conn.recv()
                except EOFError:  # it died; everything it sent before is read
                    del running[conn]
                    process.join(TIMEOUT_S)
                    assert process.exitcode == -signal.SIGKILL, f"writer exit {process.exitcode}"
                    continue
                if kind == "ack":
                    acks.append((op, what))
                if kind == "ready":
                    continue
                reports[conn] += 1
                if reports[conn] == kill_after:
                    os.kill(process.pid, signal.SIGKILL)
                    kills.append(f"after {kind} {op}")
    finally:
        for conn, (process, _) in writers.items():
            if process.is_alive():
                process.kill()
            process.join(TIMEOUT_S)
            conn.close()
    return acks, kills


def check_acks(
    acks: list[Ack], tickets: list[dict[str, Any]], events: list[dict[str, Any]]
) -> list[str]:
    """Every write a writer saw committed is in the database, as it was told.

    A writer killed between its commit and its report leaves a write nobody
    acknowledged; that is allowed (the journal checks cover it), a missing one is not.
    """
    by_id = {t["id"]: t for t in tickets}
    called = {e["ticket_id"]: e for e in events if e["kind"] == "called"}
    problems = []
    for op, what in acks:
        row = by_id.get(what["id"])
        if op == "issue" and (row is None or (row["number"], row["hop"]) != (what["number"], 0)):
            problems.append(f"acknowledged issue {what} is {row} in the database")
        elif op == "call" and (
            what["id"] not in called
            or (called[what["id"]]["counter"], called[what["id"]]["actor"])
            != (what["counter"], what["actor"])
        ):
            problems.append(f"acknowledged call {what} is journalled as {called.get(what['id'])}")
        elif op == "finish" and (row is None or row["state"] != "done"):
            problems.append(f"acknowledged finish {what} is {row} in the database")
    twice = [key for key, n in Counter((op, what["id"]) for op, what in acks).items() if n > 1]
    if twice:
        problems.append(f"writes acknowledged twice: {twice}")
    return problems


def sound_storage(url: str) -> list[str]:
    """Problems of the file (SQLite's integrity check) and of the journal's chain."""
    db = Database.open(url)
    problems = []
    try:
        with db.read() as session:
            if db.is_sqlite:
                verdict = session.execute(text("PRAGMA integrity_check")).scalars().all()
                if verdict != ["ok"]:
                    problems.append(f"integrity check: {verdict[:5]}")
            chain = verify_chain(session)
            if not chain.intact:
                problems.append(chain.message)
    finally:
        db.dispose()
    return problems


def test_killed_writers_lose_nothing_acknowledged(db_url: str) -> None:
    db = Database.open(db_url)
    try:
        add_test_staff(db, [f"K{slot:02d}" for slot in range(WRITERS)])
    finally:
        db.dispose()
    ctx = fork_server()
    rng = random.Random(SEED)
    services = counter_services()
    acks: list[Ack] = []
    kills: list[str] = []
    for _ in range(ROUNDS):
        round_acks, round_kills = run_round(ctx, db_url, rng, services)
        acks += round_acks
        kills += round_kills

    tickets = read_tickets(db_url)
    events = read_journal(db_url)
    issued = [what for op, what in acks if op == "issue"]
    calls = [what for op, what in acks if op == "call"]
    problems = sound_storage(db_url) + check_invariants(tickets, events)
    problems += check_acks(acks, tickets, events)
    where = Counter(kills)
    print(
        f"\n[{backend(db_url)}] kill test: {len(kills)} writers killed "
        f"({', '.join(f'{k} {n}' for k, n in sorted(where.items()))}); "
        f"acknowledged {len(issued)} issues, {len(calls)} calls, "
        f"{sum(op == 'finish' for op, _ in acks)} finishes; "
        f"{len(tickets)} tickets, {len(events)} events"
    )
    assert len(kills) == ROUNDS * WRITERS
    assert not problems, "\n".join(problems)
