"""One ``lobby web`` process on one core holds 500 live pages; each hears of a call.

The server runs as ``lobby web`` pinned to CPU 0; an asyncio client in this process
(httpx, on 127.0.0.1) opens one server-sent event stream per waiting ticket. Each
round, a ticket is called (the commit stamped with the wall clock) and every stream's
first event after it is stamped. The baseline of the same run is the same round with
one stream. Memory is the server's peak resident set (``VmHWM``).
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from lobby import engine
from lobby.db import Database
from tests.bench.test_display_latency import percentiles
from tests.helpers import ManualClock, actor, environment_at

pytestmark = pytest.mark.slow
CONNECTIONS = 500
ROUNDS = 5
#: The issue's limits.
P95_LIMIT_MS = 500.0
RSS_LIMIT_MB = 200.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM")


async def follow(
    client: httpx.AsyncClient, url: str, stamps: list[int], connected: list[int]
) -> None:
    """Stamp every status event of one stream; count the stream connected at its first."""
    async with client.stream("GET", url) as response:
        assert response.status_code == 200
        async for line in response.aiter_lines():
            if line.startswith("event: status"):
                stamps.append(time.time_ns())
                if len(stamps) == 1:
                    connected[0] += 1


async def measure(
    base: str, codes: list[str], db: Database, calls: list[str], first_turn: int = 0
) -> list[float]:
    """Open a stream per code, then per call the latency of each stream's next event."""
    limits = httpx.Limits(max_connections=len(codes) + 10, max_keepalive_connections=0)
    timeout = httpx.Timeout(60.0, connect=60.0)
    latencies: list[float] = []
    async with httpx.AsyncClient(limits=limits, timeout=timeout) as client:
        stamps: list[list[int]] = [[] for _ in codes]
        connected = [0]
        tasks = [
            asyncio.create_task(follow(client, f"{base}/t/{code}/events", stamps[i], connected))
            for i, code in enumerate(codes)
        ]
        deadline = time.monotonic() + 120
        while connected[0] < len(codes):
            assert time.monotonic() < deadline, f"only {connected[0]} streams connected"
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.5)  # the estimates' second read after connecting settles
        for turn, number in enumerate(calls):
            before = [len(s) for s in stamps]
            committed = await asyncio.to_thread(call, db, number, first_turn + turn)
            deadline = time.monotonic() + 30
            while any(len(s) <= b for s, b in zip(stamps, before, strict=True)):
                assert time.monotonic() < deadline, "a stream was not told of the call"
                await asyncio.sleep(0.005)
            latencies += [(s[b] - committed) / 1e6 for s, b in zip(stamps, before, strict=True)]
            await asyncio.sleep(0.3)  # let the estimates' read pass before the next call
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    return latencies


def call(db: Database, number: str, turn: int) -> int:
    if turn:
        with db.unit_of_work(actor("T01")) as uow:
            engine.finish(uow, 1)
    with db.unit_of_work(actor("T01")) as uow:
        engine.call_ticket(uow, 1, number)
    return time.time_ns()


def test_500_live_connections(
    benchmark: object, db: Database, db_url: str, clock: ManualClock
) -> None:
    with db.unit_of_work(actor("M01")) as uow:
        engine.set_counter_status(uow, 1, "open")
        views = [engine.issue_ticket(uow, "cash") for _ in range(CONNECTIONS + 2 * ROUNDS + 1)]
    callees = [v.number for v in views[: 2 * ROUNDS]]
    followers = [v.code for v in views[2 * ROUNDS :]][:CONNECTIONS]
    port = free_port()
    env = {**environment_at(clock), "LOBBY_WEB_REQUESTS_PER_MIN": "100000"}
    server = subprocess.Popen(
        [sys.executable, "-m", "lobby", "web", "--db", db_url, "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, preexec_fn=lambda: os.sched_setaffinity(0, {0}),
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{base}/display", timeout=2)
                break
            except httpx.TransportError:
                assert server.poll() is None
                assert time.monotonic() < deadline
                time.sleep(0.1)
        os.sched_setaffinity(0, set(range(os.cpu_count() or 1)) - {0} or {0})
        one = percentiles(asyncio.run(measure(base, followers[:1], db, callees[:ROUNDS])))
        samples: list[float] = []
        benchmark.pedantic(  # type: ignore[attr-defined]
            lambda: samples.extend(
                asyncio.run(measure(base, followers, db, callees[ROUNDS : 2 * ROUNDS], ROUNDS))
            ),
            rounds=1,
            iterations=1,
        )
        rss = peak_rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    many = percentiles(samples)
    benchmark.extra_info.update(  # type: ignore[attr-defined]
        {"connections": CONNECTIONS, "many": many, "one": one, "peak_rss_mb": rss}
    )
    print(f"\n{CONNECTIONS} streams: {many}\n1 stream: {one}\npeak RSS {rss:.1f} MB")
    assert len(samples) == CONNECTIONS * ROUNDS
    assert many["p95_ms"] <= P95_LIMIT_MS
    assert rss <= RSS_LIMIT_MB
