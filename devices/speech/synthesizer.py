"""The parent's side of the speech worker: jobs with a deadline, restarts on failure.

A :class:`Synthesizer` runs one worker process (:mod:`devices.speech.worker`) and sends
it one job at a time. A worker that does not answer within the job's timeout is
killed; one that dies is noticed at once (its output ends). Either way the job raises
:class:`SpeechError`, a fresh worker is started, and the next job works again.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import queue
import subprocess
import sys
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from devices.speech.errors import SpeechError
from devices.speech.voices import VoiceChoice, VoiceInfo, choose_voices

log = logging.getLogger(__name__)

DEFAULT_RATE = 160  # words per minute: a little slower than espeak's 175, for a noisy hall
JOB_TIMEOUT_S = 10.0  # espeak needs ~10-30 ms a phrase; this only catches a hang
START_TIMEOUT_S = 30.0  # a cold start imports pyttsx3 and loads the voices
_PROJECT_ROOT = Path(__file__).resolve().parents[2]


#: What makes a frozen bundle's program run the speech worker (packaging/entry.py).
WORKER_FLAG = "--speech-worker"


def worker_command() -> list[str]:
    """The command that starts the real worker (in a frozen bundle: this program again)."""
    if getattr(sys, "frozen", False):
        return [sys.executable, WORKER_FLAG]
    return [sys.executable, "-m", "devices.speech.worker"]


@dataclass(frozen=True)
class Synthesis:
    """One finished job: the WAV file and the voice the worker says it used."""

    path: Path
    voice_id: str
    ms: float


class _Gone(Exception):
    """The worker died or broke the protocol."""


class _Hung(Exception):
    """The worker did not answer in time."""


class _WorkerProcess:
    """One running worker and the threads that read its output."""

    def __init__(self, command: Sequence[str], env: Mapping[str, str]) -> None:
        self.proc = subprocess.Popen(
            list(command),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=dict(env),
            creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),
        )
        self._lines: queue.Queue[bytes | None] = queue.Queue()
        self._readers = [
            threading.Thread(target=self._read_replies, name="speech-replies", daemon=True),
            threading.Thread(target=self._log_stderr, name="speech-stderr", daemon=True),
        ]
        for reader in self._readers:
            reader.start()

    @property
    def pid(self) -> int:
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc.poll() is None

    def _read_replies(self) -> None:
        stream = self.proc.stdout
        assert stream is not None
        for line in iter(stream.readline, b""):
            self._lines.put(line)
        self._lines.put(None)

    def _log_stderr(self) -> None:
        stream = self.proc.stderr
        assert stream is not None
        for line in iter(stream.readline, b""):
            log.warning("speech worker %d: %s", self.pid, line.decode(errors="replace").rstrip())

    def send(self, message: Mapping[str, Any]) -> None:
        stream = self.proc.stdin
        assert stream is not None
        try:
            stream.write(json.dumps(message, ensure_ascii=True).encode("ascii") + b"\n")
            stream.flush()
        except (BrokenPipeError, ConnectionResetError, ValueError) as exc:
            raise _Gone(f"cannot write to it ({exc})") from exc

    def receive(self, timeout: float) -> dict[str, Any]:
        try:
            line = self._lines.get(timeout=timeout)
        except queue.Empty:
            raise _Hung from None
        if line is None:
            try:
                code: int | None = self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                code = None
            raise _Gone(f"exit code {code}")
        try:
            reply = json.loads(line)
        except ValueError:
            reply = None
        if not isinstance(reply, dict):
            raise _Gone(f"garbled reply {line[:80]!r}")
        return reply

    def stop(self, *, kill: bool) -> None:
        """End the process (politely unless ``kill``) and release its pipes."""
        if not kill:
            self._close(self.proc.stdin)
            try:
                self.proc.wait(timeout=2)
            except subprocess.TimeoutExpired:
                kill = True
        if kill and self.alive():
            self.proc.kill()
        self.proc.wait()
        for reader in self._readers:
            reader.join(timeout=2)
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            self._close(stream)

    @staticmethod
    def _close(stream: IO[bytes] | None) -> None:
        if stream is not None:
            with contextlib.suppress(OSError):  # the worker has gone: nothing to flush to
                stream.close()


class Synthesizer:
    """Renders text to WAV files in a worker process that is restarted when it fails.

    Thread-safe: jobs from several threads run one after another.

    Args:
        rate: Speaking rate in words per minute.
        timeout_s: How long one job may take before the worker counts as hung.
        start_timeout_s: How long a worker may take to start and list its voices.
        command: The worker's command line (tests start a worker with hooks).
        env: The worker's environment; default this process's environment.

    Attributes:
        jobs: Jobs sent to a worker so far (cache hits never reach here).
        starts: Worker processes started so far.
    """

    def __init__(
        self,
        *,
        rate: int = DEFAULT_RATE,
        timeout_s: float = JOB_TIMEOUT_S,
        start_timeout_s: float = START_TIMEOUT_S,
        command: Sequence[str] | None = None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.rate = rate
        self.timeout_s = timeout_s
        self.start_timeout_s = start_timeout_s
        self._command = list(command or worker_command())
        self._env = dict(os.environ if env is None else env)
        path = self._env.get("PYTHONPATH")
        self._env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(_PROJECT_ROOT), path]))
        self._lock = threading.RLock()
        self._worker: _WorkerProcess | None = None
        self._installed: list[VoiceInfo] = []
        self._choices: dict[str, VoiceChoice] = {}
        self.driver = ""
        self.jobs = 0
        self.starts = 0
        self._closed = False

    def __enter__(self) -> Synthesizer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def pid(self) -> int | None:
        """The running worker's process id, if one runs (answers even during a job)."""
        worker = self._worker
        return worker.pid if worker is not None and worker.alive() else None

    def voices(self) -> dict[str, VoiceChoice]:
        """The voice for each language (starts the worker the first time)."""
        with self._lock:
            if not self._choices:
                self._running()
            return dict(self._choices)

    def installed_voices(self) -> list[VoiceInfo]:
        """Every voice the engine lists (starts the worker the first time)."""
        with self._lock:
            if not self._choices:
                self._running()
            return list(self._installed)

    def synthesize(self, text: str, voice_id: str, path: Path) -> Synthesis:
        """Render ``text`` with ``voice_id`` to the WAV file ``path``.

        Raises:
            SpeechError: The worker hung, died or could not render the text; a hung or
                dead worker has been replaced by a fresh one.
        """
        with self._lock:
            worker = self._running()
            self.jobs += 1
            request = {
                "id": self.jobs,
                "text": text,
                "voice": voice_id,
                "rate": self.rate,
                "path": str(path),
            }
            try:
                try:
                    worker.send(request)
                except _Gone:  # it died between jobs: this job never started, send it again
                    worker.stop(kill=True)
                    self._worker = None
                    worker = self._running()
                    worker.send(request)
                reply = worker.receive(self.timeout_s)
            except _Hung:
                self._replace(worker)
                raise SpeechError(
                    f"语音进程 {self.timeout_s:g} 秒内未响应，已重启",
                    f"the speech worker did not answer within {self.timeout_s:g} s "
                    "and was restarted",
                ) from None
            except _Gone as exc:
                self._replace(worker)
                raise SpeechError(
                    "语音进程意外退出，已重启",
                    f"the speech worker died while speaking ({exc}) and was restarted",
                ) from None
            if reply.get("id") != self.jobs:
                self._replace(worker)
                raise SpeechError("语音进程答非所问，已重启", f"unexpected reply {reply!r}")
            if not reply.get("ok"):
                raise SpeechError(
                    "无法合成这句话", f"cannot synthesise {text!r}: {reply.get('error')}"
                )
            return Synthesis(path, str(reply.get("voice") or voice_id), float(reply["ms"]))

    def close(self) -> None:
        """Stop the worker; later jobs raise :class:`SpeechError`."""
        with self._lock:
            self._closed = True
            if self._worker is not None:
                self._worker.stop(kill=False)
                self._worker = None

    # -- worker lifecycle ------------------------------------------------------------

    def _running(self) -> _WorkerProcess:
        if self._closed:
            raise SpeechError("语音合成器已关闭", "the synthesizer is closed")
        if self._worker is not None and not self._worker.alive():
            log.warning(
                "speech worker %d exited (code %s); starting a new one",
                self._worker.pid,
                self._worker.proc.returncode,
            )
            self._worker.stop(kill=True)
            self._worker = None
        if self._worker is None:
            self._worker = self._start()
        return self._worker

    def _replace(self, worker: _WorkerProcess) -> None:
        """Kill a failed worker and start its successor now, so the next call is quick."""
        worker.stop(kill=True)
        self._worker = None
        try:
            self._worker = self._start()
        except SpeechError as exc:
            log.error("%s", exc)  # the next job tries again

    def _start(self) -> _WorkerProcess:
        try:
            worker = _WorkerProcess(self._command, self._env)
        except OSError as exc:
            raise SpeechError("语音进程无法启动", f"cannot start the speech worker: {exc}") from exc
        self.starts += 1
        try:
            hello = worker.receive(self.start_timeout_s)
        except (_Hung, _Gone) as exc:
            worker.stop(kill=True)
            why = f"no answer within {self.start_timeout_s:g} s" if isinstance(exc, _Hung) else exc
            raise SpeechError(
                "语音进程无法启动", f"the speech worker did not start: {why}"
            ) from None
        if not hello.get("ready"):
            worker.stop(kill=True)
            raise SpeechError(
                "语音引擎不可用", f"the speech engine is unavailable: {hello.get('error')}"
            )
        self.driver = str(hello.get("driver", ""))
        self._installed = [VoiceInfo.from_json(v) for v in hello.get("voices", [])]
        try:
            choices = choose_voices(self._installed)
        except SpeechError:
            worker.stop(kill=True)
            raise
        if choices != self._choices:
            self._report(choices)
        self._choices = choices
        log.info("speech worker %d started (%s)", worker.pid, self.driver)
        return worker

    def _report(self, choices: Mapping[str, VoiceChoice]) -> None:
        zh, en = choices["zh"], choices["en"]
        if zh.fallback:
            log.warning(
                "no Chinese voice among the %d voices of %s: announcing in English only",
                len(self._installed),
                self.driver,
            )
        elif "cmn-latn-pinyin" not in zh.voice.tags() and "cmn" in zh.voice.tags():
            log.warning("only espeak's plain cmn voice: some characters will be misread")
        if en.fallback:
            log.warning("no English voice: English is spoken by %s", en.voice.name)
        log.info("speech voices: zh %s, en %s", zh.voice.id, en.voice.id)
