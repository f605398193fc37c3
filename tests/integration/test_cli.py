"""The ``lobby`` command line: JSON shapes, exit codes, and bad input that writes nothing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select

from lobby import engine
from lobby.cli.main import main
from lobby.clock import business_day
from lobby.config import SAMPLE_BRANCH
from lobby.db import Database
from lobby.models import Event, Staff, Ticket
from tests.helpers import ManualClock, actor, as_staff, environment_at


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def counts(url: str) -> tuple[int, int]:
    engine = create_engine(url)
    with engine.connect() as conn:
        result = (
            conn.scalar(select(func.count()).select_from(Ticket.__table__)) or 0,
            conn.scalar(select(func.count()).select_from(Event.__table__)) or 0,
        )
    engine.dispose()
    return result


def test_issue_call_finish_json(capsys: pytest.CaptureFixture[str], db_url: str) -> None:
    code, out, _ = run(capsys, "issue", "cash", "--db", db_url, "--json", *as_staff("G01"))
    assert code == 0
    issued = json.loads(out)
    assert {"id", "number", "service", "state", "counter"} <= issued.keys()
    assert (issued["number"], issued["service"], issued["state"]) == ("A001", "cash", "waiting")
    code, out, _ = run(capsys, "call", "--counter", "2", "--db", db_url, "--json", *as_staff("T02"))
    called = json.loads(out)
    assert (code, called["id"], called["counter"], called["state"]) == (
        0,
        issued["id"],
        2,
        "called",
    )
    code, out, _ = run(
        capsys, "finish", "--counter", "2", "--db", db_url, "--json", *as_staff("T02")
    )
    assert (code, json.loads(out)["state"]) == (0, "done")
    code, out, _ = run(capsys, "events", "--db", db_url, "--json", *as_staff("M01"))
    events = [json.loads(line) for line in out.splitlines()]
    assert [e["kind"] for e in events][-3:] == ["issued", "called", "finished"]
    for event in events:
        assert {"id", "kind", "ticket", "counter", "actor", "at"} <= event.keys()
    assert events[-3]["actor"] == "G01"
    assert events[-2]["counter"] == 2


def test_nothing_to_call_exits_3(capsys: pytest.CaptureFixture[str], db_url: str) -> None:
    code, out, err = run(capsys, "call", "--counter", "1", "--db", db_url, *as_staff("T01"))
    assert (code, out) == (3, "")
    assert err.count("\n") == 1
    assert "no ticket is waiting for counter 1" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["issue", "NOSUCH"], "unknown service 'NOSUCH'"),
        (["issue", "cash", "--phone", "12345"], "not a valid phone number"),
        (["issue", "cash", "--category", "king"], "unknown category"),
        (["finish", "--counter", "1"], "counter 1 has no open ticket"),
        (["call", "--counter", "77"], "no counter 77"),
        (["cancel", "--ticket", "Z123"], "no ticket Z123 today"),
        (["transfer", "--counter", "1", "--to-service", "loans", "--note", "x"], "no open ticket"),
        (["report", "--from", "2026-11-24", "--to", "2026-11-01"], "--from is after --to"),
    ],
)
def test_bad_input_exits_2_with_one_line_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], db_url: str, argv: list[str], message: str
) -> None:
    before = counts(db_url)
    code, out, err = run(capsys, *argv, "--db", db_url, *as_staff("M01"))
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert message in err
    assert counts(db_url) == before


@pytest.mark.parametrize(
    "argv",
    [
        ["issue"],
        ["call"],
        ["call", "--counter", "one"],
        ["rate", "--ticket", "A001", "--score", "9"],
        ["nosuchcommand"],
        ["report", "--from", "yesterday"],
        ["appointment", "loans", "--at", "2026-11-24T10:00"],
    ],
)
def test_usage_mistakes_exit_2_in_one_line(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    _, err = capsys.readouterr()
    assert exited.value.code == 2
    assert err.count("\n") == 1


def test_init_is_idempotent(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    assert run(capsys, "init", "--db", url)[0] == 0
    new_pin = ["--staff", "G01", "--pin", "8642"]
    assert run(capsys, "change-pin", "--db", url, *as_staff("G01"), "--new-pin", "8642")[0] == 0
    assert run(capsys, "issue", "cash", "--db", url, *new_pin)[0] == 0
    code, out, _ = run(capsys, "init", "--db", url, "--json")
    assert code == 0
    assert json.loads(out)["services"] == 8
    engine = create_engine(url)
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Staff.__table__)) == 5
        assert conn.scalar(select(func.count()).select_from(Ticket.__table__)) == 1
    engine.dispose()


def test_init_with_a_broken_config_writes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "branch.toml"
    bad.write_text(
        SAMPLE_BRANCH.read_text(encoding="utf-8").replace('prefix = "B"', 'prefix = "A"')
    )
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    code, _, err = run(capsys, "init", "--db", url, "--config", str(bad))
    assert code == 2
    assert "duplicate ticket prefix 'A'" in err
    assert not (tmp_path / "fresh.db").exists()


def test_uninitialised_or_unreachable_database(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "board", "--db", f"sqlite:///{tmp_path / 'none.db'}")
    assert code == 4
    assert "run `lobby init` first" in err
    code, _, err = run(capsys, "board", "--db", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    assert code == 4
    assert err.count("\n") == 1
    code, _, err = run(capsys, "board", "--db", "mysql://x/y")
    assert (code, err.count("\n")) == (2, 1)
    code, _, err = run(capsys, "board", "--db", "::not a url::")
    assert (code, err.count("\n")) == (2, 1)


def test_lobby_db_environment_is_used(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, db_url: str
) -> None:
    monkeypatch.setenv("LOBBY_DB", db_url)
    assert run(capsys, "issue", "vip", *as_staff("G01"))[0] == 0
    code, out, _ = run(capsys, "board", "--json")
    board = json.loads(out)
    assert code == 0
    assert {q["service"]: q["waiting"] for q in board["queues"]}["vip"] == 1


def test_lobby_now_puts_a_run_on_the_test_clock(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    db: Database,
    db_url: str,
    clock: ManualClock,
) -> None:
    # the wall clock may be on another business day (after 16:00 UTC in Shanghai)
    monkeypatch.setenv("LOBBY_NOW", clock.now().isoformat())
    code, out, _ = run(capsys, "issue", "cash", "--db", db_url, "--json", *as_staff("G01"))
    assert code == 0
    with db.read() as session:
        ticket = session.get_one(Ticket, json.loads(out)["id"])
        assert ticket.business_day == business_day(clock.now(), "Asia/Shanghai")
        assert ticket.issued_at == clock.now()
    with db.unit_of_work(actor("T01")) as uow:
        assert engine.call_next(uow, 1).number == "A001"
    monkeypatch.setenv("LOBBY_NOW", "tomorrow")
    code, _, err = run(capsys, "board", "--db", db_url)
    assert code == 2
    assert err.startswith("lobby board: LOBBY_NOW='tomorrow' is not valid: ")
    assert err.count("\n") == 1


def test_report_counts_the_day(capsys: pytest.CaptureFixture[str], db_url: str) -> None:
    for _ in range(3):
        run(capsys, "issue", "cash", "--db", db_url, *as_staff("G01"))
    teller = as_staff("T01")
    run(capsys, "call", "--counter", "1", "--db", db_url, *teller)
    run(capsys, "finish", "--counter", "1", "--db", db_url, *teller)
    run(capsys, "call", "--counter", "1", "--db", db_url, *teller)
    run(capsys, "no-show", "--counter", "1", "--db", db_url, *teller)
    code, out, _ = run(capsys, "report", "--db", db_url, "--json", *as_staff("M01"))
    report = json.loads(out)
    assert code == 0
    assert report["totals"]["issued"] == 3
    assert report["totals"]["served"] == 1
    assert report["totals"]["no_show"] == 1
    assert report["totals"]["service_level"] == 1.0
    assert report["by_service"]["cash"] == report["totals"]


def test_installed_command_never_shows_a_traceback(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    lobby = [sys.executable, "-m", "lobby"]
    env = environment_at(ManualClock())
    subprocess.run([*lobby, "init", "--db", url], check=True, capture_output=True, env=env)
    result = subprocess.run(
        [*lobby, "issue", "NOSUCH", "--db", url], capture_output=True, text=True, env=env
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1


def test_an_older_schema_is_named_and_init_upgrades_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    stored = Path(__file__).resolve().parent.parent / "data" / "schemas" / "0001_initial.sqlite"
    path = tmp_path / "old.db"
    path.write_bytes(stored.read_bytes())
    url = f"sqlite:///{path}"
    code, _, err = run(capsys, "board", "--db", url)
    assert code == 4
    assert "older than this Lobby" in err
    assert "run `lobby init` to upgrade it" in err
    assert run(capsys, "init", "--db", url)[0] == 0
    code, out, _ = run(capsys, "board", "--db", url, "--json")
    assert code == 0
    assert {q["service"]: q["waiting"] for q in json.loads(out)["queues"]}["cash"] >= 0
