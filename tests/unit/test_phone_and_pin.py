from __future__ import annotations

import pytest

from lobby.errors import InvalidInput
from lobby.phone import mask_phone, normalize_phone
from lobby.security import hash_pin, verify_pin


@pytest.mark.parametrize(
    "raw",
    [
        "13812345678",
        "138 1234 5678",
        "138-1234-5678",
        " 138 1234 5678 ",
        "+86 138-1234-5678",
        "+8613812345678",
        "(+86) 138 1234 5678",
        "0086 138 1234 5678",
    ],
)
def test_mainland_mobile_spellings_normalize_and_mask_alike(raw: str) -> None:
    e164 = normalize_phone(raw)
    assert e164 == "+8613812345678"
    assert mask_phone(e164) == "138****5678"


def test_foreign_number_keeps_its_country_code_when_masked() -> None:
    e164 = normalize_phone("+1 650 253 0000")
    assert e164 == "+16502530000"
    assert mask_phone(e164) == "+1 650***0000"


def test_masked_number_hides_the_middle_digits() -> None:
    masked = mask_phone("+8613812345678")
    assert "1234" not in masked
    assert len(masked) == 11


@pytest.mark.parametrize("raw", ["123", "abc", "", "+86 000", "138 1234 567", "   "])
def test_malformed_numbers_are_refused_with_the_input_in_the_message(raw: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        normalize_phone(raw)
    assert repr(raw) in str(caught.value)


def test_pin_round_trip() -> None:
    stored = hash_pin("2468")
    assert "2468" not in stored
    assert verify_pin(stored, "2468")
    assert not verify_pin(stored, "2469")
    assert not verify_pin(stored, "")


def test_hashes_of_one_pin_are_salted() -> None:
    first, second = hash_pin("1111"), hash_pin("1111")
    assert first != second
    assert verify_pin(first, "1111")
    assert verify_pin(second, "1111")


@pytest.mark.parametrize("pin", ["12", "abcd", "12 34", "", "123"])
def test_bad_pins_are_refused(pin: str) -> None:
    with pytest.raises(InvalidInput, match="at least 4 digits"):
        hash_pin(pin)


@pytest.mark.parametrize(
    "stored",
    [
        "",
        "garbage",
        "$2b$12$abcdefghijklmnopqrstuuKXyJ3bNmBvXzm4rB0cIWFDt7J2Ce1Z6",
        "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$bad",
        "$argon2x$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo",
    ],
)
def test_garbage_stored_hash_does_not_verify(stored: str) -> None:
    assert verify_pin(stored, "1234") is False


def test_truncated_stored_hash_does_not_verify() -> None:
    assert verify_pin(hash_pin("1234")[:-6], "1234") is False
