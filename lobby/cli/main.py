"""``lobby``: the headless command line for kiosks, scripts and tests.

Exit codes: 0 done, 2 invalid input (nothing written), 3 nothing to call,
4 database unavailable, 5 device failure (printer, speech), 130 interrupted.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from lobby import __version__
from lobby.cli import (
    access,
    admin,
    apps,
    lifecycle,
    manage,
    printing,
    queue,
    simulation,
    speaking,
)
from lobby.cli.context import CliContext
from lobby.errors import LobbyError

Command = Callable[[argparse.Namespace, CliContext], None]


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose errors are one line on stderr and exit code 2."""

    def error(self, message: str) -> NoReturn:
        """Report a usage mistake in one line."""
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """The full ``lobby`` command line."""
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
    printing.register(add)
    speaking.register(add)
    apps.register(add)
    simulation.register(add)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one ``lobby`` command and return its exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        ctx = CliContext.from_args(args)
    except LobbyError as exc:
        print(f"lobby: {exc}", file=sys.stderr)
        return exc.exit_code
    except ValueError as exc:  # settings from the environment that do not validate
        print(f"lobby: bad LOBBY_ setting: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 2
    try:
        args.handler(args, ctx)
    except LobbyError as exc:
        print(f"lobby {args.command}: {exc}", file=sys.stderr)
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
