"""``lobby``: the headless command line for kiosks, scripts and tests.

Exit codes: 0 done, 2 invalid input (nothing written), 3 nothing to call,
4 database unavailable, 5 device failure (printer, speech), 130 interrupted.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from importlib.metadata import EntryPoint
from typing import NoReturn

from lobby import __version__
from lobby.cli import access, admin, lifecycle, manage, plugins, queue, simulation, web
from lobby.cli.bounds import check_arguments
from lobby.cli.context import CliContext
from lobby.errors import LobbyError
from lobby.validation import one_line, shown

Command = Callable[[argparse.Namespace, CliContext], None]


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose errors are one line on stderr and exit code 2."""

    def error(self, message: str) -> NoReturn:
        """Report a usage mistake in one line."""
        message = re.sub(r"'([^']*)'", lambda quoted: shown(quoted[1]), message)
        self.exit(2, one_line(f"{self.prog}: {message} (see {self.prog} --help)") + "\n")


def build_parser(found: Iterable[EntryPoint] | None = None) -> argparse.ArgumentParser:
    """The full ``lobby`` command line.

    Args:
        found: The entry points of the apps' and devices' commands (default: installed).
    """
    common = OneLineParser(add_help=False)
    common.add_argument("--db", metavar="URL", help="database URL (default: LOBBY_DB or SQLite)")
    common.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser = OneLineParser(prog="lobby", description="Lobby queue system, command line.")
    parser.add_argument("--version", action="version", version=f"lobby {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, handler: Command, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, parents=[common], help=help_text, description=help_text)
        sub.set_defaults(handler=handler)
        return sub

    admin.register(add)
    access.register(add)
    manage.register(add)
    lifecycle.register(add)
    queue.register(add)
    plugins.register(add, found)  # the apps' and the devices' commands
    simulation.register(add)
    web.register(add)
    return parser


def parse(parser: argparse.ArgumentParser, argv: Sequence[str] | None) -> argparse.Namespace:
    """Parse ``argv``; a command whose package is absent takes any arguments."""
    args, unknown = parser.parse_known_args(argv)
    if unknown and not plugins.takes_any_arguments(args.handler):
        parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run one ``lobby`` command and return its exit code."""
    parser = build_parser()
    args = parse(parser, argv)
    try:
        check_arguments(parser, args)
        ctx = CliContext.from_args(args)
    except LobbyError as exc:
        print(one_line(f"lobby {args.command}: {exc}"), file=sys.stderr)
        return exc.exit_code
    try:
        args.handler(args, ctx)
    except LobbyError as exc:
        print(one_line(f"lobby {args.command}: {exc}"), file=sys.stderr)
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
