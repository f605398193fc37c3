"""``lobby demo``: a live branch on an embedded SQLite database.

A simulated greeter issues tickets and simulated tellers call and serve them, each
in its own thread and connection, while the terminal follows the journal as the
apps do. The Qt apps join this demo as they are built.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

from lobby import engine
from lobby.access import WEB
from lobby.cli.context import CliContext
from lobby.clock import business_day
from lobby.config import SAMPLE_BRANCH, load_branch_config
from lobby.db import Database
from lobby.enrolment import WEB_DEVICE, enrol_device
from lobby.errors import LobbyError, NothingToCall
from lobby.feed import Feed, change_detector
from lobby.keyfiles import write_key_file
from lobby.programs import lobby_command
from lobby.queries.board import board
from lobby.sample_history import TELLERS, MovableClock, play_days, sample_staff
from lobby.seeding import initialise

#: Windows the demo opens: (command, its arguments). Each app issue adds its own.
APP_WINDOWS: tuple[tuple[str, ...], ...] = (
    ("teller", "--counter", "1", "--staff", "T01"),
    ("teller", "--counter", "4", "--staff", "T03"),
    ("greeter", "--staff", "G01"),
    ("display",),
    ("manager", "--staff", "M01"),
)
#: Counters a simulated teller works when no window has it.
SIMULATED_COUNTERS = (1, 2, 4, 5, 8)
CATEGORIES = ("regular",) * 8 + ("elderly", "vip")


def _greeter(db: Database, stop: threading.Event, speed: float, rng: random.Random) -> None:
    with db.read() as session:
        from lobby.models import Service

        codes = [s.code for s in session.query(Service).filter(Service.active)]
    while not stop.wait(rng.uniform(0.6, 1.6) / speed):
        with db.unit_of_work(sample_staff(db, "G01")) as uow:
            engine.issue_ticket(uow, rng.choice(codes), category=rng.choice(CATEGORIES))


def _teller(db: Database, counter: int, stop: threading.Event, speed: float, seed: int) -> None:
    rng = random.Random(seed)
    actor = sample_staff(db, TELLERS.get(counter, "T01"))
    while not stop.is_set():
        try:
            with db.unit_of_work(actor) as uow:
                engine.call_next(uow, counter)
        except NothingToCall:
            stop.wait(0.5 / speed)
            continue
        if stop.wait(rng.uniform(0.5, 1.5) / speed):
            return
        with db.unit_of_work(actor) as uow:
            if rng.random() < 0.08:
                engine.no_show(uow, counter)
            else:
                engine.start(uow, counter)
        if stop.wait(rng.uniform(2.0, 6.0) / speed):
            return
        try:
            with db.unit_of_work(actor) as uow:
                engine.finish(uow, counter)
        except LobbyError:
            continue  # the ticket was marked no-show above


def _code(db: Database, number: str) -> str:
    from sqlalchemy import select

    from lobby.engine.common import ticket_view
    from lobby.models import Ticket

    with db.read() as session:
        ticket = session.scalars(
            select(Ticket).where(Ticket.number == number).order_by(Ticket.id.desc()).limit(1)
        ).one()
        return ticket_view(ticket).code


def enrol_web(db: Database, keys: Path) -> Path:
    """Enrol the demo's ``lobby web`` as the branch's web device (by the sample manager).

    Its key goes to a file in ``keys`` (owner-only) that ``lobby web --key-file`` reads:
    the customers' actions on their phones (on my way, cancel, rating) are then
    journalled under that device, as on a real branch.
    """
    with db.unit_of_work(sample_staff(db, "M01")) as uow:
        key = enrol_device(uow, WEB_DEVICE, WEB)
    return write_key_file(keys / "web-device.json", key)


def has_display() -> bool:
    """Whether windows can be shown (an X or Wayland display, or a Qt platform chosen)."""
    return any(os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


def run_demo(args: argparse.Namespace, ctx: CliContext) -> None:
    """Initialise a demo database (a temporary SQLite file unless --db is given) and run."""
    workdir = None
    url = args.db
    if url is None:
        workdir = tempfile.TemporaryDirectory(prefix="lobby-demo-")
        url = f"sqlite:///{Path(workdir.name) / 'lobby.db'}"
    clock = MovableClock()
    db = Database.open(url, clock=clock)
    # a throwaway branch: the sample PINs stay valid instead of being changed first
    initialise(db, load_branch_config(SAMPLE_BRANCH), "demo", waive_pin_change=True)
    print("Demo branch: the sample PINs work as they are (no change at first sign-in).")
    windows = [] if args.headless or not has_display() else list(APP_WINDOWS)
    # the manager's reports need past days; only a fresh demo database gets them
    if windows and args.history_days and workdir is not None:
        print(f"Playing the last {args.history_days} days for the manager's reports...", flush=True)
        yesterday = business_day(clock.now(), "Asia/Shanghai") - timedelta(days=1)
        play_days(db, clock, yesterday, args.history_days, visits=40)
        clock.set(None)
    stop = threading.Event()
    rng = random.Random(7)
    workers = []
    # walk-ins keep arriving; with the greeter's window open, at half the pace
    pace = args.speed / 2 if any(w[0] == "greeter" for w in windows) else args.speed
    workers.append(threading.Thread(target=_greeter, args=(db, stop, pace, rng), daemon=True))
    taken = {int(w[2]) for w in windows if w[0] == "teller"}
    workers += [
        threading.Thread(target=_teller, args=(db, n, stop, args.speed, n), daemon=True)
        for n in SIMULATED_COUNTERS
        if n not in taken
    ]
    feed = Feed(db, change_detector(db))
    print(f"Lobby demo on {url} (Ctrl-C to stop)", flush=True)
    if not windows:
        print("No display: the apps' windows stay closed; the branch runs in this terminal.")
    else:
        print(
            "Sample sign-in: tellers T01/1111, T02/2222, T03/3333; greeter G01/2468; "
            "manager M01/9999."
        )
    apps = [
        subprocess.Popen(lobby_command(*window, "--db", url))
        for window in windows
    ]
    web_url = None
    keys = tempfile.TemporaryDirectory(prefix="lobby-demo-keys-")
    if not args.no_web:
        host, port = ctx.settings.web_host, args.web_port or ctx.settings.web_port
        key_file = enrol_web(db, Path(keys.name))
        apps.append(
            subprocess.Popen(
                lobby_command("web", "--db", url, "--host", host, "--port", str(port))
                + ["--key-file", str(key_file)]
            )
        )
        web_url = f"http://{host}:{port}"
        print(f"Web hall display: {web_url}/display", flush=True)
    for worker in workers:
        worker.start()
    deadline = time.monotonic() + args.seconds if args.seconds else None
    try:
        while deadline is None or time.monotonic() < deadline:
            for event in feed.wait(0.5):
                if event.kind in ("called", "recalled"):
                    print(
                        f"  叫号 {event.ticket} -> {event.counter}号窗口  "
                        f"({event.payload.get('reason', '')})",
                        flush=True,
                    )
                elif event.kind == "issued":
                    print(f"  取号 {event.ticket}", flush=True)
                    if web_url is not None and event.ticket is not None:
                        print(f"  ticket page: {web_url}/t/{_code(db, event.ticket)}", flush=True)
                        web_url = None  # one link is enough to try it
        with db.read() as session:
            view = board(session, db.clock.now())
        waiting = ", ".join(f"{q.prefix}:{q.waiting}" for q in view.queues)
        print(f"Waiting now: {waiting}", flush=True)
    finally:
        for app in apps:
            app.terminate()
        for app in apps:
            app.wait(timeout=10)
        stop.set()
        for worker in workers:
            worker.join(timeout=5)
        feed.close()
        db.dispose()
        keys.cleanup()
        if workdir is not None:
            workdir.cleanup()
