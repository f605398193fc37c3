"""``lobby greeter``: the composition root of the greeter's tablet app."""

from __future__ import annotations

from dataclasses import dataclass

from devices.printer import PrintQueue, TicketPrinter, open_printer
from lobby.db import Database
from lobby.settings import Settings
from ui.common.running import App, open_database
from ui.common.running import run as run_app
from ui.common.tasks import TaskRunner
from ui.feed import LiveFeed
from ui.greeter.controller import GreeterController
from ui.greeter.i18n import Language
from ui.greeter.printing import TicketPrinting
from ui.greeter.window import GreeterWindow

#: The tablet the greeter app is laid out for (landscape; portrait is 800 x 1280).
TABLET = (1280, 800)


@dataclass(frozen=True)
class GreeterOptions:
    """How the app behaves; the defaults suit a tablet at the door.

    Attributes:
        idle_lock_s: Lock after this long without a touch.
        return_after_s: The ticket page goes back to the start after this long.
        printer_check_s: Ask the printer how it is this often (0: only at start,
            on a tap of the badge and after a failed job).
        device: The app's name in the journal when signing in.
        unattended: Act with nobody signed in, as this enrolled kiosk device (its key
            is in this machine's config directory, see ``lobby device-enrol``); the
            idle lock is off, since nobody would unlock it.
        web_base_url: Where phones reach ``lobby web``: printed QR codes link there.
    """

    idle_lock_s: float = 120
    return_after_s: int = 8
    printer_check_s: float = 30
    device: str = "greeter"
    web_base_url: str | None = None
    unattended: str | None = None


@dataclass(kw_only=True)
class GreeterApp(App[GreeterWindow]):
    """The running app's parts, for the event loop, the tests and the screenshots.

    Its device is :attr:`printing` (the print queue), closed after the tasks.
    """

    controller: GreeterController
    printing: TicketPrinting
    language: Language

    def close(self) -> None:
        """Close the window, stop the feed, finish the tasks and print jobs, then free it all.

        The Qt objects are deleted on the GUI thread's next turn, not whenever Python
        collects their wrappers (which may happen on any thread).
        """
        super().close()
        self.language.use("zh")
        parts = (self.window, self.controller, self.printing, self.language, self.feed, self.runner)
        for part in parts:
            part.deleteLater()


def bootstrap(
    settings: Settings,
    db: Database | None = None,
    printer: TicketPrinter | None = None,
    *,
    staff: str = "",
    options: GreeterOptions | None = None,
    window_first: bool = False,
) -> GreeterApp:
    """Build the greeter app (which then owns the printer).

    The feed starts before the first read of the queues, so no change between the
    two is missed; the printer is asked for its status at once.

    Args:
        settings: The settings (the database and printer they name unless given).
        db: The branch's database, when already open.
        printer: The ticket printer, when already open.
        staff: Prefill the sign-in page with this staff id.
        options: Timings; the defaults suit a tablet (and link QR codes to
            ``settings.web_base_url``).
        window_first: Leave the first read of the queues and the printer's status to
            ``App.fill``, for once the window is on screen.

    Raises:
        BadPrinterUri: ``settings.printer`` is not a printer address.
    """
    db = db or open_database(settings)
    printer = printer or open_settings_printer(settings, settings.printer)
    opts = options or GreeterOptions(web_base_url=settings.web_base_url)
    runner = TaskRunner()
    printing = TicketPrinting(PrintQueue(printer), round(opts.printer_check_s * 1000))
    language = Language()
    controller = GreeterController(db, runner, printing, opts.device, opts.web_base_url)
    controller.language = lambda: "en" if language.english else "zh"
    window = GreeterWindow(
        controller,
        printing,
        language,
        idle_lock_ms=round(opts.idle_lock_s * 1000),
        return_after_s=opts.return_after_s,
    )
    window.sign_in.prepare(staff)
    feed = LiveFeed(db, after_id=None)
    feed.events.connect(controller.on_events)
    feed.online.connect(lambda online: controller.refresh() if online else None)
    feed.start()

    def fill() -> None:
        if opts.unattended:
            controller.start_unattended(opts.unattended)
        else:
            controller.refresh()
        printing.refresh_status()

    app = GreeterApp(
        settings,
        db,
        feed,
        runner,
        window,
        (printing,),
        fill=fill,
        controller=controller,
        printing=printing,
        language=language,
    )
    if not window_first:
        fill()
        app.fill = None
    return app


def open_settings_printer(settings: Settings, uri: str) -> TicketPrinter:
    """The printer at ``uri`` with the paper and timeout ``settings`` give.

    Raises:
        BadPrinterUri: ``uri`` is not a printer address.
    """
    return open_printer(
        uri, paper_width_mm=settings.paper_width_mm, timeout_s=settings.printer_timeout_s
    )


def run(
    db: Database,
    settings: Settings,
    printer_uri: str,
    *,
    kiosk: bool,
    staff: str,
    unattended: str | None = None,
) -> int:
    """Show the greeter app and run the event loop.

    Args:
        db: The branch's database.
        settings: The settings.
        printer_uri: The ticket printer.
        kiosk: Kiosk mode (full screen; only a manager leaves it).
        staff: Prefill the sign-in page with this staff id.
        unattended: Act as this enrolled kiosk device, with nobody signed in.

    Raises:
        BadPrinterUri: ``printer_uri`` is not a printer address.
    """
    printer = open_settings_printer(settings, printer_uri)  # before any window opens
    options = GreeterOptions(web_base_url=settings.web_base_url, unattended=unattended)
    return run_app(
        lambda: bootstrap(
            settings, db, printer, staff=staff, options=options, window_first=True
        ),
        size=TABLET,
        kiosk=kiosk,
    )
