"""Every error code has a Chinese and an English text, and every text is raised somewhere.

The code base is read as source (``ast``): each ``SomeError(..., code="x.y", a=..)``
call and each ``error_code = "x.y"`` class attribute of an error class is a code in
use, with the values it gives. The catalogue (``lobby.error_texts.TEXTS``) must hold
exactly those codes, each with Chinese (Han characters) and English (none), asking
only for values the raise gives. (Errors still raised with an English message and
no code say that message in every language.)
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from lobby.error_texts import TEXTS, say, text
from lobby.errors import LobbyError, NotFound

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("lobby", "devices", "ui")
HAN = re.compile(r"[\u3400-\u9fff]")
#: Values every error class with an ``error_code`` is raised with (its constructor's).
CLASS_PARAMS = {"printer": {"uri"}}


def sources() -> list[tuple[Path, ast.Module]]:
    return [
        (path, ast.parse(path.read_text(encoding="utf-8"), str(path)))
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
    ]


def error_names() -> set[str]:
    """Names of LobbyError and all its subclasses, as the source spells them."""
    names = {"LobbyError"}
    classes = [
        node for _, tree in sources() for node in ast.walk(tree) if isinstance(node, ast.ClassDef)
    ]
    grew = True
    while grew:
        grew = False
        for node in classes:
            bases = {
                b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases
            }
            if node.name not in names and bases & names:
                names.add(node.name)
                grew = True
    return names


def call_name(node: ast.Call) -> str:
    func = node.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def codes_in_use() -> dict[str, set[str]]:
    """Code -> the parameter names its raise sites give."""
    names = error_names()
    used: dict[str, set[str]] = {}
    for _, tree in sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and call_name(node) in names:
                keywords = {k.arg: k.value for k in node.keywords if k.arg}
                code = keywords.get("code")
                if isinstance(code, ast.Constant) and isinstance(code.value, str):
                    used[code.value] = {k for k in keywords if k != "code"}
            elif isinstance(node, ast.ClassDef) and node.name in names:
                for item in node.body:
                    if (
                        isinstance(item, ast.Assign | ast.AnnAssign)
                        and isinstance(item.value, ast.Constant)
                        and any(
                            getattr(t, "id", "") == "error_code"
                            for t in (
                                item.targets if isinstance(item, ast.Assign) else [item.target]
                            )
                        )
                    ):
                        code = str(item.value.value)
                        used[code] = CLASS_PARAMS[code.split(".")[0]]
    return used


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_code_in_use_has_both_texts_and_every_text_is_in_use() -> None:
    used = codes_in_use()
    # the follow-up sentence a printer error adds (devices/printer/errors.py)
    used["printer.still_valid"] = {"ticket"}
    assert len(used) >= 8, used
    assert set(used) == set(TEXTS), "add the missing texts, or drop the ones nobody raises"
    for code, params in used.items():
        zh, en = TEXTS[code]
        assert HAN.search(zh), f"{code}: the Chinese text has no Chinese"
        assert not HAN.search(en), f"{code}: the English text has Chinese in it"
        assert fields(zh) == fields(en), f"{code}: the two texts ask for different values"
        assert fields(zh) <= params, f"{code}: asks for {fields(zh) - params}, not given"


def test_the_scan_finds_what_the_code_raises() -> None:
    used = codes_in_use()
    assert used["appointment.not_found"] == {"appointment"}
    assert used["printer.unreachable"] == {"uri"}


def test_an_error_says_itself_in_each_language() -> None:
    missing = NotFound(code="appointment.not_found", appointment="XYZ123")
    assert say(missing, "zh") == "没有找到预约 XYZ123"
    assert say(missing, "en") == "no appointment XYZ123"
    assert str(missing) == "没有找到预约 XYZ123 / no appointment XYZ123"
    old = LobbyError("ticket A001 is not finished yet")
    assert say(old, "zh") == say(old, "en") == "ticket A001 is not finished yet"
    with pytest.raises(KeyError):
        text("no.such.code", "en")


@pytest.mark.devices
def test_a_printer_error_says_itself_in_each_language() -> None:
    from devices.printer import PrinterUnreachable

    printer = PrinterUnreachable("tcp://10.0.0.9:9100", "connection refused", ticket="A001")
    assert say(printer, "zh") == "无法连接打印机（tcp://10.0.0.9:9100）；A001 仍然有效，可补打"
    assert say(printer, "en") == (
        "Printer unreachable (tcp://10.0.0.9:9100); A001 is still valid: reprint it"
    )
    assert "connection refused" in str(printer)  # the detail stays for whoever fixes it


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("zh", "lobby x: 没有找到预约 XYZ123"),
        ("en", "lobby x: no appointment XYZ123"),
        ("", "lobby x: 没有找到预约 XYZ123 / no appointment XYZ123"),
    ],
)
def test_the_cli_says_errors_in_lobby_lang(
    lang: str, expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lobby.cli.main import said

    if lang:
        monkeypatch.setenv("LOBBY_LANG", lang)
    else:
        monkeypatch.delenv("LOBBY_LANG", raising=False)
    error = NotFound(code="appointment.not_found", appointment="XYZ123")
    assert f"lobby x: {said(error)}" == expected


@pytest.mark.devices
def test_the_cli_keeps_a_printer_errors_detail(monkeypatch: pytest.MonkeyPatch) -> None:
    from devices.printer import PaperOut
    from lobby.cli.main import said

    monkeypatch.setenv("LOBBY_LANG", "en")
    error = PaperOut("usb://04b8:0202", "paper end sensor")
    assert said(error) == "Printer out of paper (usb://04b8:0202) (paper end sensor)"
