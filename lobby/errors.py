"""Errors the user can act on, kept apart from bugs.

Every :class:`LobbyError` carries a message that can be shown as it is; anything
else escaping the core is a defect.
"""


def first_line(exc: BaseException | None) -> str:
    """The first line of a driver's message, fit for a one-line error."""
    return str(exc).strip().splitlines()[0] if exc and str(exc).strip() else "unknown error"


class LobbyError(Exception):
    """A known failure with a message fit for the person at the screen.

    Raised with a stable ``code`` (``printer.unreachable``, ``appointment.not_found``)
    and the values its text needs, the error is said in each language from
    :data:`lobby.error_texts.TEXTS` (:func:`lobby.error_texts.say`); ``str()`` is the
    Chinese and English text, Chinese first. Raised with a message only, it has no
    code and the message is all there is (English: older call sites).

    Attributes:
        code: The stable code, or ``""``.
        params: The values the code's texts are filled with.
    """

    exit_code = 2

    def __init__(self, message: str | None = "", *, code: str = "", **params: object) -> None:
        self.code = code
        self.params = params
        if code and not message:
            from lobby.error_texts import say

            message = say(self, "both")
        super().__init__(message or "")


class InvalidInput(LobbyError):
    """The request itself is wrong: unknown service, malformed phone, bad value."""


class NotFound(LobbyError):
    """A ticket, counter, staff member or record that the request names does not exist."""


class InvalidTransition(LobbyError):
    """A ticket cannot make the requested move from its current state."""


class CounterBusy(LobbyError):
    """The counter already holds an open (called or serving) ticket."""


class CounterOccupied(LobbyError):
    """Another teller is signed in at the counter (a manager's PIN can take it over)."""


class CounterLost(LobbyError):
    """This console no longer holds its counter (signed out, taken over, or it lapsed)."""


class NothingToCall(LobbyError):
    """No ticket is waiting that this counter may serve."""

    exit_code = 3


class AuthenticationFailed(LobbyError):
    """Wrong staff id or PIN, or the account is locked."""


class PinChangeRequired(AuthenticationFailed):
    """The PIN was right but someone else set it: the member chooses a new one first.

    Attributes:
        staff: Whose PIN it is (the apps offer their PIN-change screen for them).
    """

    def __init__(self, message: str, staff: str) -> None:
        super().__init__(message)
        self.staff = staff


class ConfigError(LobbyError):
    """A branch configuration or settings file cannot be used."""


class DatabaseUnavailable(LobbyError):
    """The database cannot be reached or is not initialised."""

    exit_code = 4


class PermissionDenied(LobbyError):
    """The signed-in staff member's role may not do this (e.g. a teller opening manager work).

    Exit code 2 like every refused request: nothing was written.
    """
