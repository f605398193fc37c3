"""The printed ticket without a printer or a database: exact bytes, layout, wrapping.

The golden files hold the complete ESC/POS job for a fixed ticket. They change
when the layout, the font, Pillow's rasteriser or python-escpos change; after
checking the new picture (a mismatch leaves ``*.actual.escpos`` and ``*.actual.png``
next to the golden file), regenerate them with::

    .venv/bin/python -c "from tests.unit.test_printer_layout import write_golden; write_golden()"
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PIL import Image
from pyzbar.pyzbar import decode as read_codes

from devices.printer.escpos_job import raster_job
from devices.printer.layout import PAPER_DOTS, SIZES, render_test_page, render_ticket
from devices.printer.text import font, wrap
from lobby.ticket_print import PrintableTicket
from tests.escpos_decoder import decode, printed_picture

pytestmark = pytest.mark.devices

GOLDEN = Path(__file__).resolve().parent.parent / "data" / "golden"

FIXED_TICKET = PrintableTicket(
    branch_zh="示范银行 上海人民广场支行",
    branch_en="Demo Bank, People's Square Sub-branch",
    number="A012",
    service_zh="个人现金业务",
    service_en="Personal cash",
    ahead=7,
    wait_low_min=9,
    wait_high_min=17,
    issued_local=datetime(2026, 11, 23, 10, 4, tzinfo=ZoneInfo("Asia/Shanghai")),
    documents=(("身份证", "ID card"), ("银行卡或存折", "Bank card or passbook")),
    code="LOBBY:SH-0101:20261123:A012:K7Q2M3XP",
)

LONG_TICKET = replace(
    FIXED_TICKET,
    number="VP123",
    branch_en="Demo Bank of Extraordinarily Long Names, People's Square Sub-branch, Huangpu",
    service_zh="个人外汇结售汇及跨境汇款业务（含境外留学、旅游、探亲及其他经常项目）咨询与办理",
    service_en=(
        "Personal foreign exchange purchase and settlement, cross-border remittances "
        "(study abroad, travel, family visits and other current-account items): "
        "consultation and processing, internationalisation-antidisestablishmentarianism"
    ),
    documents=tuple(
        (f"证明材料第{n}项：本人有效身份证件原件及复印件", f"Document {n}: original ID and a copy")
        for n in range(1, 9)
    ),
)


@pytest.fixture(autouse=True, scope="module")
def _escpos_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """python-escpos caches its printer database here, not in the user's cache."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ESCPOS_CAPABILITIES_PICKLE_DIR", str(tmp_path_factory.mktemp("escpos")))
        yield


def golden_path(width_mm: int) -> Path:
    return GOLDEN / f"ticket_{width_mm}mm.escpos"


def golden_job(width_mm: int) -> bytes:
    """The job for FIXED_TICKET, as the adapter sends it."""
    dots = PAPER_DOTS[width_mm]
    return raster_job(render_ticket(FIXED_TICKET, dots), dots)


def write_golden() -> None:
    """Regenerate the golden files (see the module docstring)."""
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for width_mm in PAPER_DOTS:
        golden_path(width_mm).write_bytes(golden_job(width_mm))


@pytest.mark.parametrize("width_mm", [58, 80])
def test_job_bytes_match_the_golden_file(width_mm: int) -> None:
    actual = golden_job(width_mm)
    expected = golden_path(width_mm).read_bytes()
    if actual != expected:
        stem = golden_path(width_mm).with_suffix("")
        stem.with_suffix(".actual.escpos").write_bytes(actual)
        printed_picture(decode(actual)).save(stem.with_suffix(".actual.png"))
        first = next(
            (i for i, (a, b) in enumerate(zip(actual, expected, strict=False)) if a != b),
            min(len(actual), len(expected)),
        )
        pytest.fail(
            f"{width_mm} mm job differs from {golden_path(width_mm).name} at byte {first} "
            f"({len(actual)} bytes, golden {len(expected)}); see {stem.name}.actual.*"
        )


@pytest.mark.parametrize("width_mm", [58, 80])
def test_job_is_init_raster_feed_cut(width_mm: int) -> None:
    commands = decode(golden_job(width_mm))
    names = [c.name for c in commands]
    assert names[0] == "init"
    assert names[-2:] == ["feed", "cut"]
    assert set(names[1:-2]) == {"raster"}
    picture = printed_picture(commands)
    assert picture.width == PAPER_DOTS[width_mm]
    # the job prints exactly the rendered ticket
    rendered = render_ticket(FIXED_TICKET, PAPER_DOTS[width_mm])
    assert picture.tobytes() == rendered.tobytes()


@pytest.mark.parametrize("dots", [384, 576])
def test_qr_code_reads_back_as_the_ticket_code(dots: int) -> None:
    codes = read_codes(render_ticket(FIXED_TICKET, dots))
    assert [c.data.decode() for c in codes] == [FIXED_TICKET.code]


def ink_box(picture: Image.Image) -> tuple[int, int, int, int] | None:
    """Bounding box of the black dots."""
    return picture.convert("L").point(lambda v: 255 - v).getbbox()


@pytest.mark.parametrize("dots", [384, 576])
def test_long_texts_wrap_inside_the_margins(dots: int) -> None:
    short = render_ticket(FIXED_TICKET, dots)
    long = render_ticket(LONG_TICKET, dots)
    assert long.width == dots
    box = ink_box(long)
    assert box is not None
    margin = SIZES[dots].margin
    assert box[0] >= margin
    assert box[2] <= dots - margin
    assert long.height > short.height + 8 * SIZES[dots].body  # it wrapped, nothing dropped
    assert [c.data.decode() for c in read_codes(long)] == [LONG_TICKET.code]


@pytest.mark.parametrize("size", [19, 26, 40])
@pytest.mark.parametrize(
    "text",
    [
        LONG_TICKET.service_zh,
        LONG_TICKET.service_en,
        "• " + LONG_TICKET.documents[0][0] + "  " + LONG_TICKET.documents[0][1],
        "取款2万元以下请使用大厅ATM，For withdrawals under 20,000 yuan please use the ATM",
    ],
)
def test_wrapped_lines_fit_and_keep_every_character(text: str, size: int) -> None:
    face = font(size)
    width = 368
    lines = wrap(text, face, width)
    assert len(lines) > 1
    assert all(face.getlength(line) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    # Chinese punctuation never starts a line; English breaks between words when it can
    assert not any(line[:1] in "，。、：）" for line in lines)


def test_english_breaks_between_words() -> None:
    notice = "Please listen for your number; a missed call needs a new ticket"
    lines = wrap(notice, font(22), 300)
    assert len(lines) > 1
    assert " ".join(lines) == notice


def test_no_wait_line_when_nobody_is_ahead() -> None:
    first = replace(FIXED_TICKET, ahead=0, wait_low_min=0, wait_high_min=0)
    assert render_ticket(first, 576).height < render_ticket(FIXED_TICKET, 576).height


@pytest.mark.parametrize("dots", [384, 576])
def test_test_page_reaches_both_edges_and_has_a_qr_code(dots: int) -> None:
    page = render_test_page("示范银行", "Demo Bank", dots, datetime(2026, 11, 23, 10, 0))
    box = ink_box(page)
    assert box is not None
    assert (box[0], box[2]) == (0, dots)
    assert [c.data.decode() for c in read_codes(page)] == ["LOBBY-TEST"]


def test_decoder_reads_python_escpos_column_images() -> None:
    from escpos.printer import Dummy

    picture = render_ticket(FIXED_TICKET, 384).crop((0, 0, 384, 100))
    printer = Dummy()
    printer.profile.profile_data = {
        **printer.profile.profile_data,
        "media": {"width": {"pixels": 384, "mm": 58}},
    }
    printer.image(picture, impl="bitImageColumn")
    decoded = printed_picture(decode(printer.output))
    assert decoded.crop((0, 0, 384, 100)).tobytes() == picture.tobytes()
