"""Building the speech device from settings: for an app's ``bootstrap()`` and the CLI."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from devices.speech.announcer import AnnouncementQueue, ErrorCallback, _log_error
from devices.speech.cache import PhraseCache
from devices.speech.chime import chime_file
from devices.speech.player import Player, system_player
from devices.speech.render import AnnouncementRenderer, PhraseRenderer, SpeechOptions
from devices.speech.synthesizer import Synthesizer
from lobby.settings import Settings


def open_renderer(
    settings: Settings,
    *,
    cache_dir: Path | None = None,
    synthesizer: Synthesizer | None = None,
    **overrides: Any,
) -> tuple[AnnouncementRenderer, Synthesizer]:
    """An announcement renderer configured by ``settings``; close the synthesizer after.

    Args:
        settings: Languages, repeat count and templates.
        cache_dir: The phrase cache; default the user cache directory.
        synthesizer: The synthesizer to use; default a new one.
        **overrides: :class:`SpeechOptions` fields that replace the settings'.
    """
    cache = PhraseCache(cache_dir)
    synth = synthesizer or Synthesizer()
    renderer = AnnouncementRenderer(
        PhraseRenderer(synth, cache),
        SpeechOptions.from_settings(settings, **overrides),
        chime=chime_file(cache.directory),
    )
    return renderer, synth


def open_announcer(
    settings: Settings,
    *,
    player: Player | None = None,
    cache_dir: Path | None = None,
    on_error: ErrorCallback = _log_error,
) -> AnnouncementQueue:
    """The hall's announcer: renders with a speech worker, plays on ``player``.

    Args:
        settings: Languages, repeat count and templates.
        player: Default :func:`~devices.speech.player.system_player`.
        cache_dir: The phrase cache; default the user cache directory.
        on_error: Told about calls that could not be spoken (on the speaking thread).
    """
    renderer, synth = open_renderer(settings, cache_dir=cache_dir)
    return AnnouncementQueue(
        renderer.render, player or system_player(), on_error=on_error, owned=[synth]
    )
