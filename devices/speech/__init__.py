"""Speech for the hall: a call becomes chime + Chinese + English in one WAV, then sound.

Importing this package does not load pyttsx3: only the worker process
(:mod:`devices.speech.worker`) does.
"""

from devices.speech.announcer import AnnouncementQueue, Announcer
from devices.speech.audio import compose_wav, read_wav
from devices.speech.cache import PhraseCache, default_cache_dir
from devices.speech.chime import CHIME_PATH, write_chime
from devices.speech.errors import SpeechError
from devices.speech.factory import open_announcer, open_renderer
from devices.speech.player import CommandPlayer, Player, SilentPlayer, system_player
from devices.speech.render import (
    Announcement,
    AnnouncementRenderer,
    PhraseRenderer,
    RenderedPhrase,
    SpeechOptions,
)
from devices.speech.synthesizer import Synthesizer
from devices.speech.voices import VoiceChoice, VoiceInfo, choose_voices

__all__ = [
    "CHIME_PATH",
    "Announcement",
    "AnnouncementQueue",
    "AnnouncementRenderer",
    "Announcer",
    "CommandPlayer",
    "PhraseCache",
    "PhraseRenderer",
    "Player",
    "RenderedPhrase",
    "SilentPlayer",
    "SpeechError",
    "SpeechOptions",
    "Synthesizer",
    "VoiceChoice",
    "VoiceInfo",
    "choose_voices",
    "compose_wav",
    "default_cache_dir",
    "open_announcer",
    "open_renderer",
    "read_wav",
    "system_player",
    "write_chime",
]
