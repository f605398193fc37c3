"""The speech worker process: the only place that owns a pyttsx3 engine.

pyttsx3 keeps one engine per process and crashes or hangs when two threads use it,
so all synthesis happens here, in a process of its own that the parent
(:class:`devices.speech.synthesizer.Synthesizer`) can kill and restart.

Run as ``python -m devices.speech.worker``. It talks JSON lines, one object a line:

* worker -> parent, once at start: ``{"ready": true, "pid": 123, "driver": "espeak",
  "voices": [{"id": ..., "name": ..., "languages": [...]}, ...]}`` or
  ``{"ready": false, "error": "..."}``.
* parent -> worker, a job: ``{"id": 7, "text": "...", "voice": "sit/cmn-latn-pinyin",
  "rate": 160, "path": "/.../x.wav"}``.
* worker -> parent, its answer: ``{"id": 7, "ok": true, "voice": "<voice used>",
  "ms": 12.5}`` or ``{"id": 7, "ok": false, "error": "..."}``.

The worker stops at the end of its input (the parent closed the pipe or died).
"""

from __future__ import annotations

import json
import os
import sys
import time
import wave
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, Protocol

from devices.speech.voices import VoiceInfo


class SpeechBackend(Protocol):
    """A text-to-speech engine that writes WAV files."""

    driver: str

    def voices(self) -> list[VoiceInfo]:
        """The installed voices."""
        ...

    def synthesize(self, text: str, voice_id: str, rate: int, path: Path) -> str:
        """Write ``text`` spoken by ``voice_id`` to the WAV file ``path``.

        Returns:
            The id of the voice the engine actually used.
        """
        ...


class Pyttsx3Backend:
    """pyttsx3 with the platform's driver (espeak-ng on Linux, SAPI5 on Windows).

    With espeak, pyttsx3 2.99 needs two guards, both seen under CPU load:

    * ``runAndWait`` first cancels whatever espeak reports as playing, and espeak
      applies a new rate on its own thread: right after ``setProperty("rate")`` it
      counts as playing, and the utterance about to start was cancelled (an empty
      file, ~1 job in 100). So we wait until espeak is idle before ``runAndWait``.
    * ``runAndWait`` can return before espeak has delivered the utterance (the file is
      written later, on espeak's thread), so we wait with ``espeak_Synchronize``.

    A file that still comes out empty is rendered again (never seen with the guards).
    """

    ATTEMPTS = 3
    IDLE_WAIT_S = 2.0

    def __init__(self) -> None:
        import pyttsx3  # type: ignore[import-untyped]  # only this process may load it

        self._engine = pyttsx3.init()
        self.driver = str(getattr(self._engine, "driver_name", "unknown"))
        self._espeak: Any = None
        if self.driver == "espeak":
            from pyttsx3.drivers import _espeak  # type: ignore[import-untyped]

            self._espeak = _espeak

    def voices(self) -> list[VoiceInfo]:
        """The voices pyttsx3 lists."""
        found = self._engine.getProperty("voices") or []
        return [
            VoiceInfo(str(v.id), str(v.name or v.id), tuple(str(x) for x in (v.languages or ())))
            for v in found
        ]

    def synthesize(self, text: str, voice_id: str, rate: int, path: Path) -> str:
        """``save_to_file`` + ``runAndWait`` with the voice and rate set first."""
        for _ in range(self.ATTEMPTS):
            self._engine.setProperty("voice", voice_id)
            self._engine.setProperty("rate", rate)
            self._wait_until_idle()  # espeak applies the rate on its own thread
            self._engine.save_to_file(text, str(path))
            self._engine.runAndWait()
            if self._espeak is not None:
                self._espeak.Synchronize()  # returns once the utterance has been delivered
            if _frames(path) > 0:
                break
        used = self._engine.getProperty("voice")
        return str(used) if used else voice_id

    def _wait_until_idle(self) -> None:
        if self._espeak is None:
            return
        deadline = time.monotonic() + self.IDLE_WAIT_S
        while self._espeak.IsPlaying() and time.monotonic() < deadline:
            time.sleep(0.001)


def _frames(path: Path) -> int:
    """Audio frames in the WAV file ``path``; 0 when missing or unreadable."""
    try:
        with wave.open(str(path), "rb") as wav:
            return wav.getnframes()
    except (OSError, EOFError, wave.Error):
        return 0


def _reply(out: IO[bytes], message: dict[str, Any]) -> None:
    out.write(json.dumps(message, ensure_ascii=True).encode("ascii") + b"\n")
    out.flush()


def _job(backend: SpeechBackend, request: dict[str, Any]) -> dict[str, Any]:
    text = str(request.get("text", "")).strip()
    if not text:  # pyttsx3's espeak driver waits forever on empty text
        raise ValueError("empty text")
    path = Path(str(request["path"]))
    started = time.perf_counter()
    used = backend.synthesize(text, str(request["voice"]), int(request["rate"]), path)
    if _frames(path) == 0:
        raise RuntimeError(f"the engine wrote no audio to {path}")
    return {"ok": True, "voice": used, "ms": round((time.perf_counter() - started) * 1000, 2)}


def serve(backend: SpeechBackend, requests: IO[bytes], replies: IO[bytes]) -> None:
    """Announce the voices, then answer jobs until ``requests`` ends."""
    voices = [v.to_json() for v in backend.voices()]
    _reply(replies, {"ready": True, "pid": os.getpid(), "driver": backend.driver, "voices": voices})
    for line in requests:
        if not line.strip():
            continue
        request: dict[str, Any] = {}
        try:
            request = json.loads(line)
            answer = _job(backend, request)
        except Exception as exc:  # any failure is this job's answer, not the worker's end
            answer = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
        _reply(replies, {"id": request.get("id"), **answer})


def main(backend_factory: Callable[[], SpeechBackend] = Pyttsx3Backend) -> int:
    """Run the worker on stdin/stdout; ``backend_factory`` builds the engine."""
    # The protocol gets a private copy of stdout; fd 1 itself goes to the null device,
    # because pyttsx3 prints ("Audio saved to ...") and a stray line would corrupt it.
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, sys.stdout.fileno())
    os.close(null)
    try:
        try:
            backend = backend_factory()
        except Exception as exc:
            _reply(replies, {"ready": False, "error": f"{type(exc).__name__}: {exc}"})
            return 1
        serve(backend, sys.stdin.buffer, replies)
    except (KeyboardInterrupt, BrokenPipeError):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
