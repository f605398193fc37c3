"""Queue commands: issue at the door, call and serve at the counter."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any, Protocol, cast

from lobby import engine
from lobby.cli import plugins
from lobby.cli.context import CliContext, credentials
from lobby.views import TicketView

Add = Callable[
    [str, Callable[[argparse.Namespace, CliContext], None], str], argparse.ArgumentParser
]


def _ticket_line(ticket: TicketView) -> str:
    where = f" -> counter {ticket.counter}" if ticket.counter else ""
    reason = f"  ({ticket.reason})" if ticket.reason and ticket.state == "called" else ""
    return (
        f"{ticket.number}  {ticket.service_zh} {ticket.service_en}  {ticket.state}{where}{reason}"
    )


def _emit_ticket(ctx: CliContext, ticket: TicketView) -> None:
    ctx.emit(ticket.to_json(), _ticket_line(ticket))


class IssuePrinting(plugins.CommandModule, Protocol):
    """What ``lobby issue --printer`` needs of the printer extra's commands."""

    def check_printer_uri(self, uri: str) -> None:
        """Refuse an address that can never print."""

    def print_issued(self, ctx: CliContext, uri: str, number: str) -> None:
        """Print the committed ticket ``number``."""


def issue(args: argparse.Namespace, ctx: CliContext) -> None:
    """Issue a ticket for SERVICE."""
    uri = args.printer or ctx.settings.printer
    printing = uri.strip().lower() != "none"
    if printing:
        # an absent extra, or an address that can never print, is refused before the commit
        printer = cast(IssuePrinting, plugins.load("printer"))
        printer.check_printer_uri(uri)
    ticket = ctx.run(
        lambda uow: engine.issue_ticket(
            uow,
            args.service,
            category=args.category,
            phone=args.phone,
            note=args.note,
            documents=args.document,
            appointment_code=args.appointment,
        )
    )
    _emit_ticket(ctx, ticket)  # the ticket is committed and shown, whatever the printer does
    if printing:
        try:
            with plugins.named_extra("printer", printer.LIBRARIES):
                printer.print_issued(ctx, uri, ticket.number)
        except plugins.MissingExtra as exc:
            raise plugins.DeviceMissing(f"{ticket.number} is issued, not printed: {exc}") from None


def checkin(args: argparse.Namespace, ctx: CliContext) -> None:
    """Check in an appointment by its code."""
    ticket = ctx.run(lambda uow: engine.check_in_appointment(uow, args.code))
    _emit_ticket(ctx, ticket)


def call(args: argparse.Namespace, ctx: CliContext) -> None:
    """Call the next ticket (or --ticket) to a counter."""
    if args.ticket:
        ticket = ctx.run(lambda uow: engine.call_ticket(uow, args.counter, args.ticket))
    else:
        ticket = ctx.run(lambda uow: engine.call_next(uow, args.counter))
    _emit_ticket(ctx, ticket)


def _counter_action(action: Callable[..., TicketView], **extra: str) -> Callable[..., None]:
    def run(args: argparse.Namespace, ctx: CliContext) -> None:
        options: dict[str, Any] = {name: getattr(args, attr) for name, attr in extra.items()}
        ticket = ctx.run(lambda uow: action(uow, args.counter, args.ticket, **options))
        _emit_ticket(ctx, ticket)

    run.__doc__ = action.__doc__
    return run


def resume(args: argparse.Namespace, ctx: CliContext) -> None:
    """Call a parked ticket back to the counter."""
    ticket = ctx.run(lambda uow: engine.resume(uow, args.counter, args.ticket))
    _emit_ticket(ctx, ticket)


def cancel(args: argparse.Namespace, ctx: CliContext) -> None:
    """Cancel a ticket."""
    ticket = ctx.run(lambda uow: engine.cancel(uow, args.ticket, reason=args.reason))
    _emit_ticket(ctx, ticket)


def confirm(args: argparse.Namespace, ctx: CliContext) -> None:
    """Confirm (and correct) a visit's triage details."""
    with ctx.unit_of_work() as uow:
        visit = engine.confirm_details(
            uow, args.ticket, note=args.note, phone=args.phone, documents=args.document
        )
    ctx.emit(visit.to_json(), f"visit {visit.id} confirmed by {visit.confirmed_by}")


def show(args: argparse.Namespace, ctx: CliContext) -> None:
    """Show a ticket's visit: triage and the whole chain of tickets."""
    with ctx.unit_of_work() as uow:
        visit = engine.visit_of(uow, args.ticket)
    lines = [f"visit {visit.id}: {visit.need} ({visit.category}) phone {visit.phone_masked or '-'}"]
    lines += [
        "  " + _ticket_line(t) + (f"  note: {t.transfer_note}" if t.transfer_note else "")
        for t in visit.tickets
    ]
    ctx.emit(visit.to_json(), "\n".join(lines))


def rate(args: argparse.Namespace, ctx: CliContext) -> None:
    """Record the customer's satisfaction rating for a finished ticket."""
    with ctx.unit_of_work() as uow:
        engine.rate_visit(uow, args.ticket, args.score, args.comment)
    ctx.emit({"ticket": args.ticket.upper(), "score": args.score}, f"rated {args.score}/5")


def register(add: Add) -> None:
    """Add the queue commands to the parser."""
    p = add("issue", issue, "issue a ticket")
    p.add_argument("service", help="service code, e.g. cash")
    p.add_argument(
        "--category", default="regular", help="regular, elderly, disabled, pregnant, vip"
    )
    p.add_argument("--phone", help="contact number (stored, shown masked)")
    p.add_argument("--note", default="", help="note for the teller")
    p.add_argument("--document", action="append", default=[], help="document key the customer has")
    p.add_argument("--appointment", metavar="CODE", help="check in this appointment")
    p.add_argument("--printer", metavar="URI", help="print the ticket (default: LOBBY_PRINTER)")
    credentials(p)

    p = add("checkin", checkin, "check in an appointment")
    p.add_argument("code")
    credentials(p)

    def counter_cmd(name: str, handler: Callable[..., None], text: str) -> argparse.ArgumentParser:
        sub = add(name, handler, text)
        sub.add_argument("--counter", type=int, required=True, metavar="N")
        credentials(sub)
        return sub

    counter_cmd("call", call, "call the next ticket").add_argument("--ticket", metavar="NUMBER")
    for name, action in (
        ("recall", engine.recall),
        ("start", engine.start),
        ("no-show", engine.no_show),
    ):
        counter_cmd(
            name, _counter_action(action), f"{name} the counter's open ticket"
        ).add_argument("--ticket", metavar="NUMBER")
    p = counter_cmd(
        "finish",
        _counter_action(engine.finish, outcome="outcome", follow_up="follow_up"),
        "finish the counter's open ticket",
    )
    p.add_argument("--ticket", metavar="NUMBER")
    p.add_argument("--outcome", default="done", choices=["done", "follow_up"])
    p.add_argument("--follow-up", default="", help="what happens next (needed for follow_up)")
    p = counter_cmd("park", _counter_action(engine.park, note="note"), "park the open ticket")
    p.add_argument("--ticket", metavar="NUMBER")
    p.add_argument("--note", default="")
    counter_cmd("resume", resume, "call a parked ticket back").add_argument(
        "--ticket", metavar="NUMBER", required=True
    )
    p = counter_cmd(
        "transfer",
        _counter_action(
            engine.transfer, to_service="to_service", to_counter="to_counter", note="note"
        ),
        "transfer the open ticket to a service or counter",
    )
    p.add_argument("--ticket", metavar="NUMBER")
    p.add_argument("--to-service", metavar="CODE")
    p.add_argument("--to-counter", type=int, metavar="N")
    p.add_argument("--note", required=True, help="note for the receiving teller")

    p = add("cancel", cancel, "cancel a ticket")
    p.add_argument("--ticket", metavar="NUMBER", required=True)
    p.add_argument("--reason", default="")
    credentials(p)

    p = add("confirm", confirm, "confirm a visit's triage details")
    p.add_argument("--ticket", metavar="NUMBER", required=True)
    p.add_argument("--note")
    p.add_argument("--phone")
    p.add_argument("--document", action="append")
    credentials(p)

    p = add("show", show, "show a ticket's visit and chain")
    p.add_argument("ticket", metavar="NUMBER")

    p = add("rate", rate, "record a satisfaction rating (1-5)")
    p.add_argument("--ticket", metavar="NUMBER", required=True)
    p.add_argument("--score", type=int, required=True, choices=range(1, 6), metavar="1-5")
    p.add_argument("--comment", default="")
    credentials(p)
