"""``lobby --version`` and ``lobby --help`` load no storage layer, Qt or device library.

Each runs in a fresh interpreter, which then lists the modules it imported.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from lobby.cli.commands import COMMANDS, chosen

ROOT = Path(__file__).resolve().parents[2]

#: Modules a start-up that shows only text must not pay for.
HEAVY = ("sqlalchemy", "alembic", "PySide6", "shiboken6", "escpos", "pyttsx3", "pydantic")

RUN = """
import contextlib, io, json, sys
from lobby.cli.main import main
with contextlib.redirect_stdout(io.StringIO()) as out:
    try:
        main(sys.argv[1:])
    except SystemExit as stop:
        code = stop.code
print(json.dumps({"code": code, "out": out.getvalue(), "modules": sorted(sys.modules)}))
"""


def imported_by(*argv: str) -> dict[str, object]:
    """What ``lobby ARGV`` printed, its exit code and every module it imported."""
    result = subprocess.run(
        [sys.executable, "-c", RUN, *argv],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=True,
    )
    found: dict[str, object] = json.loads(result.stdout)
    return found


@pytest.mark.parametrize("argv", [["--version"], ["--help"], ["no-such-command"]])
def test_text_only_start_up_imports_nothing_heavy(argv: list[str]) -> None:
    found = imported_by(*argv)
    modules = found["modules"]
    assert isinstance(modules, list)
    loaded = sorted({name.split(".")[0] for name in modules} & set(HEAVY))
    assert loaded == [], f"lobby {' '.join(argv)} imported {loaded}"
    if argv == ["--version"]:
        assert found == {**found, "code": 0, "out": "lobby 0.1.0\n"}
    if argv == ["--help"]:
        assert found["code"] == 0
        listed = str(found["out"])
        shown = set(re.findall(r"^    (\S+)", listed, re.MULTILINE))
        assert set(COMMANDS) <= shown, "every command is listed"


def test_a_command_loads_only_its_own_module() -> None:
    modules = imported_by("board", "--help")["modules"]
    assert isinstance(modules, list)
    assert "lobby.cli.board" in modules
    others = {c.module for name, c in COMMANDS.items() if c.module and name != "board"}
    assert sorted(others & set(modules)) == []
    assert "lobby.engine.calling" not in modules  # the board reads; it loads no operation


def test_the_table_names_each_command_where_it_is_registered() -> None:
    from lobby.cli.main import build_parser

    full = build_parser()._subparsers._group_actions[0]  # type: ignore[union-attr]
    helps = {action.dest: action.help for action in full._choices_actions}
    assert helps == {name: command.help for name, command in COMMANDS.items()}
    for name, command in COMMANDS.items():
        if command.module is not None:
            only = build_parser(only=name)._subparsers._group_actions[0]  # type: ignore[union-attr]
            assert list(only.choices) == [name]


@pytest.mark.parametrize(
    ("argv", "name"),
    [
        (["board"], "board"),
        (["--version"], None),
        (["-h", "issue", "cash"], "issue"),
        (["nonsense", "board"], None),
        ([], None),
    ],
)
def test_the_command_is_the_first_word_that_is_not_an_option(
    argv: list[str], name: str | None
) -> None:
    assert chosen(argv) == name


LAZY_PACKAGES = (
    "lobby/engine/__init__.py",
    "lobby/admin/__init__.py",
    "lobby/estimate/__init__.py",
)


@pytest.mark.parametrize("path", LAZY_PACKAGES)
def test_a_lazy_package_exports_what_its_type_checking_block_imports(path: str) -> None:
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    checking = next(n for n in tree.body if isinstance(n, ast.If))
    typed = {a.name for n in checking.body if isinstance(n, ast.ImportFrom) for a in n.names}
    package = path.removesuffix("/__init__.py").replace("/", ".")
    module = __import__(package, fromlist=["__all__"])
    assert set(module.__all__) == typed
    for name in sorted(typed):
        assert getattr(module, name) is not None
