"""``lobby``: the headless command line for kiosks, scripts and tests.

Exit codes: 0 done, 2 invalid input (nothing written), 3 nothing to call,
4 database unavailable, 5 device failure (printer, speech), 130 interrupted.
"""

from __future__ import annotations

import argparse
import importlib
import os
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, NoReturn

from lobby import __version__
from lobby.cli.commands import COMMANDS, chosen
from lobby.errors import LobbyError
from lobby.quoting import one_line, shown

if TYPE_CHECKING:  # imported when a command runs, not for --help or --version
    from importlib.metadata import EntryPoint

    from lobby.cli.context import CliContext

Command = Callable[[argparse.Namespace, "CliContext"], None]


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose errors are one line on stderr and exit code 2."""

    def error(self, message: str) -> NoReturn:
        """Report a usage mistake in one line."""
        message = re.sub(r"'([^']*)'", lambda quoted: shown(quoted[1]), message)
        self.exit(2, one_line(f"{self.prog}: {message} (see {self.prog} --help)") + "\n")


def build_parser(
    found: Iterable[EntryPoint] | None = None, only: str | None = None
) -> argparse.ArgumentParser:
    """The ``lobby`` command line, with every command's arguments or only ``only``'s.

    Args:
        found: The entry points of the apps' and devices' commands (default: installed).
        only: Import and add only this command (a name in
            :data:`~lobby.cli.commands.COMMANDS`); the others are left out.
    """
    parser, commands, common = _top()

    def add(name: str, handler: Command, help_text: str) -> argparse.ArgumentParser:
        if only is not None and name != only:
            return OneLineParser(add_help=False)  # not asked for: its arguments go nowhere
        sub = commands.add_parser(name, parents=[common], help=help_text, description=help_text)
        sub.set_defaults(handler=handler)
        return sub

    wanted = COMMANDS.values() if only is None else [COMMANDS[only]]
    modules = dict.fromkeys(entry.module for entry in wanted if entry.module is not None)
    for module in modules:
        importlib.import_module(module).register(add)
    if any(entry.extra is not None for entry in wanted):
        from lobby.cli import plugins

        plugins.register(add, found, only)  # the apps' and the devices' commands
    return parser


def overview_parser() -> argparse.ArgumentParser:
    """``lobby`` with every command named but none loaded: for ``--help``, ``--version``.

    Parsing with it always ends in help, the version or a usage error.
    """
    parser, commands, _ = _top()
    for name, entry in COMMANDS.items():
        commands.add_parser(name, help=entry.help, add_help=False)
    return parser


def _top() -> tuple[OneLineParser, argparse._SubParsersAction[OneLineParser], OneLineParser]:
    """The ``lobby`` parser, its (empty) subcommands and the options every command takes."""
    common = OneLineParser(add_help=False)
    common.add_argument("--db", metavar="URL", help="database URL (default: LOBBY_DB or SQLite)")
    common.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser = OneLineParser(prog="lobby", description="Lobby queue system, command line.")
    parser.add_argument("--version", action="version", version=f"lobby {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    return parser, commands, common


def parse(parser: argparse.ArgumentParser, argv: Sequence[str] | None) -> argparse.Namespace:
    """Parse ``argv``; a command whose package is absent takes any arguments."""
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        from lobby.cli import plugins

        if not plugins.takes_any_arguments(args.handler):
            parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    return args


def said(exc: LobbyError) -> str:
    """``exc`` in the language of ``LOBBY_LANG``: ``zh``, ``en``, or both (the default)."""
    from lobby.error_texts import say

    lang = os.environ.get("LOBBY_LANG", "both")
    if lang not in ("zh", "en"):
        return str(exc)  # both, Chinese first, with any technical detail
    said = say(exc, "zh" if lang == "zh" else "en")
    detail = getattr(exc, "detail", None)
    return f"{said} ({detail})" if exc.code and isinstance(detail, str) else said


def main(argv: Sequence[str] | None = None) -> int:
    """Run one ``lobby`` command and return its exit code."""
    argv = sys.argv[1:] if argv is None else list(argv)
    name = chosen(argv)
    parser = overview_parser() if name is None else build_parser(only=name)
    args = parse(parser, argv)
    from lobby.cli.bounds import check_arguments
    from lobby.cli.context import CliContext

    try:
        check_arguments(parser, args)
        ctx = CliContext.from_args(args)
    except LobbyError as exc:
        print(one_line(f"lobby {args.command}: {said(exc)}"), file=sys.stderr)
        return exc.exit_code
    try:
        args.handler(args, ctx)
    except LobbyError as exc:
        print(one_line(f"lobby {args.command}: {said(exc)}"), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # e.g. `lobby events | head`: the reader has gone
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    finally:
        ctx.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
