"""What the hall display says for a call: pure text, the speech device only voices it.

Digits of a ticket number are read one by one ("A012" -> "A零一二" / "A 0 1 2"):
a whole number would be read as 零十二 or "twelve".
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_TEMPLATE_ZH = "请 {ticket} 号到 {counter} 号窗口办理"
DEFAULT_TEMPLATE_EN = "Ticket {ticket}, please go to counter {counter}"
_ZH_DIGITS = dict(zip("0123456789", "零一二三四五六七八九", strict=True))


@dataclass(frozen=True)
class Phrase:
    """One sentence in one language."""

    lang: str
    text: str


def spell_zh(number: str) -> str:
    """``A012`` -> ``A零一二``."""
    return "".join(_ZH_DIGITS.get(ch, ch) for ch in number.upper())


def spell_en(number: str) -> str:
    """``A012`` -> ``A 0 1 2``."""
    return " ".join(number.upper())


def call_phrases(
    number: str,
    counter: int,
    *,
    languages: tuple[str, ...] = ("zh", "en"),
    template_zh: str = DEFAULT_TEMPLATE_ZH,
    template_en: str = DEFAULT_TEMPLATE_EN,
) -> list[Phrase]:
    """The sentences announcing ``number`` at ``counter``, in the order to speak them.

    Raises:
        ValueError: A language other than ``zh`` or ``en``, or a template missing a
            ``{ticket}`` or ``{counter}`` field.
    """
    phrases = []
    for lang in languages:
        if lang == "zh":
            template, spelled = template_zh, spell_zh(number)
        elif lang == "en":
            template, spelled = template_en, spell_en(number)
        else:
            raise ValueError(f"no announcement language {lang!r}: use zh or en")
        if "{ticket}" not in template or "{counter}" not in template:
            raise ValueError(f"the {lang} template needs {{ticket}} and {{counter}}")
        phrases.append(Phrase(lang, template.format(ticket=spelled, counter=counter)))
    return phrases
