"""Ticket printing end to end: engine ticket -> layout -> ESC/POS -> a TCP printer on 127.0.0.1.

The printer endpoint (``tests.printer_endpoint``) captures each job; the job is decoded
back to a picture and its QR code read with zbar. Failures (refused, stalled, paper out)
must raise the typed error quickly and leave the ticket waiting and reprintable.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import select as os_select
import subprocess
import sys
import threading
import time
import tty
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from pyzbar.pyzbar import decode as read_codes
from sqlalchemy import create_engine, func, select

from devices.printer import (
    BadPrinterUri,
    CoverOpen,
    PaperOut,
    PrinterError,
    PrinterOffline,
    PrinterStatus,
    PrinterTimeout,
    PrinterUnreachable,
    PrintQueue,
    open_printer,
)
from devices.printer.escpos_job import raster_job
from devices.printer.escpos_printer import NO_STATUS
from devices.printer.layout import PAPER_DOTS, render_ticket
from lobby import engine
from lobby.cli.main import main
from lobby.db import Database
from lobby.models import Ticket
from lobby.receipt_print import PrintableReceipt
from lobby.ticket_print import PrintableTicket, printable_ticket
from lobby.views import TicketView
from tests.escpos_decoder import Incomplete, decode, next_command, printed_picture
from tests.helpers import ManualClock, actor, as_staff
from tests.printer_endpoint import (
    COVER_OPEN,
    OFFLINE,
    PAPER_NEAR_END,
    PAPER_OUT,
    TRICKLE_BYTES,
    TRICKLE_PAUSE_S,
    PrinterEndpoint,
    closed_port,
)

TIMEOUT_S = 0.5  # short, so that the stall tests stay quick


@pytest.fixture(autouse=True, scope="module")
def _escpos_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """python-escpos caches its printer database here, not in the user's cache."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ESCPOS_CAPABILITIES_PICKLE_DIR", str(tmp_path_factory.mktemp("escpos")))
        yield


@pytest.fixture(autouse=True)
def _no_printer_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LOBBY_PRINTER", "LOBBY_PAPER_WIDTH_MM", "LOBBY_PRINTER_TIMEOUT_S"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def endpoint() -> Iterator[PrinterEndpoint]:
    """A working network printer."""
    with PrinterEndpoint() as printer:
        yield printer


def issue(db: Database, service: str = "cash") -> TicketView:
    with db.unit_of_work(actor("G01")) as uow:
        return engine.issue_ticket(uow, service)


def printable(db: Database, view: TicketView) -> PrintableTicket:
    with db.read() as session:
        return printable_ticket(session, view.id, view.code)


def state_of(db: Database, view: TicketView) -> str:
    with db.read() as session:
        return session.get_one(Ticket, view.id).state


def picture_of(job: bytes) -> Image.Image:
    return printed_picture(decode(job))


def qr_codes(picture: Image.Image) -> list[str]:
    return [code.data.decode() for code in read_codes(picture)]


def assert_reprints(db: Database, view: TicketView, width_mm: int = 80) -> None:
    """The ticket is still waiting, and printing it again to a working printer works."""
    assert state_of(db, view) == "waiting"
    with PrinterEndpoint() as good:
        open_printer(good.uri, paper_width_mm=width_mm).print_ticket(printable(db, view))
        assert qr_codes(picture_of(good.wait_for_jobs(1)[0])) == [view.code]


# --- printing a real ticket ---------------------------------------------------------


@pytest.mark.parametrize("width_mm", [58, 80])
def test_issued_ticket_prints_and_reads_back(
    db: Database, clock: ManualClock, endpoint: PrinterEndpoint, width_mm: int, tmp_path: Path
) -> None:
    issue(db)
    clock.advance(minutes=1)
    view = issue(db)  # A002: one person ahead
    ticket = printable(db, view)
    printer = open_printer(endpoint.uri, paper_width_mm=width_mm, timeout_s=TIMEOUT_S)
    printer.print_ticket(ticket)
    printer.close()

    (job,) = endpoint.wait_for_jobs(1)
    commands = decode(job)
    names = [c.name for c in commands]
    # health asked first (online, paper), then the job, then paper again as receipt
    assert names[:3] == ["status", "status", "init"]
    assert names[-3:] == ["feed", "cut", "status"]
    assert endpoint.errors == []
    picture = printed_picture(commands)
    picture.save(tmp_path / f"printed_{width_mm}mm.png")
    assert picture.width == PAPER_DOTS[width_mm]
    assert qr_codes(picture) == [view.code]
    # the printer received exactly the ticket's layout
    assert picture.tobytes() == render_ticket(ticket, PAPER_DOTS[width_mm]).tobytes()
    assert ticket.number == "A002"
    assert ticket.ahead == 1


def test_status_of_a_working_printer(endpoint: PrinterEndpoint) -> None:
    status = open_printer(endpoint.uri).status()
    assert status == PrinterStatus("ready", "")
    assert (status.online, status.paper, status.ready) == (True, "ok", True)


def test_paper_near_its_end_still_prints_and_shows_in_status(db: Database) -> None:
    view = issue(db)
    with PrinterEndpoint(paper=PAPER_NEAR_END) as printer:
        target = open_printer(printer.uri, timeout_s=TIMEOUT_S)
        target.print_ticket(printable(db, view))
        assert qr_codes(picture_of(printer.wait_for_jobs(1)[0])) == [view.code]
        status = target.status()
    assert (status.state, status.online, status.paper, status.ready) == (
        "paper_near_end",
        True,
        "near_end",
        True,
    )


# --- failures never lose the ticket -------------------------------------------------


def test_closed_port_is_unreachable_and_the_ticket_is_kept(db: Database) -> None:
    view = issue(db)
    with closed_port() as uri:
        printer = open_printer(uri, timeout_s=TIMEOUT_S)
        with pytest.raises(PrinterUnreachable) as failed:
            printer.print_ticket(printable(db, view))
        status = printer.status()
    message = str(failed.value)
    assert message.startswith(f"无法连接打印机 / printer unreachable ({uri}: connection refused)")
    assert f"{view.number} is still valid, reprint it" in message
    assert failed.value.ticket == view.number
    assert failed.value.exit_code == 5
    assert status == PrinterStatus("unreachable", "connection refused")
    assert (status.online, status.ready) == (False, False)
    assert_reprints(db, view)


def test_stalled_printer_times_out_within_the_limit(db: Database) -> None:
    view = issue(db)
    ticket = printable(db, view)
    with PrinterEndpoint("stall", receive_buffer=4096) as stalled:
        printer = open_printer(stalled.uri, timeout_s=TIMEOUT_S)
        started = time.monotonic()
        with pytest.raises(PrinterTimeout) as failed:
            printer.print_ticket(ticket)
        elapsed = time.monotonic() - started
        status = printer.status()
    # the unanswered status query waits at most the time limit, then the job stalls
    assert 2 * TIMEOUT_S * 0.9 <= elapsed < 2 * TIMEOUT_S + 1.0
    assert str(failed.value).startswith("打印机无响应 / printer not responding")
    assert f"for {TIMEOUT_S:g} s" in str(failed.value)
    assert (status.state, status.online, status.paper) == ("unknown", None, None)
    assert_reprints(db, view)


def test_printer_that_stops_taking_data_mid_job_times_out(db: Database) -> None:
    view = issue(db)
    with PrinterEndpoint("stop_reading_after_status", receive_buffer=4096) as jammed:
        started = time.monotonic()
        with pytest.raises(PrinterTimeout):
            open_printer(jammed.uri, timeout_s=TIMEOUT_S).print_ticket(printable(db, view))
        assert time.monotonic() - started < 2 * TIMEOUT_S + 1.0
    assert_reprints(db, view)


def test_paper_out_refuses_before_printing_and_keeps_the_ticket(db: Database) -> None:
    view = issue(db)
    with PrinterEndpoint(online=OFFLINE, paper=PAPER_OUT) as empty:
        printer = open_printer(empty.uri, timeout_s=TIMEOUT_S)
        with pytest.raises(PaperOut) as failed:
            printer.print_ticket(printable(db, view))
        status = printer.status()
        printer.close()
        (job,) = empty.wait_for_jobs(1)
    assert [c.name for c in decode(job)] == ["status", "status"]  # nothing was printed
    assert str(failed.value).startswith("打印机缺纸 / printer out of paper")
    assert (status.state, status.online, status.paper, status.ready) == (
        "paper_out",
        False,
        "out",
        False,
    )
    assert_reprints(db, view)


def test_cover_open_is_told_apart_from_offline(db: Database) -> None:
    view = issue(db)
    with PrinterEndpoint(online=OFFLINE, cover=COVER_OPEN) as printer:
        target = open_printer(printer.uri, timeout_s=TIMEOUT_S)
        with pytest.raises(CoverOpen) as failed:
            target.print_ticket(printable(db, view))
        assert target.status().state == "cover_open"
    assert str(failed.value).startswith("打印机盖未关 / printer cover open")
    assert isinstance(failed.value, PrinterOffline)  # cannot print now, exit 5
    assert_reprints(db, view)


def test_a_printer_that_says_offline_is_offline(db: Database) -> None:
    view = issue(db)
    with PrinterEndpoint(online=OFFLINE) as printer:
        target = open_printer(printer.uri, timeout_s=TIMEOUT_S)
        with pytest.raises(PrinterOffline, match="reports offline") as failed:
            target.print_ticket(printable(db, view))
        assert target.status().state == "offline"
    assert type(failed.value) is PrinterOffline
    assert str(failed.value).startswith("打印机离线 / printer offline")
    assert_reprints(db, view)


# --- printers that do not answer status queries as asked ----------------------------


def test_a_printer_that_never_answers_status_still_gets_the_whole_ticket(db: Database) -> None:
    view = issue(db)
    ticket = printable(db, view)
    with PrinterEndpoint("silent") as silent:
        target = open_printer(silent.uri, timeout_s=TIMEOUT_S)
        target.print_ticket(ticket)
        (job,) = silent.wait_for_jobs(1)
        status = target.status()
    commands = decode(job)
    names = [c.name for c in commands]
    assert names[0] == "status"  # asked once, no answer, printed anyway
    assert names[1:].count("status") == 0
    assert names[-2:] == ["feed", "cut"]
    assert printed_picture(commands).tobytes() == render_ticket(ticket, PAPER_DOTS[80]).tobytes()
    assert qr_codes(picture_of(job)) == [view.code]
    assert (status.state, status.ready) == ("unknown", True)
    assert f"no answer to the status query within {TIMEOUT_S:g} s" in status.detail


def test_garbage_status_answers_are_unknown_never_paper_out(db: Database) -> None:
    view = issue(db)
    with PrinterEndpoint("garbage") as odd:
        target = open_printer(odd.uri, timeout_s=TIMEOUT_S)
        target.print_ticket(printable(db, view))
        (job,) = odd.wait_for_jobs(1)
        status = target.status()
    assert qr_codes(picture_of(job)) == [view.code]
    assert status.state == "unknown"
    assert "unreadable status answer 0xff" in status.detail
    assert status.paper is None


def test_a_trickling_printer_gets_the_ticket_within_the_limit(db: Database) -> None:
    view = issue(db)
    ticket = printable(db, view)
    job_size = len(raster_job(render_ticket(ticket, PAPER_DOTS[80]), PAPER_DOTS[80]))
    with PrinterEndpoint("trickle", receive_buffer=4096) as slow:
        target = open_printer(slow.uri, timeout_s=TIMEOUT_S)
        target.print_ticket(ticket)
        (job,) = slow.wait_for_jobs(1)
    # slower in total than the time limit, yet never stalled for as long
    assert job_size / TRICKLE_BYTES * TRICKLE_PAUSE_S > TIMEOUT_S
    names = [c.name for c in decode(job)]
    assert names[:3] == ["status", "status", "init"]
    assert names[-1] == "status"  # answered after the job: every byte arrived
    assert qr_codes(picture_of(job)) == [view.code]


def test_printer_without_status_support_prints_with_status_off(db: Database) -> None:
    view = issue(db)
    with PrinterEndpoint() as printer:
        target = open_printer(f"{printer.uri}?status=off", timeout_s=TIMEOUT_S)
        target.print_ticket(printable(db, view))
        (job,) = printer.wait_for_jobs(1)
        assert target.status().state == "unknown"
    assert "status" not in [c.name for c in decode(job)]
    assert qr_codes(picture_of(job)) == [view.code]


# --- the worker thread --------------------------------------------------------------


def test_print_queue_prints_in_order_off_the_calling_thread(db: Database) -> None:
    views = [issue(db) for _ in range(3)]
    tickets = [printable(db, v) for v in views]
    with PrinterEndpoint() as printer, PrintQueue(open_printer(printer.uri)) as queue:
        futures = [queue.print_ticket(t) for t in tickets]
        status = queue.status().result(timeout=10)
        for future in futures:
            assert future.result(timeout=10) is None
        jobs = printer.wait_for_jobs(3)
    assert [qr_codes(picture_of(job)) for job in jobs] == [[v.code] for v in views]
    assert status.online is True


def test_print_queue_reports_failures_as_typed_errors(db: Database) -> None:
    view = issue(db)
    with closed_port() as uri, PrintQueue(open_printer(uri)) as queue:
        error = queue.print_ticket(printable(db, view)).exception(timeout=10)
    assert isinstance(error, PrinterOffline)
    assert error.ticket == view.number


class RecordingPrinter:
    """A test double that records on which thread each call ran."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []
        self.closed = False

    def print_ticket(self, ticket: PrintableTicket) -> None:
        self.calls.append((ticket.number, threading.current_thread().name))

    def print_receipt(self, receipt: PrintableReceipt) -> None:
        self.calls.append((receipt.reference, threading.current_thread().name))

    def print_test_page(self, branch_zh: str, branch_en: str) -> None:
        self.calls.append(("test page", threading.current_thread().name))

    def status(self) -> PrinterStatus:
        return PrinterStatus("unknown", "recording")

    def close(self) -> None:
        self.closed = True


def test_print_queue_uses_one_worker_thread_and_closes_the_printer(db: Database) -> None:
    recorder = RecordingPrinter()
    ticket = printable(db, issue(db))
    queue = PrintQueue(recorder)
    done = [queue.print_ticket(ticket), queue.print_test_page("示范银行", "Demo Bank")]
    queue.close()
    assert all(f.done() for f in done)
    assert [number for number, _ in recorder.calls] == [ticket.number, "test page"]
    threads = {thread for _, thread in recorder.calls}
    assert len(threads) == 1
    assert threads != {threading.current_thread().name}
    assert recorder.closed


# --- other connections --------------------------------------------------------------


def test_png_printer_writes_the_same_picture(db: Database, tmp_path: Path) -> None:
    view = issue(db)
    ticket = printable(db, view)
    folder = tmp_path / "tickets"
    printer = open_printer(f"png://{folder}", paper_width_mm=58)
    printer.print_ticket(ticket)
    printer.print_test_page("示范银行", "Demo Bank")
    with Image.open(folder / f"{view.number}.png") as saved:
        assert saved.size[0] == 384
        assert saved.convert("1").tobytes() == render_ticket(ticket, 384).tobytes()
        assert qr_codes(saved) == [view.code]
    assert qr_codes(Image.open(folder / "test-page.png")) == ["LOBBY-TEST"]
    assert sorted(p.name for p in folder.iterdir()) == ["A001.png", "test-page.png"]
    assert printer.status().online is None


def test_png_printer_that_cannot_write_is_offline(db: Database, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    view = issue(db)
    with pytest.raises(PrinterOffline, match="cannot write A001.png"):
        open_printer(f"png://{blocker}").print_ticket(printable(db, view))


def test_file_printer_receives_the_job(db: Database, tmp_path: Path) -> None:
    ticket = printable(db, issue(db))
    target = tmp_path / "spool.bin"
    printer = open_printer(f"file://{target}", paper_width_mm=58)
    printer.print_ticket(ticket)
    printer.print_ticket(ticket)  # a plain file keeps the last job
    assert target.read_bytes() == raster_job(render_ticket(ticket, 384), 384)
    assert printer.status() == PrinterStatus("unknown", NO_STATUS)


def test_missing_device_node_is_offline() -> None:
    with pytest.raises(PrinterOffline, match="is the printer plugged in"):
        open_printer("file:///dev/usb/lobby-no-such-printer").print_test_page("a", "b")


def test_device_without_a_reader_is_offline_and_a_stuck_one_times_out(tmp_path: Path) -> None:
    fifo = tmp_path / "printer"
    os.mkfifo(fifo)
    printer = open_printer(f"file://{fifo}", timeout_s=TIMEOUT_S)
    with pytest.raises(PrinterOffline, match="no such device or address"):
        printer.print_test_page("a", "b")  # nobody has the device open
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # opened, never read: a stuck device
    try:
        fcntl.fcntl(reader, fcntl.F_SETPIPE_SZ, 4096)
        started = time.monotonic()
        with pytest.raises(PrinterTimeout, match="took no data"):
            printer.print_test_page("a", "b")
        assert time.monotonic() - started < TIMEOUT_S + 1.0
    finally:
        os.close(reader)


def test_serial_printer_on_a_pseudo_terminal(db: Database) -> None:
    pytest.importorskip("serial", reason="pyserial (python-escpos[serial]) is not installed")
    view = issue(db)
    controller, port = os.openpty()
    tty.setraw(controller)
    tty.setraw(port)
    received = bytearray()
    stop = threading.Event()

    def printer_side() -> None:  # reads the line and answers status queries
        parsed = 0
        while not stop.is_set():
            if not os_select.select([controller], [], [], 0.02)[0]:
                continue
            received.extend(os.read(controller, 1 << 16))
            with contextlib.suppress(Incomplete):
                while parsed < len(received):
                    command, parsed = next_command(received, parsed)
                    if command.name == "status":
                        os.write(controller, b"\x12")

    worker = threading.Thread(target=printer_side)
    worker.start()
    try:
        uri = f"serial://{os.ttyname(port)}?baudrate=115200"
        open_printer(uri, timeout_s=TIMEOUT_S).print_ticket(printable(db, view))
    finally:
        stop.set()
        worker.join(timeout=5)
    try:
        assert qr_codes(picture_of(bytes(received))) == [view.code]
        with pytest.raises(PrinterTimeout):  # nobody answers any more
            open_printer(uri, timeout_s=TIMEOUT_S).print_ticket(printable(db, view))
    finally:
        os.close(controller)
        os.close(port)


def test_usb_without_pyusb_says_what_is_missing() -> None:
    try:
        import usb  # noqa: F401
    except ImportError:
        pass
    else:
        pytest.skip("pyusb is installed")
    with pytest.raises(PrinterOffline, match=r"pyusb is not installed"):
        open_printer("usb://0416:5011")


@pytest.mark.parametrize(
    ("uri", "reason"),
    [
        ("lpt1", "not a printer address"),
        ("ipp://printer/queue", "unknown kind 'ipp'"),
        ("tcp://", "needs a host"),
        ("tcp://printer:99999", "port must be a number"),
        ("tcp://printer?speed=fast", "unknown option 'speed'"),
        ("usb://epson", "needs vendor and product ids"),
        ("usb://xyz:0202", "hexadecimal"),
        ("serial:///dev/ttyUSB0?baudrate=1234", "baudrate must be one of"),
        ("png://relative/dir", "needs an absolute path"),
        ("file://", "needs an absolute path"),
    ],
)
def test_bad_uris_name_the_accepted_forms(uri: str, reason: str) -> None:
    with pytest.raises(BadPrinterUri) as failed:
        open_printer(uri)
    message = str(failed.value)
    assert message.startswith(f"打印机地址无效 / bad printer address ({uri!r}: ")
    assert reason in message
    for form in ("usb://VID:PID", "serial://", "tcp://HOST:9100", "file://", "png://", "none"):
        assert form in message
    assert failed.value.exit_code == 2
    assert not isinstance(failed.value, PrinterError)


def test_importing_and_opening_image_printers_loads_no_device_library(tmp_path: Path) -> None:
    probe = (
        "import sys\n"
        "from devices.printer import open_printer, PrintQueue\n"
        f"open_printer('png://{tmp_path}'); open_printer('none')\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'escpos', 'usb', 'serial'}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


# --- the command line ---------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main([*argv, *as_staff("G01")])  # the greeter issues and reprints
    out, err = capsys.readouterr()
    return code, out, err


def state_in(url: str, number: str) -> str:
    engine_ = create_engine(url)
    with engine_.connect() as conn:
        state = conn.scalar(select(Ticket.state).where(Ticket.number == number))
    engine_.dispose()
    assert state is not None
    return state


def test_cli_reprints_a_ticket(
    capsys: pytest.CaptureFixture[str], db_url: str, endpoint: PrinterEndpoint
) -> None:
    code, out, _ = run(capsys, "issue", "cash", "--db", db_url, "--json")
    issued = json.loads(out)
    code, out, err = run(capsys, "print", "a001", "--printer", endpoint.uri, "--db", db_url)
    assert (code, err) == (0, "")
    assert out == f"A001  个人现金业务 Personal cash  (waiting) printed on {endpoint.uri}\n"
    picture = picture_of(endpoint.wait_for_jobs(1)[0])
    assert picture.width == 576
    assert qr_codes(picture) == [issued["code"]]
    # a scanned code works as well as the number, on 58 mm paper
    code, out, _ = run(
        capsys, "print", issued["code"], "--printer", endpoint.uri, "--paper-width", "58",
        "--db", db_url, "--json",
    )  # fmt: skip
    assert code == 0
    assert json.loads(out) == {"printed": "A001", "printer": endpoint.uri, "state": "waiting"}
    assert picture_of(endpoint.wait_for_jobs(2)[1]).width == 384


def test_cli_test_page_and_status(
    capsys: pytest.CaptureFixture[str], db_url: str, endpoint: PrinterEndpoint
) -> None:
    code, out, _ = run(capsys, "print", "--test", "--printer", endpoint.uri, "--db", db_url)
    assert (code, out) == (0, f"test page printed on {endpoint.uri}\n")
    assert qr_codes(picture_of(endpoint.wait_for_jobs(1)[0])) == ["LOBBY-TEST"]
    code, out, _ = run(capsys, "print", "--status", "--printer", endpoint.uri, "--json")
    assert code == 0
    assert json.loads(out) == {
        "printer": endpoint.uri, "state": "ready", "online": True, "paper": "ok", "detail": "",
    }  # fmt: skip
    code, out, _ = run(capsys, "print", "--status", "--printer", endpoint.uri)
    assert (code, out) == (0, f"{endpoint.uri}: 打印机正常 / ready\n")


def test_cli_test_page_before_the_branch_exists(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOBBY_PRINTER", f"png://{tmp_path / 'out'}")
    code, _, err = run(capsys, "print", "--test", "--db", f"sqlite:///{tmp_path / 'none.db'}")
    assert (code, err) == (0, "")
    assert (tmp_path / "out" / "test-page.png").exists()


def test_cli_printer_failure_exits_5_in_one_line_and_keeps_the_ticket(
    capsys: pytest.CaptureFixture[str], db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    run(capsys, "issue", "cash", "--db", db_url)
    with closed_port() as uri:
        monkeypatch.setenv("LOBBY_PRINTER", uri)
        code, out, err = run(capsys, "print", "A001", "--db", db_url)
    assert (code, out) == (5, "")
    assert err.count("\n") == 1
    assert err.startswith("lobby print: 无法连接打印机 / printer unreachable (")
    assert "A001 is still valid, reprint it" in err
    assert state_in(db_url, "A001") == "waiting"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--test", "--printer", "lpt1"], "bad printer address ('lpt1': not a printer address"),
        (["--test", "--printer", "none"], "no printer configured"),
        (["--test"], "no printer configured"),
        (["A001", "--test", "--printer", "png:///tmp/x"], "give a ticket NUMBER, --test"),
        ([], "give a ticket NUMBER, --test"),
    ],
)
def test_cli_bad_requests_exit_2_in_one_line(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str, tmp_path: Path
) -> None:
    code, out, err = run(capsys, "print", *argv, "--db", f"sqlite:///{tmp_path / 'x.db'}")
    assert (code, out) == (2, "")
    assert err.count("\n") == 1
    assert message in err


def test_cli_unknown_ticket(
    capsys: pytest.CaptureFixture[str], db_url: str, endpoint: PrinterEndpoint
) -> None:
    code, _, err = run(capsys, "print", "Z999", "--printer", endpoint.uri, "--db", db_url)
    assert code == 2
    assert "no ticket Z999 today" in err


def test_cli_issue_prints_after_the_commit(
    capsys: pytest.CaptureFixture[str], db_url: str, endpoint: PrinterEndpoint
) -> None:
    code, out, err = run(
        capsys, "issue", "cash", "--printer", endpoint.uri, "--db", db_url, "--json"
    )
    assert (code, err) == (0, "")
    issued = json.loads(out)
    assert qr_codes(picture_of(endpoint.wait_for_jobs(1)[0])) == [issued["code"]]


def test_cli_issue_with_printer_offline_keeps_and_shows_the_ticket(
    capsys: pytest.CaptureFixture[str], db_url: str
) -> None:
    with closed_port() as uri:
        code, out, err = run(capsys, "issue", "cash", "--printer", uri, "--db", db_url)
    assert code == 5
    assert out.startswith("A001  个人现金业务 Personal cash  waiting")
    assert err.count("\n") == 1
    assert "printer unreachable" in err
    assert state_in(db_url, "A001") == "waiting"


@pytest.mark.parametrize("uri", ["bogus://x", "tcp://", "usb://epson", "lpt1"])
def test_cli_issue_refuses_a_bad_printer_address_before_the_commit(
    capsys: pytest.CaptureFixture[str], db_url: str, uri: str
) -> None:
    code, out, err = run(capsys, "issue", "cash", "--printer", uri, "--db", db_url)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1
    assert "bad printer address" in err
    engine_ = create_engine(db_url)
    with engine_.connect() as conn:
        assert conn.scalar(select(func.count(Ticket.id))) == 0  # nothing was written
    engine_.dispose()


def test_cli_issue_to_a_printer_that_never_answers_status_prints_it_whole(
    capsys: pytest.CaptureFixture[str], db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOBBY_PRINTER_TIMEOUT_S", str(TIMEOUT_S))
    with PrinterEndpoint("silent") as silent:
        code, out, err = run(
            capsys, "issue", "cash", "--printer", silent.uri, "--db", db_url, "--json"
        )
        (job,) = silent.wait_for_jobs(1)
    assert (code, err) == (0, "")
    issued = json.loads(out)
    commands = decode(job)  # decodes to the end: nothing cut short
    assert [c.name for c in commands][-2:] == ["feed", "cut"]
    assert qr_codes(printed_picture(commands)) == [issued["code"]]
