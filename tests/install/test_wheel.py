"""The built wheel installs and works in a fresh venv, with the source tree out of reach.

``python -m build`` makes the wheel from a copy of the tree; a copy of it in a temp
directory goes into fresh venvs (no system site packages) with the pinned sets of
``requirements/``: everything (``lobby[all]``) and the core alone (``lobby``). Every
command runs from a home directory outside the tree.
"""

from __future__ import annotations

import json
import socket
import wave
import zipfile
from array import array
from pathlib import Path

import pytest

from tests.install.conftest import ROOT, Venv

#: Draws 取号 with the app's font; prints the font's family and the count of inked pixels.
DRAW_CHINESE = """
from PySide6.QtGui import QColor, QFont, QImage, QPainter
from ui.common.app import load_font, make_app
app = make_app(["x"])
family = load_font()
image = QImage(200, 80, QImage.Format.Format_Grayscale8)
image.fill(QColor("white"))
painter = QPainter(image)
painter.setFont(QFont(family, 36))
painter.drawText(10, 60, "取号")
painter.end()
ink = sum(image.pixelColor(x, y).value() < 128 for x in range(200) for y in range(80))
print(family, ink)
"""

pytestmark = pytest.mark.slow  # builds a wheel and two venvs: about a minute


def test_the_wheel_adds_only_lobby_ui_and_devices_with_the_resources(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    tops = {name.split("/")[0] for name in names if ".dist-info/" not in name}
    assert tops == {"lobby", "ui", "devices"}  # no tests/, packaging/, resources/ of its own
    shipped = {name.removeprefix("lobby/resources/") for name in names}
    tree = {str(p.relative_to(ROOT / "resources")) for p in (ROOT / "resources").rglob("*")}
    assert {p for p in tree if not (ROOT / "resources" / p).is_dir()} <= shipped
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    for program in ("lobby-greeter", "lobby-teller", "lobby-display", "lobby-manager"):
        assert f"{program} = ui.launchers:" in text


def test_installed_resources_come_from_the_package(full_venv: Venv) -> None:
    where = full_venv.python(
        "from lobby.resource_files import resource; print(resource('fonts', 'wqy-microhei.ttc'))"
    ).strip()
    assert Path(where).is_file()
    assert Path(where).is_relative_to(full_venv.path)
    assert not Path(where).is_relative_to(ROOT)


def test_init_demo_shots_and_say_work_from_the_wheel(full_venv: Venv, tmp_path: Path) -> None:
    full_venv.lobby("init")
    with socket.socket() as probe:  # its lobby web child on a free port
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    demo = full_venv.lobby(
        "demo", "--headless", "--seconds", "5", "--speed", "20", "--web-port", str(port)
    )
    # (whether the simulated branch issues depends on the hour: the demo runs on the wall clock)
    assert f"Web hall display: http://127.0.0.1:{port}/display" in demo.stdout
    assert "Waiting now:" in demo.stdout

    shots = full_venv.lobby("shots", "greeter", "--out", str(tmp_path / "shots"), "--json")
    files = [Path(json.loads(line)["file"]) for line in shots.stdout.splitlines()]
    assert files
    assert all(path.stat().st_size > 10_000 for path in files)
    # the app font is the bundled CJK one, and it draws Chinese (ink, not an empty box)
    drawn = full_venv.python(DRAW_CHINESE).split()
    assert drawn[:3] == ["WenQuanYi", "Micro", "Hei"]
    assert int(drawn[-1]) > 300

    wav = tmp_path / "x.wav"
    full_venv.lobby("say", "A012", "--counter", "3", "--out", str(wav))
    with wave.open(str(wav), "rb") as sound:
        assert sound.getsampwidth() == 2
        samples = array("h", sound.readframes(sound.getnframes()))
    assert len(samples) > sound.getframerate()  # more than a second: chime and speech
    assert max(abs(s) for s in samples) > 3_000


def test_the_core_alone_issues_and_shows_the_board(core_venv: Venv) -> None:
    assert "No module named 'PySide6'" in core_venv.lobby_python_fails("import PySide6")
    core_venv.lobby("init")
    core_venv.lobby("change-pin", "--staff", "G01", "--pin", "2468", "--new-pin", "8642")
    issued = core_venv.lobby("issue", "cash", "--staff", "G01", "--pin", "8642", "--json")
    number = json.loads(issued.stdout)["number"]
    board = core_venv.lobby("board")
    assert number[0] in board.stdout


@pytest.mark.parametrize(
    ("command", "extra"),
    [
        (["greeter"], "apps"),
        (["shots", "greeter", "--out", "x"], "apps"),
        (["say", "A012", "--counter", "3", "--out", "x.wav"], "speech"),
    ],
)
def test_the_core_alone_names_the_extra_an_app_needs(
    core_venv: Venv, command: list[str], extra: str
) -> None:
    refused = core_venv.lobby(*command, ok=False)
    assert refused.returncode == 2
    assert f"pip install 'lobby[{extra}]'" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    assert "Traceback" not in refused.stderr
