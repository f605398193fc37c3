"""Every ``lobby`` subcommand: where it is defined and its line in ``lobby --help``.

The command line imports a command's module only when that command runs, so that
``lobby --version`` or ``lobby --help`` loads neither the storage layer nor Qt, and
``lobby board`` loads only what the board needs. Each module named here has
``register(add)``, which adds its commands' arguments and handlers.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Command:
    """Where one subcommand comes from.

    Attributes:
        help: Its line in ``lobby --help``, the same text its ``register`` gives.
        module: The core module that registers it, or ``None`` for an extra's command.
        extra: The extra whose package brings it (through the ``lobby.commands``
            entry points), or ``None`` for a core command.
    """

    help: str
    module: str | None = None
    extra: str | None = None


def core(module: str, help_text: str) -> Command:
    """A command that ``lobby.cli.<module>`` registers."""
    return Command(help_text, module=f"lobby.cli.{module}")


def extra(name: str, help_text: str) -> Command:
    """A command that the package of extra ``name`` registers."""
    return Command(help_text, extra=name)


#: In the order ``lobby --help`` lists them.
COMMANDS: dict[str, Command] = {
    "init": core("admin", "create or upgrade the database and load the branch config"),
    "board": core("board", "show current calls and waiting per service"),
    "events": core("admin", "print journal events"),
    "report": core("admin", "key figures for a period"),
    "close-day": core("admin", "close the business day: expire, purge, back up"),
    "counter": core("admin", "open, pause or close a counter"),
    "appointment": core("admin", "book an appointment"),
    "complaint": core("admin", "file a complaint"),
    "demo": core("admin", "run the branch demo on an embedded SQLite database"),
    "sign-in": core("access", "sign in for the next commands (until it expires)"),
    "sign-out": core("access", "end the session made by sign-in"),
    "change-pin": core("access", "choose a new PIN"),
    "device-enrol": core("access", "enrol this machine as a kiosk, rating pad or display"),
    "device-withdraw": core("access", "stop an enrolled device's key from working"),
    "complaints": core("manage", "list complaints (manager)"),
    "complaint-show": core("manage", "show one complaint with its notes (manager)"),
    "complaint-update": core("manage", "assign, move along or annotate a complaint"),
    "config": core("manage", "branch configuration (manager)"),
    "staff": core("manage", "staff accounts (manager)"),
    "audit": core("manage", "the journal filtered by actor, ticket, counter, kind, time (manager)"),
    "backup": core("lifecycle", "copy the database while the apps keep working"),
    "restore": core("lifecycle", "put a backup back (the current database is kept aside)"),
    "purge": core("lifecycle", "erase personal data whose retention time is up"),
    "person": core("lifecycle", "export or erase everything held about one phone number"),
    "doctor": core("lifecycle", "check this machine's branch, one line per check"),
    "issue": core("queue", "issue a ticket"),
    "checkin": core("queue", "check in an appointment"),
    "call": core("queue", "call the next ticket"),
    "recall": core("queue", "recall the counter's open ticket"),
    "start": core("queue", "start the counter's open ticket"),
    "no-show": core("queue", "no-show the counter's open ticket"),
    "finish": core("queue", "finish the counter's open ticket"),
    "park": core("queue", "park the open ticket"),
    "resume": core("queue", "call a parked ticket back"),
    "transfer": core("queue", "transfer the open ticket to a service or counter"),
    "cancel": core("queue", "cancel a ticket"),
    "confirm": core("queue", "confirm a visit's triage details"),
    "show": core("queue", "show a ticket's visit and chain"),
    "rate": core("queue", "record a satisfaction rating (1-5)"),
    "print": extra("printer", "reprint a ticket, print a test page or show printer status"),
    "say": extra("speech", "write a call's announcement (chime, Chinese, English) to a WAV file"),
    "teller": extra("apps", "start the teller console"),
    "rating-pad": extra("apps", "start the customer's rating pad at a counter"),
    "display": extra("apps", "start the hall display"),
    "greeter": extra("apps", "start the greeter's tablet app"),
    "manager": extra("apps", "start the branch manager's app"),
    "shots": extra("apps", "render an app's screens to PNG"),
    "simulate": core("simulation", "Simulate a branch day from a scenario file."),
    "advise": core("simulation", "Advise the fewest counters per hour for a service level."),
    "web": core("web", "serve the phones' ticket pages and the web hall display"),
}


def chosen(argv: list[str]) -> str | None:
    """The subcommand ``argv`` asks for: its first word that is not an option, if known.

    ``lobby`` itself takes no option with a value, so that word is the command's name.
    """
    name = next((arg for arg in argv if not arg.startswith("-")), None)
    return name if name in COMMANDS else None
