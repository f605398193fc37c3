"""The ticket as a picture: what goes where on 58 mm and 80 mm paper.

Everything, Chinese included, is drawn with the font that ships with Lobby and
sent as a raster image, because printers' built-in Chinese code pages differ.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import qrcode  # type: ignore[import-untyped]
from PIL import Image
from qrcode.image.pil import PilImage  # type: ignore[import-untyped]

from devices.printer.canvas import Column
from devices.printer.text import font
from lobby.errors import ConfigError
from lobby.receipt_print import PrintableReceipt
from lobby.ticket_print import UNSERVED_EN, UNSERVED_ZH, PrintableTicket

#: Printable width in dots (203 dpi heads) for each paper width in millimetres.
PAPER_DOTS = {58: 384, 80: 576}


@dataclass(frozen=True)
class Sizes:
    """Type sizes and spacing in dots for one paper width."""

    margin: int
    branch_zh: int
    branch_en: int
    number: int
    service_zh: int
    service_en: int
    body: int
    small: int
    qr_box: int


SIZES = {
    576: Sizes(margin=16, branch_zh=30, branch_en=22, number=200, service_zh=40,
               service_en=26, body=26, small=22, qr_box=6),
    384: Sizes(margin=8, branch_zh=26, branch_en=19, number=150, service_zh=32,
               service_en=22, body=22, small=19, qr_box=5),
}  # fmt: skip


def paper_dots(width_mm: int) -> int:
    """The printable width in dots of paper ``width_mm`` wide.

    Raises:
        ConfigError: A paper width other than 58 or 80 mm.
    """
    try:
        return PAPER_DOTS[width_mm]
    except KeyError:
        raise ConfigError(
            f"纸宽只能是 58 或 80 毫米 / paper width must be 58 or 80 mm, not {width_mm}"
        ) from None


def render_ticket(ticket: PrintableTicket, width: int) -> Image.Image:
    """Draw ``ticket`` as a 1-bit image exactly ``width`` dots wide.

    Top to bottom: branch, the number in huge type, service in Chinese and English,
    people ahead and the expected wait, time of issue, documents to bring, the QR
    code of ``ticket.code``, the notice.
    """
    s = SIZES[width]
    col = Column(width, s.margin)
    col.space(s.margin)
    col.text(ticket.branch_zh, s.branch_zh, bold=True)
    col.text(ticket.branch_en, s.branch_en)
    col.rule()
    col.big(ticket.number, height=s.number)
    col.space(s.body // 2)
    col.text(ticket.service_zh, s.service_zh, bold=True)
    col.text(ticket.service_en, s.service_en)
    col.rule()
    if ticket.unserved:  # no number and no "you're next": nobody would call it
        if ticket.ahead:
            _pair(col, f"前面还有 {ticket.ahead} 人", f"{ticket.ahead} ahead of you", s.body)
        _pair(col, UNSERVED_ZH, UNSERVED_EN, s.body)
        wait = None
    else:
        _pair(col, f"前面还有 {ticket.ahead} 人", f"{ticket.ahead} ahead of you", s.body)
        wait = _wait(ticket)
    if wait is not None:
        _pair(col, wait[0], wait[1], s.body)
    col.text(f"取号时间 / Issued: {ticket.issued_local:%Y-%m-%d %H:%M}", s.small)
    if ticket.documents:
        col.rule(1)
        col.text("请携带 / Please bring:", s.body, align="left", bold=True)
        bullet = "• "
        hang = _width(bullet, s.body)
        for zh, en in ticket.documents:
            line = f"{bullet}{zh}  {en}"
            if _width(line, s.body) <= col.inner:
                col.text(line, s.body, align="left")
            else:  # English on a line of its own rather than broken after the Chinese
                col.text(f"{bullet}{zh}", s.body, align="left", indent=hang, first_indent=0)
                col.text(en, s.body, align="left", indent=hang)
    col.space(s.body // 2)
    col.picture(qr_image(ticket.code, s.qr_box))
    col.text(ticket.notice_zh, s.small)
    col.text(ticket.notice_en, s.small)
    col.space(s.margin)
    return col.render()


def render_receipt(receipt: PrintableReceipt, width: int) -> Image.Image:
    """Draw a complaint receipt as a 1-bit image exactly ``width`` dots wide.

    Top to bottom: branch, "complaint receipt", the reference in large type, the
    category, the wished answer and the contact, when it was filed, the date the
    branch will answer by (bold: the promise), the QR code of the reference, the notice.
    """
    s = SIZES[width]
    col = Column(width, s.margin)
    col.space(s.margin)
    col.text(receipt.branch_zh, s.branch_zh, bold=True)
    col.text(receipt.branch_en, s.branch_en)
    col.rule()
    col.text("投诉受理回执", s.service_zh, bold=True)
    col.text("Complaint receipt", s.service_en)
    col.rule()
    col.text("受理编号 / Reference", s.small)
    col.big(receipt.reference, height=s.number // 3)
    col.space(s.body // 2)
    _pair(col, f"投诉类别：{receipt.category_zh}", f"Category: {receipt.category_en}", s.body)
    _pair(col, f"答复方式：{receipt.follow_up_zh}", f"Answer: {receipt.follow_up_en}", s.body)
    if receipt.contact_masked:
        col.text(f"联系电话 / Phone: {receipt.contact_masked}", s.body)
    col.text(f"受理时间 / Filed: {receipt.filed_local:%Y-%m-%d %H:%M}", s.small)
    col.rule(1)
    due = receipt.answer_due_local
    col.text(f"我们将于 {due:%Y-%m-%d} 前答复您", s.body, bold=True)
    col.text(f"We will answer you by {due:%Y-%m-%d}", s.body, bold=True)
    col.space(s.body // 2)
    col.picture(qr_image(receipt.qr or receipt.reference, s.qr_box))
    col.text(receipt.notice_zh, s.small)
    col.text(receipt.notice_en, s.small)
    col.space(s.margin)
    return col.render()


def render_test_page(branch_zh: str, branch_en: str, width: int, printed: datetime) -> Image.Image:
    """Draw a test page: edges of the printable width, both languages, a QR code."""
    s = SIZES[width]
    col = Column(width, s.margin)
    col.picture(_ruler(width), edge_to_edge=True)
    col.space(s.margin)
    col.text("打印机测试页 / Printer test page", s.service_en, bold=True)
    col.text(branch_zh, s.branch_zh, bold=True)
    col.text(branch_en, s.branch_en)
    col.rule()
    col.big("A000", height=s.number // 2)
    col.space(s.body // 2)
    mm = next(mm for mm, dots in PAPER_DOTS.items() if dots == width)
    _pair(col, f"纸宽 {mm} 毫米，每行 {width} 点", f"paper {mm} mm, {width} dots a line", s.small)
    col.text(f"{printed:%Y-%m-%d %H:%M:%S}", s.small)
    col.text("中文字体：身份证 银行卡或存折 开户销户 理财咨询", s.body, align="left")
    col.text(
        "English: The quick brown fox jumps over the lazy dog 0123456789", s.body, align="left"
    )
    col.space(s.body // 2)
    col.picture(qr_image("LOBBY-TEST", s.qr_box))
    col.text("扫描二维码应读出 LOBBY-TEST / the QR code reads LOBBY-TEST", s.small)
    col.space(s.margin)
    col.picture(_ruler(width), edge_to_edge=True)
    return col.render()


def qr_image(content: str, box: int) -> Image.Image:
    """``content`` as a QR code, ``box`` dots per module, with the standard quiet zone."""
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        box_size=box,
        border=4,
        image_factory=PilImage,
    )
    code.add_data(content)
    code.make(fit=True)
    picture: Image.Image = code.make_image().get_image()
    return picture.convert("1")


def _wait(ticket: PrintableTicket) -> tuple[str, str] | None:
    """The expected wait as Chinese and English text, or None when there is no wait."""
    low, high = ticket.wait_low_min, ticket.wait_high_min
    if ticket.ahead == 0 or high <= 0:
        return None
    if low == high:
        return f"预计等候约 {high} 分钟", f"about {high} min"
    return f"预计等候 {low}–{high} 分钟", f"about {low}–{high} min"


def _pair(col: Column, zh: str, en: str, size: int) -> None:
    """Chinese and English on one line when they fit, else on two."""
    together = f"{zh} / {en}"
    if _width(together, size) <= col.inner:
        col.text(together, size)
    else:
        col.text(zh, size)
        col.text(en, size)


def _width(text: str, size: int) -> int:
    return int(font(size).getlength(text))


def _ruler(width: int) -> Image.Image:
    """Tick marks every 8 dots, longer every 64, reaching both edges of the paper."""
    ruler = Image.new("1", (width, 24), 1)
    for x in range(0, width, 8):
        tall = 24 if x % 64 == 0 else 10
        ruler.paste(0, (x, 0, x + 1, tall))
    ruler.paste(0, (width - 1, 0, width, 24))
    ruler.paste(0, (0, 22, width, 24))
    return ruler
