"""The chime played before every announcement, made here so that we own it.

Two bell-like tones, 880 Hz then 660 Hz (a falling fourth), each with a soft attack
and an exponential decay, written as 22,050 Hz mono 16-bit PCM: the format espeak-ng
renders speech in, so announcements need no conversion.

Regenerate the committed file with::

    python -m devices.speech.chime resources/sounds/chime.wav
"""

from __future__ import annotations

import math
import sys
import wave
from array import array
from pathlib import Path

from lobby.resource_files import resource

#: The chime shipped with Lobby.
CHIME_PATH = resource("sounds", "chime.wav")

RATE = 22_050
DURATION_S = 0.8
PEAK = 0.45  # of full scale: about as loud as espeak's speech, with room to spare

# (start s, frequency Hz, decay time constant s)
_TONES = ((0.0, 880.0, 0.16), (0.3, 660.0, 0.18))
_ATTACK_S = 0.006
_FADE_OUT_S = 0.03
# A bell's partials: the fundamental, a quieter octave and a faint twelfth.
_PARTIALS = ((1.0, 1.0), (2.0, 0.28), (3.0, 0.08))


def chime_samples(rate: int = RATE) -> array[int]:
    """The chime as signed 16-bit samples at ``rate`` Hz."""
    count = round(DURATION_S * rate)
    norm = sum(weight for _, weight in _PARTIALS)
    out = array("h")
    for n in range(count):
        t = n / rate
        value = 0.0
        for start, freq, decay in _TONES:
            local = t - start
            if local < 0:
                continue
            envelope = min(1.0, local / _ATTACK_S) * math.exp(-local / decay)
            partials = sum(
                weight * math.sin(2 * math.pi * freq * mult * local) for mult, weight in _PARTIALS
            )
            value += envelope * partials / norm
        fade = min(1.0, (count - 1 - n) / (_FADE_OUT_S * rate))  # no click at the end
        out.append(round(max(-1.0, min(1.0, value * PEAK * fade)) * 32767))
    return out


def write_chime(path: Path | str) -> Path:
    """Write the chime as a WAV file at ``path`` and return the path."""
    target = Path(path)
    samples = chime_samples()
    if sys.byteorder == "big":
        samples.byteswap()
    with wave.open(str(target), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(samples.tobytes())
    return target


def chime_file(spare_dir: Path) -> Path:
    """The shipped chime, or one written into ``spare_dir`` if it is missing."""
    if CHIME_PATH.is_file():
        return CHIME_PATH
    spare = spare_dir / "chime.wav"
    if not spare.is_file():
        spare_dir.mkdir(parents=True, exist_ok=True)
        write_chime(spare)
    return spare


def main(argv: list[str] | None = None) -> int:
    """``python -m devices.speech.chime OUT``: write the chime to OUT."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m devices.speech.chime OUT.wav", file=sys.stderr)
        return 2
    print(write_chime(args[0]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
