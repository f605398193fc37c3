from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lobby.errors import InvalidInput
from lobby.ticket_code import decode, encode, looks_like_code

SECRET = "0123456789abcdef0123456789abcdef"
DAY = date(2026, 11, 23)


def test_round_trip_and_shape() -> None:
    code = encode(SECRET, "SH-0101", DAY, "A012")
    assert code.startswith("LOBBY:SH-0101:20261123:A012:")
    assert looks_like_code(code.lower())
    ref = decode(SECRET, "SH-0101", code.lower())  # scanners may send lower case
    assert (ref.day, ref.number) == (DAY, "A012")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("A012", "not a Lobby ticket code"),
        ("LOBBY:SH-0101:20261123:A012", "not a Lobby ticket code"),
        ("LOBBY:SH-0101:20261123:A013:AAAAAAAA", "forged or mistyped"),
        ("LOBBY:SH-0101:20261399:A012:AAAAAAAA", "forged or mistyped"),
    ],
)
def test_bad_codes_are_refused(text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        decode(SECRET, "SH-0101", text)


def test_another_branch_or_key_is_refused() -> None:
    code = encode(SECRET, "SH-0101", DAY, "A012")
    with pytest.raises(InvalidInput, match="another branch"):
        decode(SECRET, "BJ-0001", code)
    with pytest.raises(InvalidInput, match="forged"):
        decode("f" * 32, "SH-0101", code)


@given(position=st.integers(min_value=6, max_value=40), char=st.sampled_from("0123456789ABCZ"))
def test_any_single_character_change_is_refused(position: int, char: str) -> None:
    code = encode(SECRET, "SH-0101", DAY, "A012")
    if position >= len(code) or code[position] == char or code[position] == ":":
        return
    mistyped = code[:position] + char + code[position + 1 :]
    with pytest.raises(InvalidInput):
        decode(SECRET, "SH-0101", mistyped)
