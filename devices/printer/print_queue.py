"""Printing off the GUI thread: jobs run one after another on a worker thread."""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from types import TracebackType

from devices.printer.protocol import TicketPrinter
from devices.printer.status import PrinterStatus
from lobby.receipt_print import PrintableReceipt
from lobby.ticket_print import PrintableTicket


class PrintQueue:
    """Runs a printer's blocking calls on one worker thread, in submission order.

    Each call returns a :class:`~concurrent.futures.Future` at once. A failed print
    completes its future with the typed error (``future.exception()`` is a
    :class:`~devices.printer.errors.PrinterError` naming the ticket); the ticket
    itself is already committed and stays valid. Done-callbacks run on the worker
    thread: a Qt window forwards them to its own thread with a queued signal.
    """

    def __init__(self, printer: TicketPrinter) -> None:
        """Queue jobs for ``printer``; the queue owns it and closes it."""
        self._printer = printer
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lobby-printer")

    def print_ticket(self, ticket: PrintableTicket) -> Future[None]:
        """Print ``ticket`` after the jobs already queued."""
        return self._worker.submit(self._printer.print_ticket, ticket)

    def print_receipt(self, receipt: PrintableReceipt) -> Future[None]:
        """Print a complaint receipt after the jobs already queued."""
        return self._worker.submit(self._printer.print_receipt, receipt)

    def print_test_page(self, branch_zh: str, branch_en: str) -> Future[None]:
        """Print the test page after the jobs already queued."""
        return self._worker.submit(self._printer.print_test_page, branch_zh, branch_en)

    def status(self) -> Future[PrinterStatus]:
        """Ask for the printer's status after the jobs already queued."""
        return self._worker.submit(self._printer.status)

    def close(self, *, cancel_pending: bool = False) -> None:
        """Finish (or drop) the queued jobs, stop the worker and close the printer.

        Args:
            cancel_pending: Drop jobs that have not started instead of printing them.
        """
        self._worker.shutdown(wait=True, cancel_futures=cancel_pending)
        self._printer.close()

    def __enter__(self) -> PrintQueue:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
