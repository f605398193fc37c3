"""Which installed voice speaks which announcement language: a pure choice.

Preferences, best first:

* ``zh``: espeak-ng's ``cmn-latn-pinyin`` (reads Mandarin correctly; the plain ``cmn``
  voice reads many characters as pinyin plus an English tone number); a zh-CN voice
  (Windows SAPI5 Huihui/Kangkang/Yaoyao, macOS Tingting); another Mandarin voice
  (zh-TW, then espeak's plain ``cmn``). Cantonese voices are never used for ``zh``.
  With none of these, ``zh`` falls back to the English voice and the announcement is
  spoken in English only.
* ``en``: British, then American, then any English voice; without one, the first
  voice the engine has.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from devices.speech.errors import SpeechError

LANGUAGES = ("zh", "en")
_CANTONESE = ("yue", "zh-hk", "zh-yue", "zh-mo")


@dataclass(frozen=True)
class VoiceInfo:
    """An installed voice as the speech engine lists it."""

    id: str
    name: str
    languages: tuple[str, ...] = ()

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> VoiceInfo:
        """Read a voice from the worker's JSON."""
        return cls(str(data["id"]), str(data["name"]), tuple(str(x) for x in data["languages"]))

    def to_json(self) -> dict[str, Any]:
        """The voice as JSON for the worker protocol."""
        return {"id": self.id, "name": self.name, "languages": list(self.languages)}

    def tags(self) -> set[str]:
        """Lower-case language tags with ``-`` separators, from languages and id."""
        tags = {lang.lower().replace("_", "-") for lang in self.languages}
        tags.add(self.id.lower().replace("\\", "/").rsplit("/", 1)[-1].replace("_", "-"))
        return tags


@dataclass(frozen=True)
class VoiceChoice:
    """The voice that speaks ``lang``.

    Attributes:
        lang: The announcement language asked for.
        voice: The voice chosen.
        fallback: True when no voice for ``lang`` exists and ``voice`` speaks another
            language (English) instead.
    """

    lang: str
    voice: VoiceInfo
    fallback: bool = False


def _zh_rank(voice: VoiceInfo) -> int | None:
    tags = voice.tags()
    text = f"{voice.id} {voice.name}".lower().replace("_", "-")
    if any(t.startswith(_CANTONESE) for t in tags) or "cantonese" in text:
        return None
    if "cmn-latn-pinyin" in tags:
        return 0
    if tags & {"zh-cn", "zh-hans", "zh-hans-cn", "cmn-hans-cn", "zh-sg"} or any(
        key in text for key in ("zh-cn", "zhcn", "chinese (simplified")
    ):
        return 1
    if any(t.startswith("zh") for t in tags):
        return 2
    if any(t.startswith("cmn") for t in tags) or "chinese" in text or "mandarin" in text:
        return 3  # e.g. espeak's plain cmn: Mandarin, but it misreads many characters
    return None


def _en_rank(voice: VoiceInfo) -> int | None:
    tags = voice.tags()
    if tags & {"en-gb", "en"}:
        return 0
    if "en-us" in tags:
        return 1
    if any(t.startswith("en-") for t in tags):
        return 2
    if "english" in voice.name.lower():
        return 3
    return None


def _best(voices: Sequence[VoiceInfo], rank: Callable[[VoiceInfo], int | None]) -> VoiceInfo | None:
    ranked = [(r, i) for i, v in enumerate(voices) if (r := rank(v)) is not None]
    return voices[min(ranked)[1]] if ranked else None


def choose_voices(voices: Sequence[VoiceInfo]) -> dict[str, VoiceChoice]:
    """The voice for each of :data:`LANGUAGES` among the installed ``voices``.

    Raises:
        SpeechError: The engine has no voice at all.
    """
    if not voices:
        raise SpeechError("语音引擎没有任何语音", "the speech engine has no voices")
    english = _best(voices, _en_rank)
    en = VoiceChoice("en", english) if english else VoiceChoice("en", voices[0], fallback=True)
    chinese = _best(voices, _zh_rank)
    zh = VoiceChoice("zh", chinese) if chinese else VoiceChoice("zh", en.voice, fallback=True)
    return {"zh": zh, "en": en}


def spoken_languages(
    requested: Sequence[str], choices: Mapping[str, VoiceChoice]
) -> tuple[str, ...]:
    """The languages actually spoken: ``zh`` without a Chinese voice becomes ``en``.

    Speaking Chinese text with an English voice would be noise, so the English
    sentence takes its place (once, if English is asked for as well).
    """
    spoken: list[str] = []
    for lang in requested:
        actual = "en" if lang == "zh" and choices["zh"].fallback else lang
        if actual not in spoken:
            spoken.append(actual)
    return tuple(spoken)
