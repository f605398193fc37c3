"""What each error code says, in Chinese and in English.

Every code a :class:`lobby.errors.LobbyError` is raised with has an entry here:
``tests/unit/test_error_codes.py`` walks every code the code base raises and every
entry, and fails on a code without both texts, an entry nobody raises, or texts that
ask for values the raise does not give. The apps show :func:`say` in the screen's
language; the CLI in ``LOBBY_LANG`` (``zh``, ``en``, or both, Chinese first).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from lobby.errors import LobbyError

Lang = Literal["zh", "en", "both"]

#: code -> (Chinese, English); ``{name}`` is filled from the error's parameters.
TEXTS: dict[str, tuple[str, str]] = {
    "appointment.not_found": ("没有找到预约 {appointment}", "no appointment {appointment}"),
    "printer.failed": ("打印失败（{uri}）", "Printing failed ({uri})"),
    "printer.offline": ("打印机离线（{uri}）", "Printer offline ({uri})"),
    "printer.unreachable": ("无法连接打印机（{uri}）", "Printer unreachable ({uri})"),
    "printer.cover_open": ("打印机盖未关（{uri}）", "Printer cover open ({uri})"),
    "printer.timeout": ("打印机无响应（{uri}）", "Printer not responding ({uri})"),
    "printer.paper_out": ("打印机缺纸（{uri}）", "Printer out of paper ({uri})"),
    "printer.still_valid": (
        "{ticket} 仍然有效，可补打",
        "{ticket} is still valid: reprint it",
    ),
}


def text(code: str, lang: Literal["zh", "en"], **params: object) -> str:
    """The text of ``code`` in ``lang``, filled with ``params``.

    Raises:
        KeyError: ``code`` has no entry (a defect: the coverage test forbids it).
    """
    zh, en = TEXTS[code]
    return (en if lang == "en" else zh).format(**params)


def say(error: LobbyError, lang: Lang = "both", *, follow_up: bool = True) -> str:
    """``error`` in ``lang``; both: Chinese, then `` / ``, then English.

    An error raised without a code says its message, whatever the language. Without
    ``follow_up``, a second sentence the error carries (a screen that already says
    it) is left out.
    """
    if not error.code:
        return str(error)
    if lang == "both":
        return f"{say(error, 'zh', follow_up=follow_up)} / {say(error, 'en', follow_up=follow_up)}"
    said = text(error.code, lang, **error.params)
    detail = getattr(error, "follow_up", None) if follow_up else None
    if detail is not None:  # a second sentence with its own code (e.g. "still valid")
        code, params = detail
        said += ("; " if lang == "en" else "；") + text(code, lang, **params)
    return said
