"""Test doubles for the speech device, and a speech worker with failure hooks.

Run as ``python -m tests.speech_fakes``, this module is the real speech worker
(:mod:`devices.speech.worker`) with hooks chosen by environment variables:

* ``LOBBY_TEST_SPEECH_HANG``: a job whose text contains it hangs (forever), after
  creating the file ``LOBBY_TEST_SPEECH_MARKER``. When that file already exists the
  job runs normally, so a restarted worker renders the same text.
* ``LOBBY_TEST_SPEECH_CRASH``: a job whose text contains it ends the process at once.
"""

from __future__ import annotations

import os
import sys
import threading
import wave
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from devices.speech import worker
from devices.speech.synthesizer import Synthesis
from devices.speech.voices import VoiceChoice, VoiceInfo, choose_voices


class HookedBackend(worker.Pyttsx3Backend):
    """The real pyttsx3 backend, with the hang and crash hooks."""

    def synthesize(self, text: str, voice_id: str, rate: int, path: Path) -> str:
        hang = os.environ.get("LOBBY_TEST_SPEECH_HANG")
        crash = os.environ.get("LOBBY_TEST_SPEECH_CRASH")
        if crash and crash in text:
            os._exit(70)
        if hang and hang in text:
            marker = Path(os.environ["LOBBY_TEST_SPEECH_MARKER"])
            if not marker.exists():
                path.write_bytes(b"RIFF")  # half a file, as a real hang would leave
                marker.touch()
                threading.Event().wait()  # until killed
        return super().synthesize(text, voice_id, rate, path)


def hooked_worker_command() -> list[str]:
    """The command line of the hooked worker."""
    return [sys.executable, "-m", "tests.speech_fakes"]


@dataclass
class RecordingPlayer:
    """Records what it plays, and when, and whether two plays ever overlapped.

    Attributes:
        gate: When given, the first play waits for it (bounded), so a test can queue
            calls while the player is busy.
        started: Set when the first play has begun.
        events: ``("start" | "end", file name)`` in the order they happened.
        seconds: The length of each file played.
    """

    gate: threading.Event | None = None
    started: threading.Event = field(default_factory=threading.Event)
    events: list[tuple[str, str]] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    max_active: int = 0
    _active: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def play(self, path: Path) -> None:
        with self._lock:
            self._active += 1
            self.max_active = max(self.max_active, self._active)
            self.events.append(("start", path.name))
            first = len(self.seconds) == 0
        self.started.set()
        with wave.open(str(path), "rb") as wav:  # the file is whole while it plays
            length = wav.getnframes() / wav.getframerate()
        if first and self.gate is not None and not self.gate.wait(timeout=60):
            raise AssertionError("the test never opened the gate")
        with self._lock:
            self.seconds.append(length)
            self.events.append(("end", path.name))
            self._active -= 1

    @property
    def played(self) -> list[str]:
        return [name for kind, name in self.events if kind == "end"]


class RecordingRender:
    """Wraps a render function and remembers which call went to which file."""

    def __init__(self, render: Callable[[str, int, Path], object]) -> None:
        self._render = render
        self.calls: dict[str, tuple[str, int]] = {}

    def __call__(self, number: str, counter: int, out: Path) -> object:
        self.calls[out.name] = (number, counter)
        return self._render(number, counter, out)

    def numbers(self, names: Sequence[str]) -> list[str]:
        return [self.calls[name][0] for name in names]


ESPEAK_VOICES = [
    VoiceInfo("sit/cmn", "Chinese (Mandarin, latin as English)", ("cmn",)),
    VoiceInfo("sit/cmn-latn-pinyin", "Chinese (Mandarin, latin as Pinyin)", ("cmn-latn-pinyin",)),
    VoiceInfo("gmw/en", "English (Great Britain)", ("en-gb",)),
    VoiceInfo("gmw/en-us", "English (America)", ("en-us",)),
    VoiceInfo("sit/yue", "Chinese (Cantonese)", ("yue",)),
]


class FakeSynthesizer:
    """Writes a short tone per job instead of speech; counts jobs."""

    def __init__(self, voices: Sequence[VoiceInfo] = ESPEAK_VOICES, rate: int = 160) -> None:
        self._choices = choose_voices(voices)
        self._rate = rate
        self.texts: list[tuple[str, str]] = []

    @property
    def rate(self) -> int:
        return self._rate

    def voices(self) -> dict[str, VoiceChoice]:
        return dict(self._choices)

    def synthesize(self, text: str, voice_id: str, path: Path) -> Synthesis:
        self.texts.append((voice_id, text))
        with wave.open(str(path), "wb") as wav:
            wav.setnchannels(1)
            wav.setsampwidth(2)
            wav.setframerate(22050)
            wav.writeframes(b"\x00\x10" * (100 * len(text)))
        return Synthesis(path, voice_id, 0.1)


if __name__ == "__main__":
    sys.exit(worker.main(HookedBackend))
