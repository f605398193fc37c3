"""Hostile input at every edge: exit 2, one clear line, and nothing written.

One test per class of input that once gave a traceback or was silently accepted:
integers past 64 (or PostgreSQL's 32) bits, dates at the calendar's ends, argument
bytes that are not UTF-8, deeply nested TOML, text longer than its column,
``nan``/``inf`` numbers, messages that would echo huge values or control
characters, and bad ``LOBBY_*`` settings. Each runs on both backends and proves
with a dump of the database that a refusal wrote nothing.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from lobby import engine
from lobby.access import SessionToken
from lobby.cli.main import main
from lobby.config import SAMPLE_BRANCH
from lobby.db import Database
from lobby.errors import AuthenticationFailed, InvalidInput
from tests.db_dump import dump
from tests.helpers import ManualClock, actor, environment_at

AS_MANAGER = ["--staff", "M01", "--pin", "9999"]


def run(capsys: pytest.CaptureFixture[str], url: str, *argv: str) -> tuple[int, str, str]:
    try:
        code = main([*argv, "--db", url])
    except SystemExit as exit_:  # a usage mistake, reported by argparse
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def refused(capsys: pytest.CaptureFixture[str], url: str, argv: list[str], message: str) -> str:
    """Run ``argv``; it must exit 2 with one line containing ``message`` and write nothing."""
    before = dump(url)
    code, out, err = run(capsys, url, *argv)
    assert (code, out) == (2, ""), err
    assert err.count("\n") == 1, err
    assert message in err, err
    assert "Traceback" not in err
    assert dump(url) == before
    return err


def lobby_executable() -> list[str]:
    script = Path(sys.executable).with_name("lobby")
    return [str(script)] if script.exists() else [sys.executable, "-m", "lobby"]


HUGE_NUMBERS = [
    (["call", "--counter", "9223372036854775808"], "--counter must be from"),
    (["call", "--counter", "2147483648"], "--counter must be from"),  # past PostgreSQL integer
    (["events", "--after", "99999999999999999999"], "--after must be from 0 to"),
    (["audit", "--before-id", "9223372036854775808", *AS_MANAGER], "--before-id must be"),
    (["transfer", "--counter", "1", "--to-counter", "-9" * 10, "--note", "x"], "--to-counter"),
    (["call", "--counter", "9" * 5000], "invalid int value"),
]


@pytest.mark.parametrize(("argv", "message"), HUGE_NUMBERS, ids=lambda v: None)
def test_integers_past_the_columns_are_refused(
    capsys: pytest.CaptureFixture[str], db_url: str, argv: list[str], message: str
) -> None:
    err = refused(capsys, db_url, argv, message)
    assert len(err) < 300  # the 5,000 digits are not echoed


CALENDAR_ENDS = [
    (["report", "--day", "9999-12-31"], "--day must be between 2000-01-01 and 2099-12-31"),
    (["report", "--from", "0001-01-01"], "--from must be between"),
    (["report", "--from", "2026-01-01", "--to", "9999-12-31"], "--to must be between"),
    (["close-day", "--day", "0001-01-01"], "--day must be between"),
    (["appointment", "loans", "--at", "9999-12-31T23:59+08:00"], "--at must be between"),
    (["advise", "--from-history", "--day", "9999-12-31"], "--day must be between"),
    (["complaints", "--since", "0001-01-01", *AS_MANAGER], "--since must be between"),
]


@pytest.mark.parametrize(("argv", "message"), CALENDAR_ENDS, ids=lambda v: None)
def test_dates_at_the_calendars_ends_are_refused(
    capsys: pytest.CaptureFixture[str], db_url: str, argv: list[str], message: str
) -> None:
    refused(capsys, db_url, argv, message)


NOT_UTF8 = "\udcff\udcfe"  # the bytes ff fe, as Python decodes an undecodable argv
UNDECODABLE = [
    (["issue", "cash", "--note", NOT_UTF8], "--note is not valid UTF-8 text: '\\xff\\xfe'"),
    (["issue", NOT_UTF8], "SERVICE is not valid UTF-8 text"),
    (["issue", "cash", "--phone", NOT_UTF8], "--phone is not valid UTF-8"),
    (["cancel", "--ticket", NOT_UTF8], "--ticket is not valid UTF-8"),
    (["complaint", "--category", "fees", "--description", NOT_UTF8], "--description"),
    (["appointment", "loans", "--at", "2026-11-24T10:30+08:00", "--customer", NOT_UTF8],
     "--customer is not valid UTF-8"),
    (["checkin", NOT_UTF8], "CODE is not valid UTF-8"),
    (["call", "--counter", NOT_UTF8], "argument --counter: invalid int value"),
    ([NOT_UTF8], "invalid choice"),
]  # fmt: skip


@pytest.mark.parametrize(("argv", "message"), UNDECODABLE, ids=lambda v: None)
def test_arguments_that_are_not_utf8_are_refused_by_name(
    capsys: pytest.CaptureFixture[str], db_url: str, argv: list[str], message: str
) -> None:
    refused(capsys, db_url, argv, message)


def test_undecodable_bytes_through_the_installed_command(db_url: str) -> None:
    before = dump(db_url)
    done = subprocess.run(
        [*lobby_executable(), "issue", "cash", "--note", b"\xff\xfe", "--db", db_url],
        capture_output=True,
        timeout=120,
        env=environment_at(ManualClock()),
    )
    assert done.returncode == 2, done.stderr
    assert done.stdout == b""
    assert done.stderr == b"lobby issue: --note is not valid UTF-8 text: '\\xff\\xfe'\n"
    assert dump(db_url) == before


def deep_toml(tmp_path: Path, kind: str) -> Path:
    path = tmp_path / f"deep-{kind}.toml"
    depth = 50_000
    if kind == "array":
        path.write_text("a = " + "[" * depth + "]" * depth + "\n")
    elif kind == "inline":
        path.write_text("a = " + "{b = " * depth + "1" + "}" * depth + "\n")
    else:  # shallow enough for the parser, deeper than any configuration
        path.write_text("a = " + "[" * 12 + "1" + "]" * 12 + "\n")
    return path


@pytest.mark.parametrize("kind", ["array", "inline", "moderate"])
@pytest.mark.parametrize("command", ["init", "config import", "simulate"])
def test_deeply_nested_toml_is_refused(
    capsys: pytest.CaptureFixture[str], db_url: str, tmp_path: Path, kind: str, command: str
) -> None:
    path = str(deep_toml(tmp_path, kind))
    argv = {
        "init": ["init", "--config", path],
        "config import": ["config", "import", path, *AS_MANAGER],
        "simulate": ["simulate", "--scenario", path],
    }[command]
    refused(capsys, db_url, argv, f"{path}: nested more than 8 levels deep")


TOO_LONG = [
    (["issue", "cash", "--staff", "x" * 70], "--staff is too long (70 characters; at most 32)"),
    (["appointment", "loans", "--at", "2026-11-24T10:30+08:00", "--customer", "张" * 100],
     "--customer is too long (100 characters; at most 80)"),
    (["complaint", "--category", "fees", "--description", "x", "--contact", "1" * 40],
     "--contact is too long"),
    (["issue", "cash", "--note", "n" * 100_000], "--note is too long (100000 characters"),
    (["call", "--counter", "1", "--ticket", "A" * 100_000], "--ticket is too long"),
]  # fmt: skip


@pytest.mark.parametrize(("argv", "message"), TOO_LONG, ids=lambda v: None)
def test_text_longer_than_its_column_is_refused(
    capsys: pytest.CaptureFixture[str], db_url: str, argv: list[str], message: str
) -> None:
    err = refused(capsys, db_url, argv, message)
    assert len(err) < 300


def test_a_branch_file_with_text_longer_than_a_column_is_refused(
    capsys: pytest.CaptureFixture[str], db_url: str, tmp_path: Path
) -> None:
    long_name = tmp_path / "long.toml"
    sample = SAMPLE_BRANCH.read_text("utf-8")
    long_name.write_text(sample.replace('prefix = "A"', 'prefix = "AAAAAAA"', 1), "utf-8")
    refused(capsys, db_url, ["config", "import", str(long_name), *AS_MANAGER], "prefix")


NOT_FINITE = [
    (["config", "policy", "--head-start", "elderly=nan", *AS_MANAGER], "finite number, not nan"),
    (["config", "policy", "--head-start", "vip=inf", *AS_MANAGER], "finite number, not inf"),
    (["config", "policy", "--grace=-inf", *AS_MANAGER], "--grace must be a finite number"),
    (["demo", "--speed", "0"], "--speed must be more than 0"),
    (["demo", "--speed", "nan"], "--speed must be a finite number"),
    (["demo", "--seconds", "inf"], "--seconds must be a finite number"),
    (["demo", "--history-days", "-1"], "--history-days must be from 0 to 366"),
    (["advise", "--from-history", "--target-wait-min", "nan"], "--target-wait-min"),
]


@pytest.mark.parametrize(("argv", "message"), NOT_FINITE, ids=lambda v: None)
def test_numbers_that_are_not_finite_or_out_of_range_are_refused(
    capsys: pytest.CaptureFixture[str], db_url: str, argv: list[str], message: str
) -> None:
    refused(capsys, db_url, argv, message)


def test_nan_in_a_branch_file_is_refused(
    capsys: pytest.CaptureFixture[str], db_url: str, tmp_path: Path
) -> None:
    code, exported, _ = run(capsys, db_url, "config", "export", *AS_MANAGER)
    assert code == 0
    assert "\nelderly = " in exported
    lines = [
        "elderly = nan" if line.startswith("elderly = ") else line for line in exported.splitlines()
    ]
    path = tmp_path / "nan.toml"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    refused(
        capsys,
        db_url,
        ["config", "import", str(path), *AS_MANAGER],
        "policy.head_start_min.elderly: Input should be a finite number",
    )


def test_messages_are_cut_short_and_escape_control_characters(
    capsys: pytest.CaptureFixture[str], db_url: str
) -> None:
    err = refused(capsys, db_url, ["show", "\x1b[2J\r\nA001" + "9" * 100_000], "control character")
    assert "\x1b" not in err
    assert "\r" not in err
    assert len(err) < 300
    argv = ["finish", "--counter", "1", "--outcome", "\x1b]0;x\x07" * 10]
    err = refused(capsys, db_url, argv, "invalid choice")
    assert "\x1b" not in err
    assert "\x07" not in err
    err = refused(capsys, db_url, ["issue", "cash", "--printer", "x" * 400], "bad printer")
    assert "x" * 60 not in err


SETTINGS = [
    ("LOBBY_PAPER_WIDTH_MM", "60", "LOBBY_PAPER_WIDTH_MM='60' is not valid: Input should be 58"),
    ("LOBBY_NOW", "soon", "LOBBY_NOW='soon' is not valid: Input should be a valid datetime"),
    ("LOBBY_PRINTER_TIMEOUT_S", "nan", "LOBBY_PRINTER_TIMEOUT_S='nan' is not valid"),
    ("LOBBY_SQLITE_SYNCHRONOUS", "OFF", "='OFF' is not valid: Input should be 'NORMAL' or 'FULL'"),
    ("LOBBY_SPEECH_LANGUAGES", "zh", "LOBBY_SPEECH_LANGUAGES is not valid: give a JSON list"),
    ("LOBBY_BUSY_DEADLINE_S", "-1", "LOBBY_BUSY_DEADLINE_S='-1' is not valid: Input should be"),
]


@pytest.mark.parametrize(("name", "value", "message"), SETTINGS, ids=lambda v: None)
def test_a_bad_setting_names_its_variable_and_the_expected_form(
    capsys: pytest.CaptureFixture[str],
    db_url: str,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    value: str,
    message: str,
) -> None:
    monkeypatch.setenv(name, value)
    err = refused(capsys, db_url, ["issue", "cash"], message)
    assert err.startswith("lobby issue: LOBBY_")
    assert "validation error" not in err


def test_every_reproducer_through_the_installed_command_is_one_line(
    db_url: str, tmp_path: Path
) -> None:
    deep = deep_toml(tmp_path, "array")
    for argv in (
        ["call", "--counter", "9223372036854775808"],
        ["report", "--day", "9999-12-31"],
        ["init", "--config", str(deep)],
        ["demo", "--speed", "nan"],
    ):
        done = subprocess.run(
            [*lobby_executable(), *argv, "--db", db_url],
            capture_output=True,
            text=True,
            timeout=120,
            env={**environment_at(ManualClock()), "PYTHONWARNINGS": "error"},
        )
        assert done.returncode == 2, (argv, done.stderr)
        assert done.stderr.count("\n") == 1, (argv, done.stderr)
        assert "Traceback" not in done.stderr


# --- the same bounds for the apps' forms and scanners, which call the engine directly ---


def test_a_form_value_longer_than_its_column_is_refused_by_the_core(db: Database) -> None:
    before = dump(str(db.engine.url.render_as_string(hide_password=False)))
    too_long = r"appointment.customer is too long \(100 characters"
    due = datetime(2026, 11, 24, 10, 30, tzinfo=UTC)
    with pytest.raises(InvalidInput, match=too_long), db.unit_of_work(actor("G01")) as uow:
        engine.book_appointment(uow, "loans", due, customer="张" * 100)
    # an actor is a checked credential now, never free text: a made-up one is refused
    with pytest.raises(AuthenticationFailed), db.unit_of_work(SessionToken("x" * 70)):
        pass
    assert dump(str(db.engine.url.render_as_string(hide_password=False))) == before


@pytest.mark.parametrize(
    "scanned", ["A001\x1b[2J", "A001:" + "X" * 500, "\udcff", "A\x00001"], ids=lambda v: None
)
def test_scanner_input_is_checked_before_any_lookup(db: Database, scanned: str) -> None:
    with db.unit_of_work(actor("G01")) as uow:
        engine.issue_ticket(uow, "cash")
    with pytest.raises(InvalidInput, match="ticket number"), db.unit_of_work(actor("T01")) as uow:
        engine.call_ticket(uow, 1, scanned)
    with (
        pytest.raises(InvalidInput, match="appointment code"),
        db.unit_of_work(actor("G01")) as uow,
    ):
        engine.check_in_appointment(uow, scanned)
