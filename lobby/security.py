"""Staff PINs: 4 to 8 ASCII digits, stored only as slow salted Argon2 hashes."""

from __future__ import annotations

import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from lobby.errors import InvalidInput

_HASHER = PasswordHasher()
MIN_PIN_LENGTH = 4
MAX_PIN_LENGTH = 8
# ASCII only: str.isdigit() also takes Arabic-Indic and full-width digits
_PIN = re.compile(rf"[0-9]{{{MIN_PIN_LENGTH},{MAX_PIN_LENGTH}}}")


def check_pin_rules(pin: str) -> str:
    """Return ``pin`` if it is 4 to 8 ASCII digits.

    Raises:
        InvalidInput: Anything else (shorter, longer, other characters, other digits).
    """
    if not _PIN.fullmatch(pin):
        raise InvalidInput(
            f"a PIN has at least {MIN_PIN_LENGTH} digits and at most {MAX_PIN_LENGTH}, "
            "0-9 only and nothing else"
        )
    return pin


def hash_pin(pin: str) -> str:
    """Hash a PIN for storage.

    Raises:
        InvalidInput: The PIN breaks the rules of :func:`check_pin_rules`.
    """
    return _HASHER.hash(check_pin_rules(pin))


def verify_pin(stored_hash: str, pin: str) -> bool:
    """Whether ``pin`` matches ``stored_hash``."""
    try:
        return _HASHER.verify(stored_hash, pin)
    except (VerificationError, InvalidHashError):
        return False


# A hash of a random secret nobody knows, with the hasher's parameters: checking a PIN
# against it costs what checking a real one costs.
_DUMMY_HASH = (
    "$argon2id$v=19$m=65536,t=3,p=4$D+nvTBgUajI9MTLz+VE2vw"
    "$im47bi16aCVda/xy/I0SI3VjGdwrXWwlFbY4zCvjKMA"
)


def burn_pin_check(pin: str) -> None:
    """Spend the time of a real PIN check, for an unknown id or a locked account.

    An unknown staff id must cost what a wrong PIN costs, or ids can be found by timing.
    """
    verify_pin(_DUMMY_HASH, pin)
