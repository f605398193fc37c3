"""Access commands: sign in and out, change a PIN, enrol a device, check the journal's chain."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from lobby.access import CLI_SESSION, DEVICE_ROLES, Op, SessionToken, authorise, end_session
from lobby.cli.context import CliContext, credentials
from lobby.enrolment import enrol_device, withdraw_device
from lobby.errors import InvalidInput, LobbyError
from lobby.journal import verify_chain
from lobby.keyfiles import save_device_key, save_session, saved_session, session_file
from lobby.staff import change_pin, sign_in
from lobby.vocabulary import EventKind

Add = Callable[
    [str, Callable[[argparse.Namespace, CliContext], None], str], argparse.ArgumentParser
]


class ChainBroken(LobbyError):
    """``lobby audit verify`` found an event edited, deleted or inserted out of band."""

    exit_code = 1


def audit_verify(args: argparse.Namespace, ctx: CliContext) -> None:
    """Walk the journal's hash chain; exit 1 naming the first event that breaks it."""
    db = ctx.database()
    with db.read() as session:
        report = verify_chain(session)
    if not report.intact:
        if ctx.as_json:
            ctx.emit(report.to_json(), report.message)
        raise ChainBroken(report.message)
    ctx.emit(report.to_json(), report.message)


def _id_and_pin(ctx: CliContext) -> tuple[str, str]:
    if not ctx.staff or not ctx.pin:
        raise InvalidInput("give --staff and --pin (or LOBBY_STAFF, LOBBY_PIN)")
    return ctx.staff, ctx.pin


def sign_in_command(args: argparse.Namespace, ctx: CliContext) -> None:
    """Sign in once; later commands on this database act for you until it expires."""
    code, pin = _id_and_pin(ctx)
    db = ctx.database()
    staff = sign_in(db, code, pin, None, device="cli", ttl=CLI_SESSION)
    assert isinstance(staff.credential, SessionToken)
    expires = db.clock.now() + CLI_SESSION
    path = save_session(ctx.db_url, staff.code, staff.credential, expires)
    ctx.emit(
        {"staff": staff.code, "role": staff.role, "expires_at": expires.isoformat()},
        f"{staff.code} ({staff.role}) signed in until {expires:%Y-%m-%d %H:%M} UTC "
        f"(session kept in {path})",
    )


def sign_out_command(args: argparse.Namespace, ctx: CliContext) -> None:
    """End the saved session."""
    saved = saved_session(ctx.db_url)
    if saved is None:
        ctx.emit({"signed_out": None}, "no session to end")
        return
    db = ctx.database()
    with db.unit_of_work(saved.credential) as uow:
        authorise(uow, Op.SIGN_OUT)
        end_session(uow.session, saved.credential, uow.now)
        uow.record(EventKind.SIGNED_OUT, payload={"staff": saved.staff})
    session_file().unlink(missing_ok=True)
    ctx.emit({"signed_out": saved.staff}, f"{saved.staff} signed out")


def change_pin_command(args: argparse.Namespace, ctx: CliContext) -> None:
    """Choose a new PIN (needed at first sign-in when the PIN came from a branch file)."""
    code, pin = _id_and_pin(ctx)
    staff = change_pin(ctx.database(), code, pin, args.new_pin, device="cli", session=False)
    ctx.emit({"staff": staff.code, "pin_changed": True}, f"{staff.code}: PIN changed")


def device_enrol(args: argparse.Namespace, ctx: CliContext) -> None:
    """Enrol this machine as a device (manager); its key goes to this user's config dir."""
    with ctx.unit_of_work() as uow:
        key = enrol_device(uow, args.device, args.role, args.counter)
    path = save_device_key(ctx.db_url, key)
    at = f" at counter {args.counter}" if args.counter is not None else ""
    ctx.emit(
        {"device": key.device, "role": args.role, "counter": args.counter, "key_file": str(path)},
        f"device {key.device} enrolled as {args.role}{at}; key kept in {path} (mode 0600)",
    )


def device_withdraw(args: argparse.Namespace, ctx: CliContext) -> None:
    """Stop an enrolled device's key from working (manager), e.g. a lost or stolen pad."""
    with ctx.unit_of_work() as uow:
        withdraw_device(uow, args.device)
    ctx.emit({"device": args.device, "withdrawn": True}, f"device {args.device} withdrawn")


def register(add: Add) -> None:
    """Add the access commands to the parser."""
    p = add("sign-in", sign_in_command, "sign in for the next commands (until it expires)")
    credentials(p)
    add("sign-out", sign_out_command, "end the session made by sign-in")
    p = add("change-pin", change_pin_command, "choose a new PIN")
    credentials(p)
    p.add_argument("--new-pin", required=True, metavar="PIN", help="4 to 8 digits")
    p = add("device-enrol", device_enrol, "enrol this machine as a kiosk, rating pad or display")
    credentials(p)
    p.add_argument("device", metavar="ID", help="the device's id, e.g. KIOSK1")
    p.add_argument("--role", required=True, choices=DEVICE_ROLES)
    p.add_argument(
        "--counter", type=int, metavar="N", help="a rating pad's counter (required for one)"
    )
    p = add("device-withdraw", device_withdraw, "stop an enrolled device's key from working")
    credentials(p)
    p.add_argument("device", metavar="ID", help="the device's id, e.g. pad-1")
