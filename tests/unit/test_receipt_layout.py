"""The complaint receipt on paper, without a printer or a database: what it says and where.

The texts are checked by recording what the layout writes on its column; the
picture by its width, margins and QR code.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from PIL import Image
from pyzbar.pyzbar import decode as read_codes

from devices.printer.canvas import Column
from devices.printer.escpos_job import raster_job
from devices.printer.layout import SIZES, render_receipt, render_ticket
from lobby.receipt_print import PrintableReceipt
from tests.escpos_decoder import decode, printed_picture
from tests.unit.test_printer_layout import FIXED_TICKET

pytestmark = pytest.mark.devices

SHANGHAI = ZoneInfo("Asia/Shanghai")
FIXED_RECEIPT = PrintableReceipt(
    branch_zh="示范银行 上海人民广场支行",
    branch_en="Demo Bank, People's Square Sub-branch",
    reference="C20261123-7F3A",
    category_zh="等候时间",
    category_en="Waiting time",
    follow_up_zh="电话回访",
    follow_up_en="by phone",
    contact_masked="139****1234",
    filed_local=datetime(2026, 11, 23, 10, 4, tzinfo=SHANGHAI),
    answer_due_local=datetime(2026, 11, 26, 10, 4, tzinfo=SHANGHAI),
)


@pytest.fixture(autouse=True, scope="module")
def _escpos_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """python-escpos caches its printer database here, not in the user's cache."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ESCPOS_CAPABILITIES_PICKLE_DIR", str(tmp_path_factory.mktemp("escpos")))
        yield


def written(monkeypatch: pytest.MonkeyPatch, receipt: PrintableReceipt, dots: int) -> list[str]:
    """Every text the layout puts on paper, in order (large type included)."""
    lines: list[str] = []
    text, big = Column.text, Column.big

    def record_text(self: Column, value: str, size: int, **options: object) -> None:
        lines.append(value)
        text(self, value, size, **options)  # type: ignore[arg-type]

    def record_big(self: Column, value: str, *, height: int) -> None:
        lines.append(value)
        big(self, value, height=height)

    monkeypatch.setattr(Column, "text", record_text)
    monkeypatch.setattr(Column, "big", record_big)
    render_receipt(receipt, dots)
    return lines


def ink_box(picture: Image.Image) -> tuple[int, int, int, int] | None:
    return picture.convert("L").point(lambda v: 255 - v).getbbox()


@pytest.mark.parametrize("dots", [384, 576])
def test_receipt_says_reference_category_dates_in_both_languages(
    monkeypatch: pytest.MonkeyPatch, dots: int
) -> None:
    lines = written(monkeypatch, FIXED_RECEIPT, dots)
    page = "\n".join(lines)
    assert "投诉受理回执" in lines
    assert "Complaint receipt" in lines
    assert "C20261123-7F3A" in lines  # in large type, on a line of its own
    for part in ("等候时间", "Waiting time", "电话回访", "by phone", "139****1234"):
        assert part in page
    assert "2026-11-23 10:04" in page  # filed
    assert "我们将于 2026-11-26 前答复您" in lines
    assert "We will answer you by 2026-11-26" in lines
    # nothing of a ticket's layout
    for ticket_words in ("前面还有", "ahead", "预计等候", "取号时间", "Issued"):
        assert ticket_words not in page


def test_no_phone_line_without_a_contact(monkeypatch: pytest.MonkeyPatch) -> None:
    anonymous = replace(FIXED_RECEIPT, contact_masked=None, follow_up_zh="无需答复")
    page = "\n".join(written(monkeypatch, anonymous, 576))
    assert "Phone" not in page
    assert "无需答复" in page


@pytest.mark.parametrize("dots", [384, 576])
def test_receipt_fits_the_paper_and_its_qr_code_is_the_reference(dots: int) -> None:
    long = replace(
        FIXED_RECEIPT,
        branch_en="Demo Bank of Extraordinarily Long Names, People's Square Sub-branch, Huangpu",
        category_en="Facilities, including the waiting area, the toilets and the car park",
    )
    picture = render_receipt(long, dots)
    assert picture.width == dots
    box = ink_box(picture)
    assert box is not None
    assert box[0] >= SIZES[dots].margin
    assert box[2] <= dots - SIZES[dots].margin
    assert [c.data.decode() for c in read_codes(picture)] == [FIXED_RECEIPT.reference]
    assert picture.tobytes() != render_ticket(FIXED_TICKET, dots).tobytes()


@pytest.mark.parametrize("dots", [384, 576])
def test_receipt_job_is_init_raster_feed_cut(dots: int) -> None:
    picture = render_receipt(FIXED_RECEIPT, dots)
    commands = decode(raster_job(picture, dots))
    names = [c.name for c in commands]
    assert names[0] == "init"
    assert names[-2:] == ["feed", "cut"]
    assert set(names[1:-2]) == {"raster"}
    assert printed_picture(commands).tobytes() == picture.tobytes()
