"""Device commands (speaking); device libraries are imported inside the handlers only."""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import os
import re
import tempfile
from pathlib import Path

from lobby.cli.context import CliContext
from lobby.cli.plugins import Add
from lobby.errors import InvalidInput

#: What the handlers import when they run (the speech engine); the CLI names the extra if absent.
LIBRARIES = ("pyttsx3",)

_NUMBER = re.compile(r"[A-Z]{1,2}[0-9]{1,4}")
_LANGUAGES = ("zh", "en")
MAX_REPEAT = 5


def _ticket_number(text: str) -> str:
    number = text.strip().upper()
    if not _NUMBER.fullmatch(number):
        raise InvalidInput(f"{text!r} is not a ticket number (one or two letters, digits: A012)")
    return number


def _languages(text: str) -> tuple[str, ...]:
    languages = tuple(part.strip().lower() for part in text.split(","))
    if not all(languages) or len(set(languages)) != len(languages):
        raise InvalidInput(f"--lang {text!r}: give zh, en or zh,en")
    unknown = [lang for lang in languages if lang not in _LANGUAGES]
    if unknown:
        raise InvalidInput(f"no announcement language {unknown[0]!r}: use zh or en")
    return languages


def _writable(out: Path) -> Path:
    """Check that ``out`` can be written before any speech is rendered."""
    if out.is_dir():
        raise InvalidInput(f"--out {out} is a directory")
    try:
        fd, probe = tempfile.mkstemp(prefix=".lobby-say-", dir=out.parent or Path())
    except OSError as exc:
        raise InvalidInput(f"cannot write {out}: {exc.strerror or exc}") from None
    os.close(fd)
    with contextlib.suppress(OSError):
        os.unlink(probe)
    return out


def say(args: argparse.Namespace, ctx: CliContext) -> None:
    """Write a call's full announcement (chime, Chinese, English) to a WAV file."""
    number = _ticket_number(args.number)
    if not 1 <= args.counter <= 999:
        raise InvalidInput(f"counter {args.counter}: give a counter number from 1 to 999")
    languages = _languages(args.lang) if args.lang is not None else ctx.settings.speech_languages
    repeat = ctx.settings.speech_repeat if args.repeat is None else args.repeat
    if not 1 <= repeat <= MAX_REPEAT:
        raise InvalidInput(f"--repeat {repeat}: give 1 to {MAX_REPEAT}")
    out = _writable(Path(args.out))

    if importlib.util.find_spec("pyttsx3") is None:  # the worker could not start: name the extra
        raise ModuleNotFoundError("No module named 'pyttsx3'", name="pyttsx3")
    from devices.speech import open_renderer  # loads no speech engine: the worker does

    renderer, synthesizer = open_renderer(ctx.settings, languages=languages, repeat=repeat)
    with synthesizer:
        try:
            done = renderer.render(number, args.counter, out)
        except OSError as exc:
            raise InvalidInput(f"cannot write {out}: {exc.strerror or exc}") from None
    phrases = [
        {"lang": r.phrase.lang, "text": r.phrase.text, "voice": r.voice_id, "cached": r.cached}
        for r in done.phrases
    ]
    ctx.emit(
        {"out": str(out), "seconds": round(done.seconds, 3), "repeat": repeat, "phrases": phrases},
        f"{out}: {done.seconds:.1f} s, chime + "
        + " + ".join(f"{p['lang']} ({p['voice']})" for p in phrases)
        + (f", {repeat} times" if repeat > 1 else ""),
    )


def register(add: Add) -> None:
    """Add the speaking commands to the parser."""
    p = add("say", say, "write a call's announcement (chime, Chinese, English) to a WAV file")
    p.add_argument("number", metavar="NUMBER", help="ticket number, e.g. A012")
    p.add_argument("--counter", type=int, required=True, metavar="N", help="counter number")
    p.add_argument("--lang", metavar="zh,en", help="languages in order (default: settings)")
    p.add_argument("--repeat", type=int, metavar="K", help="times to speak (default: settings)")
    p.add_argument("--out", required=True, metavar="FILE.wav", help="the WAV file to write")
