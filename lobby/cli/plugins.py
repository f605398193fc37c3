"""Commands that other packages add to ``lobby``, found through an entry-point group.

The core never imports the apps or the device adapters. Each package that brings
commands registers a module in the ``lobby.commands`` entry-point group (see
``pyproject.toml``); the entry's name is the extra that installs what its commands
need. The module has ``register(add)``, like the core's own command modules.

A command whose package is absent, or whose libraries are not installed, still
parses; running it says which extra to install and exits 2 in one line.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from importlib.metadata import EntryPoint, entry_points
from types import ModuleType
from typing import TYPE_CHECKING, Any, Protocol, cast

from lobby.errors import InvalidInput, LobbyError

if TYPE_CHECKING:
    from lobby.cli.context import CliContext

GROUP = "lobby.commands"

Handler = Callable[[argparse.Namespace, "CliContext"], None]
Add = Callable[[str, Handler, str], argparse.ArgumentParser]

#: Extra -> the commands it brings (so an absent one can still be named).
COMMANDS: dict[str, tuple[str, ...]] = {
    "printer": ("print",),
    "speech": ("say",),
    "apps": ("teller", "display", "greeter", "manager", "rating-pad", "shots"),
}


class MissingExtra(InvalidInput):
    """A command needs a package that is not installed (exit 2)."""


class DeviceMissing(LobbyError):
    """A device's library is missing after the work was committed (exit 5, work kept)."""

    exit_code = 5


class CommandModule(Protocol):
    """What an entry point of :data:`GROUP` loads.

    Attributes:
        LIBRARIES: Top-level names of the libraries its commands import when they run;
            one that fails to import is reported as the extra missing.
    """

    LIBRARIES: tuple[str, ...]

    def register(self, add: Add) -> None:
        """Add the module's commands to the parser."""


def missing(extra: str, why: str) -> MissingExtra:
    """The error naming the extra to install."""
    return MissingExtra(f"needs the {extra} extra ({why}): pip install 'lobby[{extra}]'")


@contextmanager
def named_extra(extra: str, libraries: Iterable[str]) -> Iterator[None]:
    """Turn one of ``libraries`` failing to import into :class:`MissingExtra` for ``extra``."""
    try:
        yield
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] not in set(libraries):
            raise
        raise missing(extra, f"no module {exc.name}") from None


def guarded(extra: str, libraries: Iterable[str], handler: Handler) -> Handler:
    """``handler``, with one of ``libraries`` that fails to import named as ``extra``."""
    names = tuple(libraries)

    def run(args: argparse.Namespace, ctx: CliContext) -> None:
        with named_extra(extra, names):
            handler(args, ctx)

    run.__doc__ = handler.__doc__
    return run


def _absent(extra: str, why: str) -> Handler:
    def run(args: argparse.Namespace, ctx: CliContext) -> None:
        raise missing(extra, why)

    run.takes_any_arguments = True  # type: ignore[attr-defined]
    return run


def takes_any_arguments(handler: Handler) -> bool:
    """Whether ``handler`` stands in for an absent command (its arguments are unknown)."""
    return bool(getattr(handler, "takes_any_arguments", False))


def _find(extra: str, points: Iterable[EntryPoint]) -> ModuleType | str:
    """The module registered for ``extra``, or why there is none."""
    for point in points:
        if point.name == extra:
            try:
                return cast(ModuleType, point.load())
            except ModuleNotFoundError as exc:
                return f"no module {exc.name}"
    return "not installed"


def load(extra: str, found: Iterable[EntryPoint] | None = None) -> CommandModule:
    """The module registered for ``extra``.

    Raises:
        MissingExtra: No package registers it, or it cannot be imported.
    """
    module = _find(extra, entry_points(group=GROUP) if found is None else found)
    if isinstance(module, str):
        raise missing(extra, module)
    return cast(CommandModule, module)


def register(add: Add, found: Iterable[EntryPoint] | None = None, only: str | None = None) -> None:
    """Add every registered package's commands, and stand-ins for those of absent ones.

    Args:
        add: The parser's ``add(name, handler, help)``.
        found: The entry points to use (default: those installed).
        only: Load only the package that brings this command.
    """
    points = list(entry_points(group=GROUP) if found is None else found)
    for extra, names in COMMANDS.items():
        if only is not None and only not in names:
            continue
        module = _find(extra, points)
        if isinstance(module, str):
            for name in names:
                add(name, _absent(extra, module), f"(needs lobby[{extra}])")
            continue

        commands = cast(CommandModule, module)

        def add_guarded(
            name: str, handler: Handler, text: str, extra: str = extra, found: Any = commands
        ) -> argparse.ArgumentParser:
            return add(name, guarded(extra, found.LIBRARIES, handler), text)

        commands.register(add_guarded)
