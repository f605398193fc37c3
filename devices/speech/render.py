"""From a call (ticket number, counter) to one WAV file: chime, then the phrases.

The sentences come from :func:`lobby.announce.call_phrases`; this module only voices
them. Each phrase is rendered once per (voice, rate, text) and then taken from the
:class:`~devices.speech.cache.PhraseCache`; a cached phrase that cannot be read
is deleted and rendered again.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from devices.speech.audio import GAP_S, compose_wav, read_wav
from devices.speech.cache import PhraseCache
from devices.speech.errors import SpeechError
from devices.speech.synthesizer import Synthesis
from devices.speech.voices import VoiceChoice, spoken_languages
from lobby.announce import DEFAULT_TEMPLATE_EN, DEFAULT_TEMPLATE_ZH, Phrase, call_phrases
from lobby.errors import InvalidInput
from lobby.settings import Settings

log = logging.getLogger(__name__)


class SpeechSynthesizer(Protocol):
    """What rendering needs of :class:`~devices.speech.synthesizer.Synthesizer`."""

    @property
    def rate(self) -> int:
        """Speaking rate in words per minute."""
        ...

    def voices(self) -> dict[str, VoiceChoice]:
        """The voice for each language."""
        ...

    def synthesize(self, text: str, voice_id: str, path: Path) -> Synthesis:
        """Render ``text`` to the WAV file ``path``."""
        ...


@dataclass(frozen=True)
class RenderedPhrase:
    """A phrase as a WAV file.

    Attributes:
        phrase: The sentence and its language.
        voice_id: The voice that spoke it (as the worker reported, on a fresh render).
        path: The WAV file, in the cache.
        cached: True when the file came from the cache without a worker job.
    """

    phrase: Phrase
    voice_id: str
    path: Path
    cached: bool


class PhraseRenderer:
    """Renders phrases through a synthesizer, remembering them in a cache."""

    def __init__(self, synthesizer: SpeechSynthesizer, cache: PhraseCache) -> None:
        self.synthesizer = synthesizer
        self.cache = cache

    def voices(self) -> dict[str, VoiceChoice]:
        """The voice for each language."""
        return self.synthesizer.voices()

    def render(self, phrase: Phrase) -> RenderedPhrase:
        """The WAV file of ``phrase``: from the cache, else rendered now and stored.

        Raises:
            SpeechError: The worker failed; nothing is stored.
        """
        voice = self.voices()[phrase.lang].voice
        key = self.cache.key(voice.id, self.synthesizer.rate, phrase.text)
        hit = self.cache.lookup(key)
        if hit is not None:
            try:
                read_wav(hit)
            except SpeechError as exc:  # damaged on disk: render it again
                log.warning("cached phrase %s is damaged (%s); rendering it again", hit, exc)
                self.cache.discard(key)
            else:
                return RenderedPhrase(phrase, voice.id, hit, cached=True)
        temp = self.cache.temp_path()
        try:
            done = self.synthesizer.synthesize(phrase.text, voice.id, temp)
            read_wav(temp)  # a file that cannot be read must not enter the cache
            path = self.cache.commit(temp, key)
        finally:
            temp.unlink(missing_ok=True)
        return RenderedPhrase(phrase, done.voice_id, path, cached=False)


@dataclass(frozen=True)
class SpeechOptions:
    """How a call is announced.

    Attributes:
        languages: Languages in speaking order (``zh``, ``en``).
        repeat: How many times the phrases are spoken (the chime plays once).
        template_zh: Chinese sentence with ``{ticket}`` and ``{counter}``.
        template_en: English sentence.
        gap_s: Silence between the chime and each phrase.
    """

    languages: tuple[str, ...] = ("zh", "en")
    repeat: int = 1
    template_zh: str = DEFAULT_TEMPLATE_ZH
    template_en: str = DEFAULT_TEMPLATE_EN
    gap_s: float = GAP_S

    @classmethod
    def from_settings(cls, settings: Settings, **overrides: Any) -> SpeechOptions:
        """The options in ``settings``, with ``overrides`` (e.g. ``repeat=2``) applied."""
        options = cls(
            languages=tuple(settings.speech_languages),
            repeat=settings.speech_repeat,
            template_zh=settings.speech_template_zh,
            template_en=settings.speech_template_en,
        )
        return dataclasses.replace(options, **overrides)


@dataclass(frozen=True)
class Announcement:
    """A rendered call: the WAV file and what is in it."""

    number: str
    counter: int
    path: Path
    seconds: float
    chime: Path | None
    phrases: tuple[RenderedPhrase, ...]


class AnnouncementRenderer:
    """Renders whole announcements: chime, then the phrases, ``repeat`` times.

    Args:
        phrases: Renders (and caches) single phrases.
        options: Languages, templates, repeat count.
        chime: The chime WAV played first, or None for none.
    """

    def __init__(
        self,
        phrases: PhraseRenderer,
        options: SpeechOptions | None = None,
        chime: Path | None = None,
    ) -> None:
        self.phrases = phrases
        self.options = options or SpeechOptions()
        self.chime = chime

    def sentences(self, number: str, counter: int) -> list[Phrase]:
        """What is said for a call; without a Chinese voice, English takes its place.

        Raises:
            InvalidInput: A bad language or template in the options.
        """
        options = self.options
        try:
            languages = spoken_languages(options.languages, self.phrases.voices())
            return call_phrases(
                number,
                counter,
                languages=languages,
                template_zh=options.template_zh,
                template_en=options.template_en,
            )
        except (KeyError, ValueError) as exc:
            raise InvalidInput(f"cannot announce {number}: {exc}") from exc

    def render(self, number: str, counter: int, out: Path) -> Announcement:
        """Write the announcement of ``number`` at ``counter`` to the WAV file ``out``.

        Raises:
            SpeechError: The speech worker failed.
            InvalidInput: A bad language or template in the options.
            OSError: ``out`` cannot be written.
        """
        rendered = tuple(self.phrases.render(p) for p in self.sentences(number, counter))
        parts: list[Path] = [self.chime] if self.chime else []
        for _ in range(self.options.repeat):
            parts += [r.path for r in rendered]
        audio = compose_wav(parts, out, gap_s=self.options.gap_s)
        return Announcement(number, counter, out, audio.seconds, self.chime, rendered)
