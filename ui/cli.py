"""Commands that start the Qt apps; Qt is imported inside the handlers only."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from lobby.cli.context import CliContext
from lobby.cli.plugins import Add
from lobby.errors import InvalidInput

#: What the handlers import when they run (Qt, and the printer's and the announcer's
#: libraries, which lobby[apps] brings too); the CLI names the extra if one is absent.
LIBRARIES = ("PySide6", "shiboken6", "escpos", "usb", "serial", "qrcode", "PIL", "pyttsx3")
APPS = ("teller", "display", "greeter", "manager", "rating-pad")
KIOSK_HELP = "full screen, no window controls; a manager's PIN leaves it (Ctrl+Alt+Q)"


def teller(args: argparse.Namespace, ctx: CliContext) -> None:
    """Start the teller console."""
    from ui.teller.main import run

    run(ctx.settings, ctx.database(), args.counter, args.staff)


def rating_pad(args: argparse.Namespace, ctx: CliContext) -> None:
    """Start the customer's rating pad at a counter."""
    from ui.rating.main import run

    run(ctx.settings, ctx.database(), args.counter, args.full_screen)


def display(args: argparse.Namespace, ctx: CliContext) -> None:
    """Start the hall display, with voice unless --voice off."""
    from ui.display.main import run

    languages = tuple(part.strip() for part in args.lang.split(",") if part.strip())
    if not languages or any(lang not in ("zh", "en") for lang in languages):
        raise InvalidInput(f"--lang takes zh, en or both, e.g. zh,en (not {args.lang!r})")
    db = ctx.database()
    if args.voice == "off":
        run(ctx.settings, db, None, args.layout, args.full_screen, kiosk=args.kiosk)
        return
    from devices.speech import open_announcer  # pyttsx3's worker starts only with voice on

    settings = ctx.settings.model_copy(update={"speech_languages": languages})
    announcer = open_announcer(settings)
    try:
        run(settings, db, announcer, args.layout, args.full_screen, kiosk=args.kiosk)
    finally:
        announcer.close(timeout=10)


def greeter(args: argparse.Namespace, ctx: CliContext) -> None:
    """Start the greeter's tablet app."""
    from ui.greeter.main import run

    printer = args.printer or ctx.settings.printer
    run(
        ctx.database(),
        ctx.settings,
        printer,
        kiosk=args.kiosk,
        staff=args.staff or "",
        unattended=args.unattended,
    )


def manager(args: argparse.Namespace, ctx: CliContext) -> None:
    """Start the branch manager's app."""
    from ui.manager.main import run

    run(ctx.settings, ctx.database(), args.staff)


def shots(args: argparse.Namespace, ctx: CliContext) -> None:
    """Render an app's screens to PNG files with sample data."""
    if args.app == "web":
        from lobby.web.shots import render as render_web

        paths = render_web(args.out)
    else:
        from ui.shots import render

        paths = render(args.app, args.out, args.lang)
    for path in paths:
        ctx.emit({"file": str(path)}, str(path))


Handler = Callable[[argparse.Namespace, CliContext], None]


def _present(app: str, handler: Handler) -> Handler:
    """Run ``handler`` announced as a connected app (a restore refuses while it runs)."""

    def run(args: argparse.Namespace, ctx: CliContext) -> None:
        from lobby.lifecycle.presence import app_presence

        with app_presence(ctx.db_url, app):
            handler(args, ctx)

    return run


def register(add: Add) -> None:
    """Add the app commands to the parser."""
    p = add("teller", _present("teller", teller), "start the teller console")
    p.add_argument("--counter", type=int, metavar="N", help="preselect this counter")
    p.add_argument("--staff", metavar="ID", help="prefill the staff id")
    p = add(
        "rating-pad",
        _present("rating-pad", rating_pad),
        "start the customer's rating pad at a counter",
    )
    p.add_argument("--counter", type=int, required=True, metavar="N", help="the pad's counter")
    p.add_argument("--full-screen", action="store_true")
    p = add("display", _present("display", display), "start the hall display")
    p.add_argument("--layout", choices=["board", "counters"], default="board")
    p.add_argument("--voice", choices=["on", "off"], default="on")
    p.add_argument("--lang", default="zh,en", help="announcement languages, in order")
    p.add_argument("--full-screen", action="store_true")
    p.add_argument("--kiosk", action="store_true", help=KIOSK_HELP)
    p = add("greeter", _present("greeter", greeter), "start the greeter's tablet app")
    p.add_argument(
        "--printer", metavar="URI", help="ticket printer (default: LOBBY_PRINTER, else none)"
    )
    p.add_argument("--kiosk", action="store_true", help=KIOSK_HELP)
    p.add_argument("--staff", metavar="ID", help="prefill the staff id")
    p.add_argument(
        "--unattended",
        metavar="DEVICE",
        help="issue tickets with nobody signed in, as this enrolled kiosk "
        "(`lobby device-enrol DEVICE --role kiosk` on this machine first)",
    )
    p = add("manager", _present("manager", manager), "start the branch manager's app")
    p.add_argument("--staff", metavar="ID", help="prefill the staff id")
    p = add("shots", shots, "render an app's screens to PNG")
    p.add_argument("app", choices=(*APPS, "web"))
    p.add_argument("--out", type=Path, required=True, metavar="DIR")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="the screens' language")
