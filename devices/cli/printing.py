"""Device commands (printing); device libraries are imported inside the handlers only.

``lobby print NUMBER`` reprints today's ticket NUMBER (or a scanned code),
``lobby print --test`` prints a test page and ``lobby print --status`` asks the
printer how it is. The printer is ``--printer URI`` or ``LOBBY_PRINTER``. A printer
that fails exits with code 5 and a one-line message in Chinese and English; the
ticket is untouched and can be printed again.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from lobby.cli.context import CliContext, credentials
from lobby.cli.plugins import Add
from lobby.engine import record_reprint
from lobby.engine.common import ticket_by_number, ticket_view
from lobby.errors import ConfigError, InvalidInput, LobbyError
from lobby.models import Branch
from lobby.ticket_print import printable_ticket

if TYPE_CHECKING:
    from devices.printer import TicketPrinter

#: What the handlers import when they run (printer libraries); the CLI names the extra if absent.
LIBRARIES = ("escpos", "usb", "serial", "qrcode", "PIL")

#: ``lobby print --status`` in words (``devices.printer.PrinterState``).
STATUS_WORDS = {
    "ready": "打印机正常 / ready",
    "paper_near_end": "打印纸将用完 / paper near its end",
    "unknown": "打印机状态未知 / status unknown",
    "cover_open": "打印机盖未关 / cover open",
    "offline": "打印机离线 / offline",
    "paper_out": "打印机缺纸 / paper out",
    "unreachable": "无法连接打印机 / unreachable",
}
#: Shown on a test page printed before the branch is set up.
UNSET_BRANCH = ("Lobby 排队叫号系统", "Lobby queue system")


def print_command(args: argparse.Namespace, ctx: CliContext) -> None:
    """Reprint a ticket, print a test page or show the printer's status."""
    wanted = [bool(args.number), args.test, args.status]
    if sum(wanted) != 1:
        raise InvalidInput("give a ticket NUMBER, --test or --status (one of them)")
    uri = args.printer or ctx.settings.printer
    printer = _open(uri, args.paper_width or ctx.settings.paper_width_mm, ctx)
    try:
        if args.status:
            status = printer.status()
            ctx.emit(
                {"printer": uri, **status.to_json()},
                f"{uri}: {STATUS_WORDS.get(status.state, status.state)}"
                + (f" ({status.detail})" if status.detail else ""),
            )
        elif args.test:
            branch_zh, branch_en = _branch_names(ctx)
            printer.print_test_page(branch_zh, branch_en)
            ctx.emit({"printed": "test page", "printer": uri}, f"test page printed on {uri}")
        else:
            # Read everything in one short transaction, then print outside it: a slow
            # printer must never hold the database.
            with ctx.unit_of_work() as uow:
                view = record_reprint(uow, args.number)
                base = ctx.settings.web_base_url
                ticket = printable_ticket(uow.session, view.id, view.code, base)
            printer.print_ticket(ticket)
            ctx.emit(
                {"printed": view.number, "state": view.state, "printer": uri},
                f"{view.number}  {view.service_zh} {view.service_en}  ({view.state}) "
                f"printed on {uri}",
            )
    finally:
        printer.close()


def print_issued(ctx: CliContext, uri: str, number: str) -> None:
    """Print a ticket that ``lobby issue`` has just committed (never before the commit)."""
    printer = _open(uri, ctx.settings.paper_width_mm, ctx)
    try:
        with ctx.unit_of_work() as uow:
            view = ticket_view(ticket_by_number(uow, number, lock=False))
            ticket = printable_ticket(uow.session, view.id, view.code, ctx.settings.web_base_url)
        printer.print_ticket(ticket)
    finally:
        printer.close()


def check_printer_uri(uri: str) -> None:
    """Refuse (exit 2) an address that names no printer; nothing is connected.

    Raises:
        BadPrinterUri: The address is not understood.
    """
    from devices.printer.uri import parse_printer_uri  # no device library needed

    parse_printer_uri(uri)


def _open(uri: str, paper_width_mm: int, ctx: CliContext) -> TicketPrinter:
    from devices.printer import open_printer  # python-escpos only when printing

    if uri.strip().lower() == "none":
        raise ConfigError(
            "没有设置打印机 / no printer configured: pass --printer URI or set LOBBY_PRINTER"
        )
    return open_printer(
        uri, paper_width_mm=paper_width_mm, timeout_s=ctx.settings.printer_timeout_s
    )


def _branch_names(ctx: CliContext) -> tuple[str, str]:
    """The branch's names, or Lobby's own when there is no branch yet."""
    try:
        with ctx.database().read() as session:
            branch = session.get(Branch, 1)
            if branch is not None:
                return branch.name_zh, branch.name_en
    except LobbyError:
        pass  # a printer is often tried out before the branch database exists
    return UNSET_BRANCH


def register(add: Add) -> None:
    """Add the printing commands to the parser."""
    p = add("print", print_command, "reprint a ticket, print a test page or show printer status")
    p.add_argument("number", nargs="?", metavar="NUMBER", help="today's ticket, e.g. A012")
    p.add_argument("--test", action="store_true", help="print a test page")
    p.add_argument("--status", action="store_true", help="ask the printer for its status")
    p.add_argument(
        "--printer",
        metavar="URI",
        help="tcp://HOST:9100, usb://VID:PID, serial:///dev/ttyUSB0?baudrate=9600, "
        "file:///path, png:///dir (default: LOBBY_PRINTER)",
    )
    p.add_argument(
        "--paper-width",
        type=int,
        choices=(58, 80),
        metavar="MM",
        help="58 or 80 (default: LOBBY_PAPER_WIDTH_MM, else 80)",
    )
    credentials(p)
