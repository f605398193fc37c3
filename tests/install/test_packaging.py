"""The packaging files agree with the programs: desktop entries, icons, systemd units."""

from __future__ import annotations

import configparser
import sys
import tomllib
from pathlib import Path

import pytest

from lobby.resource_files import resource
from ui import launchers

ROOT = Path(__file__).resolve().parents[2]
GUI_SCRIPTS = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["gui-scripts"]


def ini(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path, encoding="utf-8")
    return parser


def test_the_four_apps_are_gui_scripts_of_their_launchers() -> None:
    assert set(GUI_SCRIPTS) == {"lobby-greeter", "lobby-teller", "lobby-display", "lobby-manager"}
    for program, target in GUI_SCRIPTS.items():
        module, function = target.split(":")
        assert module == "ui.launchers"
        assert function == program.removeprefix("lobby-")
        assert callable(getattr(launchers, function))


@pytest.mark.parametrize("program", sorted(GUI_SCRIPTS))
def test_each_app_has_a_desktop_entry_with_its_icon(program: str) -> None:
    entry = ini(ROOT / "packaging" / "applications" / f"{program}.desktop")["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Exec"].split()[0] == program
    assert entry["Icon"] == program
    assert entry["Terminal"] == "false"
    icon = resource("icons", "apps", f"{program}.svg")
    assert icon.read_text(encoding="utf-8").startswith("<svg")


@pytest.mark.parametrize("program", ["lobby-display", "lobby-greeter"])
def test_the_kiosk_apps_start_at_login_and_restart_after_a_crash(program: str) -> None:
    unit = ini(ROOT / "packaging" / "systemd" / f"{program}.service")
    assert unit["Service"]["ExecStart"].split() == [f"%h/.local/bin/{program}", "--kiosk"]
    assert unit["Service"]["Restart"] == "on-failure"
    assert unit["Install"]["WantedBy"] == "graphical-session.target"
    assert unit["Unit"]["StartLimitIntervalSec"] == "0"  # never given up after a crash loop


def test_a_launcher_is_lobby_app(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", ["lobby-greeter", "--help"])
    with pytest.raises(SystemExit) as done:
        launchers.greeter()
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: lobby greeter")
    assert "--kiosk" in out
