"""Speech with the real espeak-ng through pyttsx3, in a real worker process.

What a call sounds like (length, level, chime first, Chinese and English), the phrase
cache, a worker that hangs or is killed mid-phrase, the announcement queue, and
``lobby say``. Nothing here sleeps: waits are bounded (events, timeouts).
"""

from __future__ import annotations

import json
import logging
import os
import signal
import tempfile
import threading
import time
import wave
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from devices.speech import (
    CHIME_PATH,
    AnnouncementQueue,
    AnnouncementRenderer,
    PhraseCache,
    PhraseRenderer,
    SpeechError,
    SpeechOptions,
    Synthesizer,
    read_wav,
)
from devices.speech.audio import GAP_S
from lobby.announce import Phrase, call_phrases
from lobby.cli.main import main
from tests.speech_fakes import RecordingPlayer, RecordingRender, hooked_worker_command

MIN_RMS = 0.02  # espeak speech is ~0.1; silence is 0
KILL = getattr(signal, "SIGKILL", signal.SIGTERM)
FRAME = 1 / 22050


@pytest.fixture(autouse=True)
def _own_cache_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """``lobby say`` uses the user cache directory: keep it in the test's directory."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))


@pytest.fixture
def synth() -> Iterator[Synthesizer]:
    with Synthesizer() as synthesizer:
        yield synthesizer


@pytest.fixture
def cache(tmp_path: Path) -> PhraseCache:
    return PhraseCache(tmp_path / "phrases")


@pytest.fixture
def phrases(synth: Synthesizer, cache: PhraseCache) -> PhraseRenderer:
    return PhraseRenderer(synth, cache)


@pytest.fixture
def renderer(phrases: PhraseRenderer) -> AnnouncementRenderer:
    return AnnouncementRenderer(phrases, SpeechOptions(), chime=CHIME_PATH)


def hooked_synth(tmp_path: Path, timeout_s: float, **hooks: str) -> Synthesizer:
    """A synthesizer whose worker hangs or crashes on the texts in ``hooks``."""
    env = dict(os.environ, LOBBY_TEST_SPEECH_MARKER=str(tmp_path / "hanging"))
    env.update({f"LOBBY_TEST_SPEECH_{name.upper()}": text for name, text in hooks.items()})
    return Synthesizer(command=hooked_worker_command(), env=env, timeout_s=timeout_s)


def wait_for(condition: threading.Event | Path | Callable[[], bool], timeout: float = 30.0) -> None:
    """Wait, bounded, for an event to be set, a file to appear or a condition to hold."""
    if isinstance(condition, threading.Event):
        assert condition.wait(timeout), "timed out"
        return
    check = condition.exists if isinstance(condition, Path) else condition
    deadline = time.monotonic() + timeout
    tick = threading.Event()
    while not check():
        assert time.monotonic() < deadline, f"{condition} never happened"
        tick.wait(0.005)


def wav_format(path: Path) -> tuple[int, int, int]:
    with wave.open(str(path), "rb") as wav:
        return wav.getframerate(), wav.getnchannels(), wav.getsampwidth()


def no_partial_files(cache: PhraseCache) -> bool:
    return not [p for p in cache.directory.iterdir() if p.name.endswith(".part.wav")]


# -- what a call sounds like ------------------------------------------------------------


def test_call_lasts_a_plausible_time_is_not_silent_and_starts_with_the_chime(
    renderer: AnnouncementRenderer, tmp_path: Path
) -> None:
    out = tmp_path / "A012.wav"
    done = renderer.render("A012", 3, out)
    audio = read_wav(out)
    chime = read_wav(CHIME_PATH)
    assert wav_format(out) == (22050, 1, 2)
    assert 3.0 < audio.seconds < 20.0
    assert done.seconds == pytest.approx(audio.seconds)
    assert audio.rms() > MIN_RMS
    assert audio.samples[: len(chime.samples)] == chime.samples
    gap = round(GAP_S * 22050)
    assert not any(audio.samples[len(chime.samples) : len(chime.samples) + gap])


def test_chinese_and_english_are_both_present_with_the_right_voices(
    renderer: AnnouncementRenderer, tmp_path: Path
) -> None:
    done = renderer.render("A012", 3, tmp_path / "A012.wav")
    zh, en = done.phrases
    assert (zh.phrase.text, en.phrase.text) == (
        "请 A零一二 号到 3 号窗口办理",
        "Ticket A 0 1 2, please go to counter 3",
    )
    assert zh.voice_id == "sit/cmn-latn-pinyin"  # as the worker reports it used
    assert en.voice_id.startswith("gmw/en")
    parts = [read_wav(CHIME_PATH), read_wav(zh.path), read_wav(en.path)]
    for rendered in (zh, en):
        assert wav_format(rendered.path) == (22050, 1, 2)  # espeak's own format: no resampling
    for part in parts[1:]:
        assert part.seconds > 1.0
        assert part.rms() > MIN_RMS
    assert parts[1].samples != parts[2].samples
    full = read_wav(done.path)
    expected = sum(p.seconds for p in parts) + 2 * GAP_S
    assert full.seconds == pytest.approx(expected, abs=3 * FRAME)
    # each phrase sits whole at its place in the announcement
    offset = 0
    for part in parts:
        assert full.samples[offset : offset + len(part.samples)] == part.samples
        offset += len(part.samples) + round(GAP_S * 22050)


def test_repeat_speaks_the_phrases_again_without_rendering_them_again(
    phrases: PhraseRenderer, synth: Synthesizer, tmp_path: Path
) -> None:
    once = AnnouncementRenderer(phrases, SpeechOptions(), CHIME_PATH).render(
        "B007", 5, tmp_path / "once.wav"
    )
    twice = AnnouncementRenderer(phrases, SpeechOptions(repeat=2), CHIME_PATH).render(
        "B007", 5, tmp_path / "twice.wav"
    )
    speech = sum(read_wav(r.path).seconds for r in once.phrases)
    assert twice.seconds == pytest.approx(once.seconds + speech + 2 * GAP_S, abs=3 * FRAME)
    assert synth.jobs == 2


def test_english_only_announcement(phrases: PhraseRenderer, tmp_path: Path) -> None:
    options = SpeechOptions(languages=("en",))
    done = AnnouncementRenderer(phrases, options, CHIME_PATH).render("C120", 8, tmp_path / "x.wav")
    assert [r.phrase.lang for r in done.phrases] == ["en"]


# -- the phrase cache -------------------------------------------------------------------


def test_a_cached_phrase_does_not_reach_the_worker(
    phrases: PhraseRenderer, synth: Synthesizer, cache: PhraseCache
) -> None:
    (zh,) = call_phrases("A012", 3, languages=("zh",))
    first = phrases.render(zh)
    assert (first.cached, synth.jobs) == (False, 1)
    second = phrases.render(zh)
    assert (second.cached, second.path, synth.jobs) == (True, first.path, 1)
    # another process (a fresh synthesizer) finds it too, for the same voice and rate
    with Synthesizer() as other:
        third = PhraseRenderer(other, cache).render(zh)
        assert (third.cached, third.path, other.jobs) == (True, first.path, 0)
    # a different rate is a different sound: rendered again
    with Synthesizer(rate=190) as faster:
        assert PhraseRenderer(faster, cache).render(zh).cached is False


def test_a_damaged_cached_phrase_is_deleted_and_rendered_again(
    phrases: PhraseRenderer, synth: Synthesizer, caplog: pytest.LogCaptureFixture
) -> None:
    (zh,) = call_phrases("A012", 3, languages=("zh",))
    first = phrases.render(zh)
    first.path.write_bytes(first.path.read_bytes()[:30])  # cut inside the WAV header
    with caplog.at_level(logging.WARNING):
        again = phrases.render(zh)
    assert (again.cached, again.path, synth.jobs) == (False, first.path, 2)
    assert read_wav(again.path).rms() > MIN_RMS
    assert "is damaged" in caplog.text
    assert phrases.render(zh).cached is True  # repaired: a hit again


def test_an_unwritable_cache_falls_back_to_the_temporary_directory(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    not_a_directory = tmp_path / "cache-is-a-file"
    not_a_directory.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(not_a_directory))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    out = tmp_path / "call.wav"
    with caplog.at_level(logging.WARNING):
        assert main(["say", "A012", "--counter", "3", "--out", str(out)]) == 0
    assert capsys.readouterr().err == ""
    assert read_wav(out).rms() > MIN_RMS
    assert "cannot be written; using" in caplog.text
    (fallback,) = (tmp_path / "tmp").iterdir()
    assert fallback.name.startswith("lobby-speech-")
    assert any(p.suffix == ".wav" for p in fallback.iterdir())


# -- a worker that hangs or dies --------------------------------------------------------


def test_a_hung_worker_fails_the_job_within_its_timeout_and_is_restarted(
    tmp_path: Path, cache: PhraseCache
) -> None:
    with hooked_synth(tmp_path, timeout_s=1.0, hang="HANG") as synth:
        phrases = PhraseRenderer(synth, cache)
        phrases.render(Phrase("en", "before the hang"))
        first_pid = synth.pid
        started = time.monotonic()
        with pytest.raises(SpeechError, match="did not answer within 1 s") as caught:
            phrases.render(Phrase("en", "HANG here"))
        assert 1.0 <= time.monotonic() - started < 10.0
        assert "语音" in str(caught.value)
        assert synth.pid not in (None, first_pid)  # a fresh worker is already running
        assert no_partial_files(cache)
        after = phrases.render(Phrase("en", "after the hang"))
        assert read_wav(after.path).rms() > MIN_RMS
        assert synth.starts == 2


def test_a_worker_killed_mid_phrase_gives_a_clear_error_and_the_next_job_works(
    tmp_path: Path, cache: PhraseCache
) -> None:
    marker = tmp_path / "hanging"
    with hooked_synth(tmp_path, timeout_s=60.0, hang="HANG") as synth:
        phrases = PhraseRenderer(synth, cache)
        phrases.voices()
        pid = synth.pid
        assert pid is not None
        outcome: list[BaseException] = []

        def job() -> None:
            try:
                phrases.render(Phrase("en", "HANG until killed"))
            except BaseException as exc:
                outcome.append(exc)

        started = time.monotonic()
        thread = threading.Thread(target=job)
        thread.start()
        wait_for(marker)  # the worker is inside the job now
        os.kill(pid, KILL)
        thread.join(timeout=30)
        assert not thread.is_alive()
        assert time.monotonic() - started < 30  # noticed at once, not at the 60 s timeout
        (error,) = outcome
        assert isinstance(error, SpeechError)
        assert "died while speaking" in str(error)
        assert "restarted" in str(error)
        assert no_partial_files(cache)
        assert synth.pid not in (None, pid)
        again = phrases.render(Phrase("en", "HANG until killed"))  # same text, new worker
        assert (again.cached, read_wav(again.path).rms() > MIN_RMS) == (False, True)


def test_a_worker_that_died_between_jobs_is_replaced_silently(
    synth: Synthesizer, phrases: PhraseRenderer
) -> None:
    phrases.render(Phrase("en", "one"))
    pid = synth.pid
    assert pid is not None
    os.kill(pid, KILL)
    wait_for(lambda: synth.pid is None)  # it is gone before the next call comes
    done = phrases.render(Phrase("en", "two"))
    assert done.cached is False
    assert synth.pid not in (None, pid)


# -- the announcement queue -------------------------------------------------------------


def test_five_quick_calls_are_played_in_order_one_at_a_time(
    renderer: AnnouncementRenderer,
) -> None:
    gate = threading.Event()
    player = RecordingPlayer(gate=gate)
    render = RecordingRender(renderer.render)
    errors: list[tuple[str, int, Exception]] = []
    calls = [("A001", 1), ("B002", 2), ("A003", 3), ("C004", 4), ("A005", 5)]
    queue = AnnouncementQueue(render, player, on_error=lambda *e: errors.append(e))
    try:
        queue.announce(*calls[0])
        wait_for(player.started)
        for call in calls[1:]:  # queued while the first is still playing: never blocks
            queue.announce(*call)
        assert player.played == []
        gate.set()
        assert queue.wait_idle(timeout=60)
    finally:
        queue.close()
    assert errors == []
    assert render.numbers(player.played) == [number for number, _ in calls]
    assert player.max_active == 1
    kinds = [kind for kind, _ in player.events]
    assert kinds == ["start", "end"] * len(calls)
    assert all(3.0 < s < 20.0 for s in player.seconds)


def test_a_call_that_cannot_be_rendered_is_reported_and_the_next_is_played(
    tmp_path: Path, cache: PhraseCache
) -> None:
    synth = hooked_synth(tmp_path, timeout_s=10.0, crash="Z 9 9 9")
    renderer = AnnouncementRenderer(PhraseRenderer(synth, cache), SpeechOptions(), CHIME_PATH)
    player = RecordingPlayer()
    render = RecordingRender(renderer.render)
    errors: list[tuple[str, int, Exception]] = []
    queue = AnnouncementQueue(render, player, on_error=lambda *e: errors.append(e), owned=[synth])
    for number in ("A001", "Z999", "A002"):
        queue.announce(number, 3)
    queue.close()
    assert render.numbers(player.played) == ["A001", "A002"]
    ((number, counter, error),) = errors
    assert (number, counter, type(error)) == ("Z999", 3, SpeechError)
    assert synth.starts == 3  # the crash, then the retry's crash, each replaced
    assert no_partial_files(cache)


def test_a_worker_killed_during_a_call_loses_no_call(tmp_path: Path, cache: PhraseCache) -> None:
    marker = tmp_path / "hanging"
    synth = hooked_synth(tmp_path, timeout_s=60.0, hang="A 0 0 2")
    renderer = AnnouncementRenderer(PhraseRenderer(synth, cache), SpeechOptions(), CHIME_PATH)
    player = RecordingPlayer()
    render = RecordingRender(renderer.render)
    errors: list[tuple[str, int, Exception]] = []
    queue = AnnouncementQueue(render, player, on_error=lambda *e: errors.append(e), owned=[synth])
    try:
        for number in ("A001", "A002", "A003"):
            queue.announce(number, 2)
        wait_for(marker)  # A002's English phrase is being rendered
        pid = synth.pid
        assert pid is not None
        os.kill(pid, KILL)
        assert queue.wait_idle(timeout=60)
    finally:
        queue.close()
    assert errors == []
    assert render.numbers(player.played) == ["A001", "A002", "A003"]
    assert player.max_active == 1


def test_close_speaks_every_call_still_queued(renderer: AnnouncementRenderer) -> None:
    player = RecordingPlayer()
    render = RecordingRender(renderer.render)
    queue = AnnouncementQueue(render, player)
    for n in range(1, 4):
        queue.announce(f"D00{n}", n)
    queue.close()
    assert render.numbers(player.played) == ["D001", "D002", "D003"]
    with pytest.raises(RuntimeError, match="closed"):
        queue.announce("D004", 4)


# -- lobby say --------------------------------------------------------------------------


def test_lobby_say_writes_the_full_announcement(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "say.wav"
    assert main(["say", "A012", "--counter", "3", "--out", str(out)]) == 0
    stdout, stderr = capsys.readouterr()
    assert (str(out) in stdout, stderr) == (True, "")
    audio = read_wav(out)
    assert 3.0 < audio.seconds < 20.0
    assert audio.rms() > MIN_RMS
    chime = read_wav(CHIME_PATH)
    assert audio.samples[: len(chime.samples)] == chime.samples
    assert "sit/cmn-latn-pinyin" in stdout


def test_lobby_say_languages_and_repeat(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "en.wav"
    argv = ["say", "a012", "--counter", "3", "--lang", "en", "--repeat", "2", "--out", str(out)]
    assert main([*argv, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [p["lang"] for p in report["phrases"]] == ["en"]
    assert report["phrases"][0]["text"] == "Ticket A 0 1 2, please go to counter 3"
    assert report["repeat"] == 2
    assert read_wav(Path(report["out"])).seconds == pytest.approx(report["seconds"], abs=0.01)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["A-1", "--counter", "3"], "'A-1' is not a ticket number"),
        (["A012", "--counter", "0"], "counter 0"),
        (["A012", "--counter", "3", "--lang", "zh,fr"], "no announcement language 'fr'"),
        (["A012", "--counter", "3", "--lang", ""], "--lang"),
        (["A012", "--counter", "3", "--repeat", "0"], "--repeat 0"),
    ],
)
def test_lobby_say_bad_input_exits_2_with_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str], message: str
) -> None:
    out = tmp_path / "bad.wav"
    assert main(["say", *argv, "--out", str(out)]) == 2
    stdout, stderr = capsys.readouterr()
    assert (stdout, stderr.count("\n")) == ("", 1)
    assert message in stderr
    assert "Traceback" not in stderr
    assert not out.exists()


def test_lobby_say_usage_mistake_exits_2_with_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with pytest.raises(SystemExit) as caught:  # argparse's own error, as for every command
        main(["say", "A012", "--counter", "three", "--out", str(tmp_path / "x.wav")])
    assert caught.value.code == 2
    stdout, stderr = capsys.readouterr()
    assert (stdout, stderr.count("\n")) == ("", 1)
    assert "invalid int value: 'three'" in stderr


@pytest.mark.parametrize("where", ["missing-dir", "a-directory"])
def test_lobby_say_unwritable_out_exits_2_with_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, where: str
) -> None:
    out = tmp_path / "no" / "such" / "dir" / "x.wav" if where == "missing-dir" else tmp_path
    assert main(["say", "A012", "--counter", "3", "--out", str(out)]) == 2
    stdout, stderr = capsys.readouterr()
    assert (stdout, stderr.count("\n")) == ("", 1)
    assert "lobby say:" in stderr
    assert "Traceback" not in stderr
    assert not (tmp_path / "xdg-cache").exists()  # refused before any speech was made
