"""The apps' and devices' commands reach ``lobby`` through entry points; absent ones are named."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path

import pytest

from lobby.cli import plugins
from lobby.cli.main import build_parser, parse

ROOT = Path(__file__).resolve().parents[2]

#: Runs ``lobby ARGS`` as if the listed packages were not installed.
WITHOUT = """
import sys
from tests import without_qt
without_qt.ABSENT = tuple(sys.argv[1].split(","))
sys.meta_path.insert(0, without_qt.Uninstalled())
from lobby.cli.main import main
sys.exit(main(sys.argv[2:]))
"""


def lobby_without(absent: str, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", WITHOUT, absent, *argv],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def test_the_installed_packages_register_every_optional_command() -> None:
    registered = {p.name: p.value for p in entry_points(group=plugins.GROUP)}
    assert registered == {
        "apps": "ui.cli",
        "printer": "devices.cli.printing",
        "speech": "devices.cli.speaking",
    }
    commands = build_parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    for names in plugins.COMMANDS.values():
        for name in names:
            assert "needs lobby[" not in (commands[name].description or "")


def test_an_app_without_qt_names_the_apps_extra_in_one_line(db_url: str) -> None:
    result = lobby_without("PySide6,shiboken6", "greeter", "--db", db_url)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        "lobby greeter: needs the apps extra (no module PySide6): pip install 'lobby[apps]'\n"
    )


def test_a_missing_package_of_the_core_is_not_blamed_on_an_extra(db_url: str) -> None:
    # a library the apps do not declare fails as itself, not as "install lobby[apps]";
    # argon2 (PIN hashing, a core dependency) is first imported when the greeter starts
    result = lobby_without("argon2", "greeter", "--db", db_url)
    assert result.returncode != 0
    assert "lobby[apps]" not in result.stderr
    assert "argon2" in result.stderr


@pytest.mark.parametrize(
    ("argv", "extra"),
    [
        (["say", "A001", "--counter", "1", "--out", "x.wav"], "speech"),
        (["print", "--test"], "printer"),
        (["display", "--voice", "off"], "apps"),
        (["shots", "greeter", "--out", "dir"], "apps"),
    ],
)
def test_a_command_whose_package_is_absent_still_parses_and_names_its_extra(
    argv: list[str], extra: str
) -> None:
    # only the other extras are installed
    others = [p for p in entry_points(group=plugins.GROUP) if p.name != extra]
    args = parse(build_parser(others), argv)
    with pytest.raises(plugins.MissingExtra) as caught:
        args.handler(args, None)
    assert str(caught.value) == (
        f"needs the {extra} extra (not installed): pip install 'lobby[{extra}]'"
    )
    assert caught.value.exit_code == 2


def test_an_entry_point_that_cannot_be_imported_is_named() -> None:
    broken = EntryPoint("speech", "devices.cli.no_such_module", plugins.GROUP)
    with pytest.raises(plugins.MissingExtra, match=r"\(no module devices\.cli\.no_such_module\)"):
        plugins.load("speech", [broken])
