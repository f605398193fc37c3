from __future__ import annotations

import pytest

from lobby.announce import call_phrases, spell_en, spell_zh


def test_digits_are_read_one_by_one() -> None:
    assert spell_zh("a012") == "A零一二"
    assert spell_en("A012") == "A 0 1 2"
    assert spell_zh("VB908") == "VB九零八"


def test_default_phrases_in_order() -> None:
    zh, en = call_phrases("A012", 3)
    assert (zh.lang, zh.text) == ("zh", "请 A零一二 号到 3 号窗口办理")
    assert (en.lang, en.text) == ("en", "Ticket A 0 1 2, please go to counter 3")


def test_languages_and_templates_from_settings() -> None:
    (only,) = call_phrases("B001", 8, languages=("en",), template_en="{ticket} to desk {counter}")
    assert only.text == "B 0 0 1 to desk 8"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"languages": ("fr",)}, "no announcement language 'fr'"),
        ({"template_zh": "请到窗口"}, "needs {ticket} and {counter}"),
    ],
)
def test_bad_settings_are_refused(options: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call_phrases("A001", 1, **options)  # type: ignore[arg-type]
