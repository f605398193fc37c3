"""The frozen bundle: every program starts from it, with no Python install behind it.

PyInstaller builds ``packaging/lobby.spec`` once (several minutes), so these tests are
left out of the default run (``-m "not bundle"`` in pyproject's addopts). Run them with
``.venv/bin/python -m pytest tests/install/test_bundle.py -m bundle``. Each app is
started under an Xvfb server of its own, and must show its window and keep running;
the hall display starts the speech worker from the bundle, and the bundle's
``lobby say`` writes a WAV with sound in it.
"""

from __future__ import annotations

import subprocess
import sys
import time
import tomllib
import wave
from array import array
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.install.conftest import ROOT, run
from tests.xvfb import private_display

pytestmark = [pytest.mark.slow, pytest.mark.bundle]

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
NOW = "2026-11-23T10:00:00+08:00"
APPS = {
    "lobby-greeter": [],
    "lobby-teller": ["--counter", "1"],
    "lobby-display": ["--voice", "on"],
    "lobby-manager": [],
}


@pytest.fixture(scope="session")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundle's folder, built once for the session."""
    work = tmp_path_factory.mktemp("pyinstaller")
    pyinstaller = Path(sys.executable).with_name("pyinstaller")
    spec = ROOT / "packaging" / "lobby.spec"
    run([pyinstaller, spec, "--distpath", work / "dist", "--workpath", work / "build",
         "--noconfirm", "--log-level", "WARN"], cwd=work)  # fmt: skip
    return work / "dist" / f"{PROJECT['name']}-{PROJECT['version']}"


@pytest.fixture(scope="session")
def display() -> Iterator[str]:
    """An Xvfb server on a free display number."""
    with private_display("1280x1024x24") as name:
        yield name


@pytest.fixture
def home(tmp_path: Path) -> Path:
    (tmp_path / "home").mkdir()
    return tmp_path / "home"


def environment(home: Path, display: str | None = None) -> dict[str, str]:
    env = {
        "PATH": "/usr/bin:/bin",  # no Python of the project's on it
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_RUNTIME_DIR": str(home),
        "LOBBY_DB": f"sqlite:///{home / 'lobby.db'}",
        "LOBBY_NOW": NOW,  # a Monday morning: the branch is open
    }
    if display is None:
        env["QT_QPA_PLATFORM"] = "offscreen"
    else:
        env["DISPLAY"] = display
    return env


def until(condition: object, timeout: float, what: str) -> None:
    """Poll ``condition()`` until it holds (a waitUntil for processes)."""
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.2)


def window_of(program: str, display: str) -> bool:
    """Whether ``program`` has a window on ``display`` (its WM_CLASS is its name)."""
    tree = subprocess.run(
        ["xwininfo", "-root", "-tree", "-display", display],
        capture_output=True, text=True, check=False,
    ).stdout  # fmt: skip
    return f'("{program}" ' in tree


def children(pid: int) -> list[str]:
    """The command lines of ``pid``'s child processes."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            if parent == pid:
                found.append((stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode())
        except (OSError, IndexError, ValueError):
            continue
    return found


def call_a_ticket(bundle: Path, home: Path) -> None:
    """Issue a ticket and call it to counter 1, with the bundle's ``lobby``."""
    env = environment(home)
    for staff, pin in (("G01", "2468"), ("T01", "1111")):
        run([bundle / "lobby", "change-pin", "--staff", staff, "--pin", pin, "--new-pin", "8642"],
            env=env, cwd=home)  # fmt: skip
    run([bundle / "lobby", "issue", "cash", "--staff", "G01", "--pin", "8642"], env=env, cwd=home)
    called = [bundle / "lobby", "call", "--counter", "1", "--staff", "T01", "--pin", "8642"]
    run(called, env=env, cwd=home)


def test_lobby_runs_from_the_bundle(bundle: Path, home: Path) -> None:
    env = environment(home)
    version = run([bundle / "lobby", "--version"], env=env, cwd=home).stdout
    assert version.strip() == f"lobby {PROJECT['version']}"
    run([bundle / "lobby", "init"], env=env, cwd=home)
    board = run([bundle / "lobby", "board"], env=env, cwd=home).stdout
    assert "Personal cash: 0 waiting" in board


@pytest.mark.parametrize("program", list(APPS))
def test_each_app_starts_from_the_bundle(
    bundle: Path, display: str, home: Path, program: str
) -> None:
    run([bundle / "lobby", "init"], env=environment(home), cwd=home)
    app = subprocess.Popen(
        [bundle / program, *APPS[program]],
        env=environment(home, display),
        cwd=home,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        until(lambda: window_of(program, display) or app.poll() is not None, 90, "the window")
        assert app.poll() is None, app.communicate()[0][-3000:]
        if program == "lobby-display":  # a call is announced by the bundle's speech worker
            call_a_ticket(bundle, home)
            until(lambda: any("--speech-worker" in c for c in children(app.pid)), 60, "worker")
        with pytest.raises(subprocess.TimeoutExpired):
            app.wait(timeout=3)  # and it keeps running
    finally:
        app.terminate()
        output = app.communicate(timeout=30)[0]
    assert "Traceback" not in output, output[-3000:]


def test_say_writes_a_wav_from_the_bundle(bundle: Path, home: Path) -> None:
    out = home / "x.wav"
    env = environment(home)
    run([bundle / "lobby", "say", "A012", "--counter", "3", "--out", out], env=env, cwd=home)
    with wave.open(str(out), "rb") as sound:
        samples = array("h", sound.readframes(sound.getnframes()))
        rate = sound.getframerate()
    assert len(samples) > rate  # chime and speech: more than a second
    assert max(abs(s) for s in samples) > 3_000
