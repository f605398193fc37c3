"""The printed QR as a link to the phone page, and the scanner reading the code back."""

from __future__ import annotations

from datetime import date

import pytest

from lobby.errors import InvalidInput
from lobby.ticket_code import code_from_scan, decode, encode, looks_like_code, ticket_link

SECRET = "s3cret"
DAY = date(2026, 11, 23)


def test_without_a_base_url_the_qr_stays_the_bare_code() -> None:
    code = encode(SECRET, "SH-0101", DAY, "A012")
    assert ticket_link(None, code) == code
    assert ticket_link("", code) == code


@pytest.mark.parametrize(
    "base", ["http://192.0.2.10:8080", "http://192.0.2.10:8080/", "https://lobby.example/q"]
)
def test_the_link_holds_the_code_and_the_scanner_takes_it_back(base: str) -> None:
    code = encode(SECRET, "SH-0101", DAY, "A012")
    link = ticket_link(base, code)
    assert link == f"{base.rstrip('/')}/t/{code}"
    assert looks_like_code(link)
    assert code_from_scan(link) == code
    # a scanner typing like a keyboard may shout, or leave the browser's language choice on
    assert decode(SECRET, "SH-0101", link.upper()).number == "A012"
    assert decode(SECRET, "SH-0101", link + "?lang=en").number == "A012"


def test_a_typed_number_is_not_a_code() -> None:
    assert not looks_like_code("A012")
    assert code_from_scan(" a012 ") == "A012"


def test_a_link_to_a_forged_code_is_refused() -> None:
    code = encode(SECRET, "SH-0101", DAY, "A012")
    forged = ticket_link("http://192.0.2.10:8080", code.replace("A012", "A013"))
    with pytest.raises(InvalidInput, match="does not check out"):
        decode(SECRET, "SH-0101", forged)
