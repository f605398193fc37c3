"""Hostile command lines, generated: never a traceback, only the documented exit codes.

Hypothesis builds invocations of every headless subcommand from the parser itself:
each option with values chosen to hurt (huge and negative numbers, ``nan``, the
calendar's ends, control characters, bytes that are not UTF-8, long text, deeply
nested or binary files) or to be plausible. Most run in-process through ``main``;
some through the installed ``lobby`` executable. Every exit code is 0, 2, 3, 4
or 5; an exit 2 leaves the database dump exactly as it was.

``LOBBY_FUZZ_SCALE=N`` multiplies the number of examples (CI runs scale 1:
1,900 in-process and 100 through the executable, the same examples every run;
larger scales draw fresh ones).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from lobby.cli.main import build_parser, main
from tests.db_dump import dump
from tests.helpers import ManualClock, environment_at

SCALE = int(os.environ.get("LOBBY_FUZZ_SCALE", "1"))
IN_PROCESS, EXECUTABLE = 1900 * SCALE, 100 * SCALE
#: At scale 1 the examples are the same on every run, so a red CI names a real
#: regression rather than a new draw; larger scales explore freshly each time.
DERANDOMIZE = SCALE == 1
EXIT_CODES = {0, 2, 3, 4, 5}
#: Apps, servers, endless or slow commands, and those writing to paths or devices.
SKIPPED = {
    "greeter", "teller", "display", "manager", "rating-pad", "shots", "web", "demo",
    "say", "print", "backup", "restore", "simulate", "advise",
    "doctor",  # a diagnosis: exit 1 means a check failed, by its own contract
}  # fmt: skip
AS_MANAGER = ["--staff", "M01", "--pin", "9999"]


def commands() -> dict[str, list[argparse.Action]]:
    """Each runnable (sub)command path and its options, from the parser."""
    found: dict[str, list[argparse.Action]] = {}

    def walk(parser: argparse.ArgumentParser, path: list[str]) -> None:
        subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        own = [a for a in parser._actions if not isinstance(a, argparse._SubParsersAction)]
        if not subs:
            found[" ".join(path)] = own
        for sub in subs:
            for name, child in sub.choices.items():
                if not path and name in SKIPPED:
                    continue
                walk(child, [*path, name])

    walk(build_parser(), [])
    return found


COMMANDS = commands()

HOSTILE_TEXT = st.one_of(
    st.sampled_from(
        [
            "", " ", "-1", "0", "1", "3", "9223372036854775808", "-9223372036854775809",
            "2147483648", "9" * 400, "nan", "inf", "-inf", "1e308", "0x10", "1_000",
            "9999-12-31", "0001-01-01", "2026-11-24", "2026-11-24T10:30+08:00",
            "2026-02-30", "cash", "loans", "A001", "a001", "LOBBY:SH-0101:20261123:A001:X",
            "M01", "T01", "elderly=nan", "elderly=10", "vip=inf", "new", "resolved",
            "\x00", "\x1b[2J", "\r\n", "\udcff\udcfe", "张" * 100, "x" * 5000,
            "'; DROP TABLE ticket; --", "../../etc/passwd", "%s%n", "{ticket}",
        ]
    ),
    st.text(max_size=60),
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)


@pytest.fixture(scope="module")
def hostile_files(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """Files an option that reads one may be pointed at."""
    folder = tmp_path_factory.mktemp("hostile")
    files = {
        "deep.toml": "a = " + "[" * 5000 + "]" * 5000 + "\n",
        "inline.toml": "a = " + "{b = " * 3000 + "1" + "}" * 3000 + "\n",
        "nan.toml": "[policy]\ninterleave = nan\n",
        "empty.toml": "",
        "garbage.toml": "\x00\xff not toml [[[",
    }
    for name, text in files.items():
        (folder / name).write_text(text, "utf-8", errors="surrogateescape")
    (folder / "binary.toml").write_bytes(bytes(range(256)) * 4)
    return [str(p) for p in folder.iterdir()] + [str(folder), str(folder / "missing.toml")]


def value_for(action: argparse.Action, files: list[str], out_dir: Path) -> st.SearchStrategy[str]:
    if action.dest in ("out", "csv", "to", "aside"):  # writes: only under the test's folder
        return st.sampled_from([str(out_dir / "x.out"), str(out_dir / "no" / "dir" / "x")])
    if action.dest in ("config", "file", "scenario"):
        return st.sampled_from(files)
    if action.dest == "printer":
        return st.sampled_from(["none", "bogus://x", "tcp://", "\x1b", "x" * 600])
    if action.choices is not None:
        return st.one_of(st.sampled_from([str(c) for c in action.choices]), HOSTILE_TEXT)
    return HOSTILE_TEXT


@st.composite
def invocations(draw: st.DrawFn, files: list[str], out_dir: Path) -> list[str]:
    path = draw(st.sampled_from(sorted(COMMANDS)))
    argv = path.split()
    for action in COMMANDS[path]:
        if action.dest in ("help", "db", "pin", "follow"):
            continue  # a wrong PIN is journalled on purpose; --follow never ends
        if action.option_strings:
            if not draw(st.booleans()):
                continue
            option = action.option_strings[-1]
            if action.nargs == 0:
                argv.append(option)
            else:
                argv += [option, draw(value_for(action, files, out_dir))]
        elif draw(st.integers(0, 9)):  # a positional, usually given
            argv.append(draw(value_for(action, files, out_dir)))
    if draw(st.integers(0, 3)) == 0:
        argv += AS_MANAGER
    if draw(st.integers(0, 9)) == 0:
        argv.append(draw(HOSTILE_TEXT))  # a stray argument
    return argv


@pytest.fixture(scope="module")
def fuzz_db(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("fuzz") / "lobby.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


class Invariant:
    """Checks each run's exit code, and that an exit 2 changed nothing."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.before = dump(url)
        self.runs = 0

    def check(self, argv: list[str], code: int, err: str) -> None:
        self.runs += 1
        assert code in EXIT_CODES, (argv, code, err)
        assert "Traceback" not in err, (argv, err)
        after = dump(self.url)
        if code == 2:
            assert after == self.before, f"exit 2 changed the database: {argv!r}"
        self.before = after


@pytest.fixture(scope="module")
def invariant(fuzz_db: str) -> Invariant:
    return Invariant(fuzz_db)


def test_generated_command_lines_in_process(
    invariant: Invariant, hostile_files: list[str], tmp_path_factory: pytest.TempPathFactory,
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    out_dir = tmp_path_factory.mktemp("out")
    monkeypatch.setenv("LOBBY_DB", invariant.url)
    monkeypatch.setenv("LOBBY_BUSY_DEADLINE_S", "5")

    @settings(
        max_examples=IN_PROCESS,
        deadline=None,
        database=None,
        derandomize=DERANDOMIZE,
        suppress_health_check=list(HealthCheck),
    )
    @given(invocations(hostile_files, out_dir))
    def run(argv: list[str]) -> None:
        try:
            code = main(argv)
        except SystemExit as exit_:  # argparse: usage mistakes (2) and --help (0)
            code = exit_.code if isinstance(exit_.code, int) else 2
        _, err = capsys.readouterr()
        invariant.check(argv, code, err)

    run()
    assert invariant.runs >= IN_PROCESS
    print(f"{invariant.runs} in-process invocations")


def test_generated_command_lines_through_the_installed_executable(
    invariant: Invariant, hostile_files: list[str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    out_dir = tmp_path_factory.mktemp("out")
    script = Path(sys.executable).with_name("lobby")
    command = [str(script)] if script.is_file() else [sys.executable, "-m", "lobby"]
    environment = {
        **environment_at(ManualClock()),  # the test's business day, not the wall clock's
        "LOBBY_DB": invariant.url,
        "LOBBY_BUSY_DEADLINE_S": "5",
    }
    started = invariant.runs

    @settings(
        max_examples=EXECUTABLE,
        deadline=None,
        database=None,
        derandomize=DERANDOMIZE,
        suppress_health_check=list(HealthCheck),
    )
    @given(invocations(hostile_files, out_dir))
    def run(argv: list[str]) -> None:
        assume(not any("\x00" in a for a in argv))  # no operating system passes a NUL
        args = [os.fsencode(a) for a in argv]
        done = subprocess.run(
            [*command, *args], capture_output=True, timeout=120, env=environment, check=False
        )
        invariant.check(argv, done.returncode, done.stderr.decode("utf-8", "replace"))

    run()
    assert invariant.runs - started >= EXECUTABLE
    print(f"{invariant.runs - started} invocations of {command[0]}")
