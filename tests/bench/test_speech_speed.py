"""Phrase render time with the real espeak-ng: cold (a worker job) against cached.

Run with ``./run bench``. The worker is started before the timings, as in the hall
display where it stays up all day. Cold rounds each render a phrase the cache has not
seen (the next counter number); cached rounds render one phrase again and again.
Medians (ms) and the cold/cached ratio are in ``benchmark.extra_info`` and printed
past output capture, with the time to render a whole announcement from the cache.
"""

from __future__ import annotations

import itertools
import statistics
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from devices.speech import (
    CHIME_PATH,
    AnnouncementRenderer,
    PhraseCache,
    PhraseRenderer,
    SpeechOptions,
    Synthesizer,
)
from lobby.announce import Phrase, call_phrases

ROUNDS = 40


@pytest.fixture(scope="module")
def synth() -> Iterator[Synthesizer]:
    with Synthesizer() as synthesizer:
        synthesizer.voices()  # the worker is up before anything is timed
        yield synthesizer


def median_ms(seconds: list[float]) -> float:
    return statistics.median(seconds) * 1000


def show(capsys: pytest.CaptureFixture[str], text: str) -> None:
    """Print past pytest's output capture, so ``./run bench`` shows the figure."""
    with capsys.disabled():
        print(f"\n{text}")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_phrase_render_cold_vs_cached(
    benchmark: Any,
    synth: Synthesizer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    lang: str,
) -> None:
    phrases = PhraseRenderer(synth, PhraseCache(tmp_path / "cache"))
    counters = itertools.count(1)
    cold: list[float] = []

    def fresh_phrase() -> tuple[tuple[Phrase], dict[str, Any]]:
        (phrase,) = call_phrases("A012", next(counters), languages=(lang,))
        return (phrase,), {}

    def render_cold(phrase: Phrase) -> None:
        started = time.perf_counter()
        done = phrases.render(phrase)
        cold.append(time.perf_counter() - started)
        assert not done.cached

    jobs_before = synth.jobs
    benchmark.pedantic(render_cold, setup=fresh_phrase, rounds=ROUNDS, iterations=1)
    assert synth.jobs - jobs_before == ROUNDS

    (known,) = call_phrases("A012", 1, languages=(lang,))
    cached: list[float] = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        done = phrases.render(known)
        cached.append(time.perf_counter() - started)
        assert done.cached
    assert synth.jobs - jobs_before == ROUNDS  # no cache hit reached the worker

    renderer = AnnouncementRenderer(phrases, SpeechOptions(), CHIME_PATH)
    full: list[float] = []
    for _ in range(10):
        started = time.perf_counter()
        announcement = renderer.render("A012", 1, tmp_path / "full.wav")
        full.append(time.perf_counter() - started)

    ratio = median_ms(cold) / median_ms(cached)
    benchmark.extra_info.update(
        {
            "lang": lang,
            "voice": phrases.voices()[lang].voice.id,
            "cold_median_ms": round(median_ms(cold), 3),
            "cached_median_ms": round(median_ms(cached), 3),
            "ratio_cold_to_cached": round(ratio, 1),
            "full_announcement_cached_median_ms": round(median_ms(full), 3),
            "full_announcement_seconds": round(announcement.seconds, 3),
        }
    )
    show(
        capsys,
        f"{lang} phrase render ({phrases.voices()[lang].voice.id}): cold {median_ms(cold):.1f} ms, "
        f"cached {median_ms(cached):.3f} ms (median of {ROUNDS}); ratio {ratio:.0f}x; "
        f"full announcement from cache {median_ms(full):.1f} ms "
        f"for {announcement.seconds:.1f} s of sound",
    )
