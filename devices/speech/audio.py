"""WAV files in the one format announcements use: 22,050 Hz, mono, signed 16-bit.

espeak-ng renders in that format; other engines (SAPI5, a future voice) may not, so
:func:`read_wav` converts any PCM WAV on the way in. Standard library only: the
``audioop`` module is deprecated (removed in Python 3.13).
"""

from __future__ import annotations

import math
import os
import sys
import wave
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from devices.speech.errors import SpeechError

RATE = 22_050
GAP_S = 0.35


@dataclass(frozen=True)
class Audio:
    """Mono signed 16-bit samples at ``rate`` Hz."""

    rate: int
    samples: array[int]

    @property
    def seconds(self) -> float:
        """The length in seconds."""
        return len(self.samples) / self.rate

    def rms(self) -> float:
        """Root mean square level, 0.0 (silence) to 1.0 (full-scale square wave)."""
        if not self.samples:
            return 0.0
        return math.sqrt(sum(s * s for s in self.samples) / len(self.samples)) / 32768


def _to_int16(frames: bytes, width: int) -> array[int]:
    """Interleaved PCM of ``width`` bytes per sample, as signed 16-bit samples."""
    if width == 2:
        out = array("h", frames)
        if sys.byteorder == "big":
            out.byteswap()
        return out
    if width == 1:  # WAV's 8-bit PCM is unsigned
        return array("h", ((b - 128) << 8 for b in frames))
    if width == 3:
        return array(
            "h",
            (
                int.from_bytes(frames[i : i + 3], "little", signed=True) >> 8
                for i in range(0, len(frames), 3)
            ),
        )
    if width == 4:
        wide = array("i", frames)
        if sys.byteorder == "big":
            wide.byteswap()
        return array("h", (s >> 16 for s in wide))
    raise ValueError(f"{width * 8}-bit samples")


def _downmix(samples: array[int], channels: int) -> array[int]:
    if channels == 1:
        return samples
    return array(
        "h",
        (
            sum(samples[i : i + channels]) // channels
            for i in range(0, len(samples) - channels + 1, channels)
        ),
    )


def resample(audio: Audio, rate: int) -> Audio:
    """``audio`` at ``rate`` Hz by linear interpolation (good enough for speech)."""
    if audio.rate == rate or not audio.samples:
        return Audio(rate, array("h", audio.samples))
    src = audio.samples
    count = max(1, round(len(src) * rate / audio.rate))
    step = audio.rate / rate
    last = len(src) - 1
    out = array("h")
    for n in range(count):
        pos = n * step
        i = min(int(pos), last)
        frac = pos - i
        nxt = src[min(i + 1, last)]
        out.append(round(src[i] + (nxt - src[i]) * frac))
    return Audio(rate, out)


def read_wav(path: Path, rate: int = RATE) -> Audio:
    """Read a PCM WAV file as mono 16-bit at ``rate`` Hz, converting if needed.

    Raises:
        SpeechError: The file is missing, not a WAV, or not PCM.
    """
    try:
        with wave.open(str(path), "rb") as wav:
            channels, width, file_rate = wav.getnchannels(), wav.getsampwidth(), wav.getframerate()
            frames = wav.readframes(wav.getnframes())
        samples = _downmix(_to_int16(frames, width), channels)
    except (OSError, EOFError, wave.Error, ValueError) as exc:
        raise SpeechError(
            f"无法读取音频文件 {path}", f"cannot read audio file {path}: {exc}"
        ) from exc
    return resample(Audio(file_rate, samples), rate)


def silence(seconds: float, rate: int = RATE) -> Audio:
    """``seconds`` of silence."""
    return Audio(rate, array("h", bytes(2 * round(seconds * rate))))


def write_wav(path: Path, audio: Audio) -> None:
    """Write ``audio`` to ``path`` atomically: a reader never sees half a file.

    Raises:
        OSError: ``path`` cannot be written.
    """
    samples = audio.samples
    if sys.byteorder == "big":
        samples = array("h", samples)
        samples.byteswap()
    part = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        with wave.open(str(part), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(audio.rate)
            out.writeframes(samples.tobytes())
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)


def concatenate(parts: Sequence[Audio], gap_s: float = GAP_S, rate: int = RATE) -> Audio:
    """``parts`` one after another with ``gap_s`` of silence between them."""
    out = array("h")
    gap = silence(gap_s, rate).samples
    for i, part in enumerate(parts):
        if i:
            out.extend(gap)
        out.extend(resample(part, rate).samples)
    return Audio(rate, out)


def compose_wav(paths: Sequence[Path], out: Path, *, gap_s: float = GAP_S) -> Audio:
    """Write the WAV files ``paths`` one after another, with short silences, to ``out``.

    Every part is converted to 22,050 Hz mono 16-bit first, whatever its format.

    Args:
        paths: The chime and the phrases, in playing order.
        out: The WAV file to write (replaced atomically).
        gap_s: Silence between two parts, in seconds.

    Returns:
        The audio written.

    Raises:
        SpeechError: A part cannot be read.
        OSError: ``out`` cannot be written.
    """
    audio = concatenate([read_wav(p) for p in paths], gap_s)
    write_wav(out, audio)
    return audio
