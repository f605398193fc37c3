"""Customer phone numbers: validated with libphonenumber, shown masked."""

from __future__ import annotations

from lobby.errors import InvalidInput

DEFAULT_REGION = "CN"


def normalize_phone(raw: str, region: str = DEFAULT_REGION) -> str:
    """Return ``raw`` in E.164 form (``+8613812345678``) or refuse it.

    Raises:
        InvalidInput: The text is not a valid phone number for ``region``.
    """
    import phonenumbers  # on first use: most commands never read a phone number

    text = raw.strip()
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidInput(f"not a phone number: {raw!r}") from exc
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidInput(f"not a valid phone number: {raw!r}")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def mask_phone(e164: str, region: str = DEFAULT_REGION) -> str:
    """Hide the middle of a stored number: ``+8613812345678`` -> ``138****5678``.

    Numbers of the branch's own region are shown without the country code.
    """
    import phonenumbers

    parsed = phonenumbers.parse(e164, region)
    national = str(parsed.national_number)
    own = phonenumbers.region_code_for_number(parsed) == region
    prefix = "" if own else f"+{parsed.country_code} "
    if len(national) <= 4:
        return prefix + "*" * len(national)
    keep_head = 3 if len(national) >= 10 else 1
    hidden = len(national) - keep_head - 4
    return prefix + national[:keep_head] + "*" * hidden + national[-4:]
