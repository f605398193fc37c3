"""The one error the speech device raises: a known failure the hall can live with."""

from __future__ import annotations

from lobby.errors import LobbyError


class SpeechError(LobbyError):
    """Speech could not be produced: worker hung or died, no voice, bad audio file.

    The message is bilingual and fit for a screen or a log. Exit code 5 on the command
    line: the request was fine, a device failed.
    """

    exit_code = 5

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"语音播报失败：{zh} / speech failed: {en}")
        self.zh = zh
        self.en = en
