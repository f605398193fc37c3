"""Complaint receipts end to end: filed complaint -> receipt layout -> ESC/POS -> 127.0.0.1.

The printer endpoint captures the job; it is decoded back to a picture, compared
with the receipt layout and its QR code read with zbar.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PIL import Image
from pyzbar.pyzbar import decode as read_codes

from devices.printer import PrinterOffline, PrintQueue, open_printer
from devices.printer.layout import PAPER_DOTS, render_receipt
from lobby import engine
from lobby.db import Database
from lobby.errors import NotFound
from lobby.receipt_print import PrintableReceipt, printable_receipt
from tests.escpos_decoder import decode, printed_picture
from tests.helpers import ManualClock, actor
from tests.printer_endpoint import OFFLINE, PrinterEndpoint

TIMEOUT_S = 0.5


@pytest.fixture(autouse=True, scope="module")
def _escpos_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """python-escpos caches its printer database here, not in the user's cache."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ESCPOS_CAPABILITIES_PICKLE_DIR", str(tmp_path_factory.mktemp("escpos")))
        yield


def file_complaint(db: Database, *, contact: str | None = "13900001234") -> PrintableReceipt:
    with db.unit_of_work(actor("G01")) as uow:
        reference = engine.file_complaint(
            uow,
            category="waiting",
            description="等了一个小时，没有任何说明",
            contact=contact,
            wished_follow_up="phone" if contact else "none",
        )
    with db.read() as session:
        return printable_receipt(session, reference.lower())  # as typed: any case


def qr_codes(picture: Image.Image) -> list[str]:
    return [code.data.decode() for code in read_codes(picture)]


def test_receipt_content_comes_from_the_complaint_in_branch_time(
    db: Database, clock: ManualClock
) -> None:
    receipt = file_complaint(db)
    assert receipt.reference.startswith("C20261123-")
    assert (receipt.category_zh, receipt.category_en) == ("等候时间", "Waiting time")
    assert (receipt.follow_up_zh, receipt.follow_up_en) == ("电话回访", "by phone")
    assert receipt.contact_masked == "139****1234"
    assert receipt.filed_local == clock.now()
    assert receipt.filed_local.utcoffset().total_seconds() == 8 * 3600  # type: ignore[union-attr]
    assert receipt.answer_due_local.date() == date(2026, 11, 26)  # the policy's three days
    assert receipt.number == receipt.reference
    with db.read() as session, pytest.raises(NotFound, match="no complaint"):
        printable_receipt(session, "C20261123-0000")


@pytest.mark.parametrize("width_mm", [58, 80])
def test_receipt_prints_on_a_network_printer_and_reads_back(
    db: Database, width_mm: int, tmp_path: Path
) -> None:
    receipt = file_complaint(db)
    with PrinterEndpoint() as endpoint:
        printer = open_printer(endpoint.uri, paper_width_mm=width_mm, timeout_s=TIMEOUT_S)
        with PrintQueue(printer) as queue:
            queue.print_receipt(receipt).result(timeout=10)
        (job,) = endpoint.wait_for_jobs(1)
        assert endpoint.errors == []
    commands = decode(job)
    names = [c.name for c in commands]
    assert names[:3] == ["status", "status", "init"]
    assert names[-3:] == ["feed", "cut", "status"]
    picture = printed_picture(commands)
    picture.save(tmp_path / f"receipt_{width_mm}mm.png")
    assert picture.tobytes() == render_receipt(receipt, PAPER_DOTS[width_mm]).tobytes()
    assert qr_codes(picture) == [receipt.reference]


def test_an_offline_printer_names_the_receipt_to_print_again(db: Database) -> None:
    receipt = file_complaint(db, contact=None)
    with PrinterEndpoint(online=OFFLINE) as endpoint:
        printer = open_printer(endpoint.uri, timeout_s=TIMEOUT_S)
        with pytest.raises(PrinterOffline) as caught:
            printer.print_receipt(receipt)
    assert caught.value.ticket == receipt.reference
    assert receipt.reference in str(caught.value)


def test_png_printer_writes_the_receipt_under_its_reference(db: Database, tmp_path: Path) -> None:
    receipt = file_complaint(db)
    folder = tmp_path / "paper"
    open_printer(f"png://{folder}", paper_width_mm=80).print_receipt(receipt)
    with Image.open(folder / f"{receipt.reference}.png") as saved:
        assert saved.size[0] == 576
        assert saved.convert("1").tobytes() == render_receipt(receipt, 576).tobytes()
        assert qr_codes(saved) == [receipt.reference]
