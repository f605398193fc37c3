"""Playing a finished announcement on this machine's speakers.

The hall display will bring a QtMultimedia player; until then (and for headless
kiosks) :func:`system_player` picks a command-line player when the machine has an
audio output, else a :class:`SilentPlayer` that only logs.
"""

from __future__ import annotations

import importlib
import logging
import os
import shutil
import subprocess
import sys
import wave
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from devices.speech.errors import SpeechError

log = logging.getLogger(__name__)


class Player(Protocol):
    """Plays a WAV file, returning when it has finished."""

    def play(self, path: Path) -> None:
        """Play ``path`` to the end.

        Raises:
            SpeechError: The file could not be played.
        """
        ...


def _seconds(path: Path) -> float:
    try:
        with wave.open(str(path), "rb") as wav:
            return wav.getnframes() / wav.getframerate()
    except (OSError, EOFError, wave.Error):
        return 0.0


class CommandPlayer:
    """Plays through a command such as ``aplay -q``, ``paplay`` or sox's ``play -q``.

    Args:
        argv: The command; the file name is appended.
        margin_s: Time allowed beyond the file's length before the player counts as hung.
    """

    def __init__(self, argv: Sequence[str], *, margin_s: float = 15.0) -> None:
        self.argv = list(argv)
        self.margin_s = margin_s

    def play(self, path: Path) -> None:
        """Run the command on ``path`` and wait for it."""
        timeout = _seconds(path) + self.margin_s
        try:
            done = subprocess.run(
                [*self.argv, str(path)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                timeout=timeout,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise SpeechError("无法播放", f"{self.argv[0]} failed on {path.name}: {exc}") from exc
        if done.returncode != 0:
            why = (done.stderr.decode(errors="replace").strip().splitlines() or ["?"])[-1]
            raise SpeechError("无法播放", f"{self.argv[0]} exited {done.returncode}: {why}")


class WinsoundPlayer:
    """Plays through Windows' own ``winsound`` (blocking until the end)."""

    def play(self, path: Path) -> None:
        """Play ``path`` synchronously."""
        winsound = importlib.import_module("winsound")  # Windows only
        try:
            winsound.PlaySound(str(path), winsound.SND_FILENAME)
        except RuntimeError as exc:
            raise SpeechError("无法播放", f"winsound failed on {path.name}: {exc}") from exc


class SilentPlayer:
    """Plays nothing, for machines without an audio output; says so when made."""

    def __init__(self, reason: str = "no audio output") -> None:
        self.reason = reason
        log.warning("announcements are not played: %s", reason)

    def play(self, path: Path) -> None:
        """Skip ``path``."""


def _pulse_running() -> bool:
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if os.environ.get("PULSE_SERVER") or (runtime and Path(runtime, "pulse", "native").exists()):
        return True
    if shutil.which("pactl") is None:
        return False
    try:
        return (
            subprocess.run(
                ["pactl", "info"],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=3,
                check=False,
            ).returncode
            == 0
        )
    except (OSError, subprocess.TimeoutExpired):
        return False


def _alsa_cards() -> bool:
    try:
        cards = Path("/proc/asound/cards").read_text()
    except OSError:
        return False
    return bool(cards.strip()) and "no soundcards" not in cards


def system_player() -> Player:
    """The best way to play sound here, or a :class:`SilentPlayer` (with a warning)."""
    if sys.platform == "win32":
        return WinsoundPlayer()
    if sys.platform == "darwin" and shutil.which("afplay"):
        return CommandPlayer(["afplay"])
    if shutil.which("paplay") and _pulse_running():
        return CommandPlayer(["paplay"])
    if _alsa_cards():
        if shutil.which("aplay"):
            return CommandPlayer(["aplay", "-q"])
        if shutil.which("play"):
            return CommandPlayer(["play", "-q"])
    if shutil.which("play") and _pulse_running():
        return CommandPlayer(["play", "-q"])
    return SilentPlayer("no sound server or sound card, or no aplay, paplay or sox play")
