"""Staff PINs, stored only as slow salted Argon2 hashes."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from lobby.errors import InvalidInput

_HASHER = PasswordHasher()
MIN_PIN_LENGTH = 4


def hash_pin(pin: str) -> str:
    """Hash a PIN for storage.

    Raises:
        InvalidInput: The PIN is shorter than four digits or not all digits.
    """
    if not pin.isdigit() or len(pin) < MIN_PIN_LENGTH:
        raise InvalidInput(f"a PIN has at least {MIN_PIN_LENGTH} digits and nothing else")
    return _HASHER.hash(pin)


def verify_pin(stored_hash: str, pin: str) -> bool:
    """Whether ``pin`` matches ``stored_hash``."""
    try:
        return _HASHER.verify(stored_hash, pin)
    except (VerificationError, InvalidHashError):
        return False
