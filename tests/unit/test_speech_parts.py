"""The speech device's pure parts, without espeak: voices, WAV files, chime, cache, queue."""

from __future__ import annotations

import logging
import subprocess
import sys
import threading
import wave
from array import array
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
    compose_wav,
    read_wav,
    write_chime,
)
from devices.speech import player as player_module
from devices.speech.audio import Audio, resample
from devices.speech.voices import VoiceInfo, choose_voices, spoken_languages
from lobby.errors import InvalidInput
from lobby.settings import Settings
from tests.speech_fakes import ESPEAK_VOICES, FakeSynthesizer, RecordingPlayer, RecordingRender

SAPI5_VOICES = [
    VoiceInfo(
        r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Speech\Voices\Tokens\TTS_MS_EN-US_ZIRA_11.0",
        "Microsoft Zira Desktop - English (United States)",
        ("en-US",),
    ),
    VoiceInfo(
        r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Speech\Voices\Tokens\TTS_MS_ZH-CN_HUIHUI_11.0",
        "Microsoft Huihui Desktop - Chinese (Simplified)",
        ("zh-CN",),
    ),
    VoiceInfo(
        r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Speech\Voices\Tokens\TTS_MS_ZH-HK_TRACY_11.0",
        "Microsoft Tracy Desktop - Chinese (Traditional, Hong Kong SAR)",
        ("zh-HK",),
    ),
]


def write_tone(path: Path, rate: int, channels: int, width: int, seconds: float) -> None:
    frames = round(rate * seconds)
    if width == 1:
        data = bytes([128 + 40, 128 - 40] * (frames * channels // 2 + 1))[: frames * channels]
    else:
        data = array("h", [8000, -8000] * (frames * channels // 2 + 1))[
            : frames * channels
        ].tobytes()
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(channels)
        wav.setsampwidth(width)
        wav.setframerate(rate)
        wav.writeframes(data)


# -- voices -----------------------------------------------------------------------------


def test_espeak_mandarin_uses_the_pinyin_voice_not_plain_cmn() -> None:
    choices = choose_voices(ESPEAK_VOICES)
    assert (choices["zh"].voice.id, choices["zh"].fallback) == ("sit/cmn-latn-pinyin", False)
    assert choices["en"].voice.id == "gmw/en"


def test_windows_prefers_a_zh_cn_sapi5_voice_and_never_cantonese() -> None:
    choices = choose_voices(SAPI5_VOICES)
    assert "HUIHUI" in choices["zh"].voice.id
    assert "ZIRA" in choices["en"].voice.id
    cantonese_only = [SAPI5_VOICES[0], SAPI5_VOICES[2]]
    assert choose_voices(cantonese_only)["zh"].fallback is True


def test_plain_cmn_is_the_last_mandarin_choice() -> None:
    voices = [v for v in ESPEAK_VOICES if v.id != "sit/cmn-latn-pinyin"]
    assert choose_voices(voices)["zh"].voice.id == "sit/cmn"


def test_without_a_chinese_voice_the_call_is_spoken_in_english_only() -> None:
    english_only = [v for v in ESPEAK_VOICES if v.id.startswith("gmw/")]
    choices = choose_voices(english_only)
    assert (choices["zh"].fallback, choices["zh"].voice.id) == (True, "gmw/en")
    assert spoken_languages(("zh", "en"), choices) == ("en",)
    assert spoken_languages(("zh",), choices) == ("en",)
    assert spoken_languages(("zh", "en"), choose_voices(ESPEAK_VOICES)) == ("zh", "en")
    renderer = AnnouncementRenderer(
        PhraseRenderer(FakeSynthesizer(english_only), PhraseCache(Path(".unused")))
    )
    assert [p.lang for p in renderer.sentences("A012", 3)] == ["en"]


def test_an_engine_without_voices_is_a_speech_error() -> None:
    with pytest.raises(SpeechError, match="no voices"):
        choose_voices([])


# -- WAV files --------------------------------------------------------------------------


def test_compose_converts_every_part_to_22050_mono_16_bit(tmp_path: Path) -> None:
    write_tone(tmp_path / "a.wav", 8000, 2, 1, 0.5)  # 8 kHz stereo 8-bit
    write_tone(tmp_path / "b.wav", 44100, 1, 2, 0.25)
    write_tone(tmp_path / "c.wav", 22050, 1, 2, 1.0)
    out = tmp_path / "out.wav"
    audio = compose_wav([tmp_path / n for n in ("a.wav", "b.wav", "c.wav")], out, gap_s=0.1)
    with wave.open(str(out), "rb") as wav:
        assert (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) == (22050, 1, 2)
        assert wav.getnframes() == len(audio.samples)
    assert audio.seconds == pytest.approx(0.5 + 0.25 + 1.0 + 2 * 0.1, abs=0.001)
    assert read_wav(out).rms() > 0.15
    assert not list(tmp_path.glob(".*.part"))


def test_resample_keeps_length_and_level() -> None:
    tone = Audio(8000, array("h", [10000, -10000] * 4000))
    up = resample(tone, 22050)
    assert up.seconds == pytest.approx(tone.seconds, abs=0.001)
    assert max(up.samples) == 10000
    assert min(up.samples) == -10000


def test_a_part_that_is_not_a_wav_is_a_speech_error(tmp_path: Path) -> None:
    (tmp_path / "bad.wav").write_bytes(b"RIFF")
    with pytest.raises(SpeechError, match="cannot read audio file"):
        compose_wav([tmp_path / "bad.wav"], tmp_path / "out.wav")
    assert not (tmp_path / "out.wav").exists()


# -- the chime --------------------------------------------------------------------------


def test_the_committed_chime_is_what_our_script_makes(tmp_path: Path) -> None:
    made = read_wav(write_chime(tmp_path / "chime.wav"))
    shipped = read_wav(CHIME_PATH)
    with wave.open(str(CHIME_PATH), "rb") as wav:
        assert (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) == (22050, 1, 2)
    assert shipped.seconds == pytest.approx(0.8)
    assert len(made.samples) == len(shipped.samples)
    assert max(abs(a - b) for a, b in zip(made.samples, shipped.samples, strict=True)) <= 1
    assert 0.05 < shipped.rms() < 0.3
    assert max(abs(s) for s in shipped.samples) < 0.5 * 32768
    assert abs(shipped.samples[-1]) < 50  # fades out: no click


def test_chime_script_entry_point(tmp_path: Path) -> None:
    out = tmp_path / "c.wav"
    subprocess.run([sys.executable, "-m", "devices.speech.chime", str(out)], check=True)
    assert read_wav(out).seconds == pytest.approx(0.8)


# -- the phrase cache -------------------------------------------------------------------


def test_cache_key_covers_voice_rate_and_text() -> None:
    key = PhraseCache.key("sit/cmn-latn-pinyin", 160, "请 A零一二 号到 3 号窗口办理")
    assert key == PhraseCache.key("sit/cmn-latn-pinyin", 160, "请 A零一二 号到 3 号窗口办理")
    assert key != PhraseCache.key("sit/cmn", 160, "请 A零一二 号到 3 号窗口办理")
    assert key != PhraseCache.key("sit/cmn-latn-pinyin", 175, "请 A零一二 号到 3 号窗口办理")
    assert key != PhraseCache.key("sit/cmn-latn-pinyin", 160, "请 A零一三 号到 3 号窗口办理")


def test_cache_keeps_the_most_recently_used_phrases(tmp_path: Path) -> None:
    cache = PhraseCache(tmp_path / "cache", max_entries=3)
    synth = FakeSynthesizer()
    phrases = PhraseRenderer(synth, cache)
    renderer = AnnouncementRenderer(phrases, SpeechOptions(languages=("en",)))
    for counter in (1, 2, 3):
        renderer.render("A001", counter, tmp_path / "out.wav")
    renderer.render("A001", 1, tmp_path / "out.wav")  # a hit: now the most recent
    renderer.render("A001", 4, tmp_path / "out.wav")  # evicts counter 2, the oldest
    assert len(synth.texts) == 4
    assert len(list(cache.directory.iterdir())) == 3
    renderer.render("A001", 1, tmp_path / "out.wav")
    renderer.render("A001", 2, tmp_path / "out.wav")
    assert [t for _, t in synth.texts][-1] == "Ticket A 0 0 1, please go to counter 2"
    assert len(synth.texts) == 5


def test_options_come_from_settings() -> None:
    settings = Settings(speech_languages=("en", "zh"), speech_repeat=3)
    options = SpeechOptions.from_settings(settings, repeat=2)
    assert (options.languages, options.repeat) == (("en", "zh"), 2)


def test_a_bad_template_is_invalid_input(tmp_path: Path) -> None:
    options = SpeechOptions(template_en="please go")
    renderer = AnnouncementRenderer(
        PhraseRenderer(FakeSynthesizer(), PhraseCache(tmp_path)), options
    )
    with pytest.raises(InvalidInput, match="needs {ticket} and {counter}"):
        renderer.render("A001", 1, tmp_path / "x.wav")


# -- the queue, with a fake renderer ----------------------------------------------------


def test_queue_retries_a_speech_error_once_then_reports_it(tmp_path: Path) -> None:
    failures = {"A001": 1, "B002": 2}  # A001 fails once, B002 twice
    attempts: list[str] = []

    def render(number: str, counter: int, out: Path) -> None:
        attempts.append(number)
        if failures.get(number, 0) > 0:
            failures[number] -= 1
            raise SpeechError("坏了", "broken")
        write_tone(out, 22050, 1, 2, 0.01)

    player = RecordingPlayer()
    recorded = RecordingRender(render)
    errors: list[tuple[str, int, Exception]] = []
    queue = AnnouncementQueue(recorded, player, on_error=lambda *e: errors.append(e))
    for number in ("A001", "B002", "C003"):
        queue.announce(number, 1)
    queue.close()
    assert attempts == ["A001", "A001", "B002", "B002", "C003"]
    assert recorded.numbers(player.played) == ["A001", "C003"]
    assert [(n, c, str(e)) for n, c, e in errors] == [
        ("B002", 1, "语音播报失败：坏了 / speech failed: broken")
    ]


def test_queue_survives_a_bug_in_render_and_in_on_error(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    def render(number: str, counter: int, out: Path) -> None:
        if number == "BUG1":
            raise ZeroDivisionError("a bug")
        write_tone(out, 22050, 1, 2, 0.01)

    def on_error(number: str, counter: int, exc: Exception) -> None:
        raise RuntimeError("the error handler is broken too")

    player = RecordingPlayer()
    queue = AnnouncementQueue(render, player, on_error=on_error)
    for number in ("BUG1", "OK2"):
        queue.announce(number, 1)
    assert queue.wait_idle(timeout=30)
    queue.close()
    assert len(player.played) == 1
    assert "on_error failed for the call of BUG1" in caplog.text


def test_announce_does_not_wait_for_a_slow_player(tmp_path: Path) -> None:
    gate = threading.Event()
    player = RecordingPlayer(gate=gate)

    def render(number: str, counter: int, out: Path) -> None:
        write_tone(out, 22050, 1, 2, 0.01)

    queue = AnnouncementQueue(render, player)
    queue.announce("A001", 1)
    assert player.started.wait(30)
    for n in range(2, 50):
        queue.announce(f"A{n:03d}", 1)  # returns although the player is stuck
    assert not queue.wait_idle(timeout=0)
    gate.set()
    queue.close()
    assert len(player.played) == 49
    assert player.max_active == 1


# -- players and imports ----------------------------------------------------------------


def test_without_audio_output_the_player_is_silent_and_says_so(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    monkeypatch.setattr(player_module.sys, "platform", "linux")
    monkeypatch.setattr(player_module.shutil, "which", lambda name: None)
    monkeypatch.setattr(player_module, "_alsa_cards", lambda: False)
    with caplog.at_level(logging.WARNING):
        chosen = player_module.system_player()
    assert isinstance(chosen, player_module.SilentPlayer)
    assert "announcements are not played" in caplog.text
    chosen.play(CHIME_PATH)


def test_command_player_failure_is_a_speech_error(tmp_path: Path) -> None:
    failing = player_module.CommandPlayer([sys.executable, "-c", "import sys; sys.exit(3)"])
    with pytest.raises(SpeechError, match="exited 3"):
        failing.play(CHIME_PATH)
    player_module.CommandPlayer([sys.executable, "-c", "pass"]).play(CHIME_PATH)


def test_the_speech_package_does_not_load_pyttsx3() -> None:
    probe = "import sys, devices.speech, devices.cli.speaking; print('pyttsx3' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
