"""``lobby web`` over real HTTP on both backends: the pages, refusals, languages, privacy."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx

from lobby import engine
from lobby.complaints import move_complaint
from lobby.complaints.public import complaint_link, signed_reference
from lobby.db import Database
from lobby.models import Branch
from lobby.ticket_code import encode
from tests.helpers import ManualClock, actor

PHONE = "13812345678"


def secret_of(db: Database) -> str:
    with db.read() as session:
        return session.get_one(Branch, 1).secret


def issue(db: Database, service: str = "cash", **details: str) -> str:
    with db.unit_of_work(actor("G01")) as uow:
        return engine.issue_ticket(uow, service, **details).code  # type: ignore[arg-type]


def test_ticket_page_in_the_phones_language(db: Database, web: str) -> None:
    issue(db)
    code = issue(db, phone=PHONE)
    en = httpx.get(f"{web}/t/{code}", headers={"accept-language": "en-GB,en;q=0.9,zh;q=0.5"})
    zh = httpx.get(f"{web}/t/{code}", headers={"accept-language": "zh-CN,zh;q=0.9,en;q=0.8"})
    assert en.status_code == zh.status_code == 200
    assert '<html lang="en">' in en.text
    assert "A002" in en.text
    assert "Personal cash" in en.text
    assert "1 ahead of you" in en.text
    assert '<html lang="zh-CN">' in zh.text
    assert "前面还有 1 位" in zh.text
    assert "个人现金" in zh.text
    for page in (en.text, zh.text):
        assert PHONE not in page
        assert PHONE[-4:] not in page


def test_language_switch_is_remembered(db: Database, web: str) -> None:
    code = issue(db)
    with httpx.Client(base_url=web) as client:
        first = client.get(f"/t/{code}?lang=en", headers={"accept-language": "zh-CN"})
        assert first.cookies.get("lobby_lang") == "en"
        again = client.get(f"/t/{code}", headers={"accept-language": "zh-CN"})
    assert '<html lang="en">' in again.text


def test_page_follows_the_ticket_through_its_day(db: Database, web: str) -> None:
    code = issue(db)
    url = f"{web}/t/{code}?lang=en"
    assert "Waiting" in httpx.get(url).text
    with db.unit_of_work(actor("T01")) as uow:
        engine.set_counter_status(uow, 3, "open")
        engine.call_next(uow, 3)
    assert "Please go to counter 3" in httpx.get(url).text
    with db.unit_of_work(actor("T01")) as uow:
        engine.start(uow, 3)
    assert "Being served at counter 3" in httpx.get(url).text
    with db.unit_of_work(actor("T01")) as uow:
        engine.finish(uow, 3)
    assert "All done" in httpx.get(url).text


def test_missed_and_cancelled(db: Database, web: str) -> None:
    missed, cancelled = issue(db), issue(db)
    with db.unit_of_work(actor("T01")) as uow:
        engine.set_counter_status(uow, 1, "open")
        engine.call_next(uow, 1)
        engine.no_show(uow, 1)
        engine.cancel(uow, "A002")
    assert "called and missed" in httpx.get(f"{web}/t/{missed}?lang=en").text
    assert "cancelled" in httpx.get(f"{web}/t/{cancelled}?lang=en").text


def test_forged_foreign_expired_and_unknown_codes_get_a_friendly_refusal(
    db: Database, web: str, clock: ManualClock
) -> None:
    code = issue(db)
    secret = secret_of(db)
    today = clock.now().date()
    forged = code[:-1] + ("A" if code[-1] != "A" else "B")
    foreign = encode(secret, "BJ-0001", today, "A001")
    yesterday = encode(secret, "SH-0101", today - timedelta(days=1), "A001")
    unknown = encode(secret, "SH-0101", today, "A099")
    for bad, status, words in (
        (forged, 403, "does not check out"),
        (foreign, 403, "does not check out"),
        ("not-a-code", 403, "does not check out"),
        (yesterday, 404, "expired"),
        (unknown, 404, "No such ticket"),
    ):
        response = httpx.get(f"{web}/t/{bad}?lang=en")
        assert response.status_code == status, bad
        assert words in response.text
        assert "<h1>This ticket cannot be shown</h1>" in response.text


def test_the_page_of_an_expired_day(db: Database, web: str, clock: ManualClock) -> None:
    code = issue(db)
    clock.advance(minutes=24 * 60)
    response = httpx.get(f"{web}/t/{code}?lang=en")
    assert response.status_code == 404
    assert "expired" in response.text


def test_every_response_keeps_the_code_to_lobby(db: Database, web: str) -> None:
    code = issue(db)
    response = httpx.get(f"{web}/t/{code}")
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "default-src 'self'" in response.headers["content-security-policy"]
    links = re.findall(r'(?:src|href)="([^"]*)"', response.text)
    assert links
    assert all(link.startswith("/") and not link.startswith("//") for link in links)
    for asset in ("/static/lobby.css", "/static/ticket.js", "/static/display.js"):
        assert httpx.get(f"{web}{asset}").status_code == 200
    assert httpx.get(f"{web}/sounds/chime.wav").content[:4] == b"RIFF"
    missing = httpx.get(f"{web}/nothing-here?lang=en")
    assert missing.status_code == 404
    assert "There is no such page" in missing.text


def test_complaint_page_shows_status_and_answer_date_never_the_complaint(
    db: Database, web: str
) -> None:
    with db.unit_of_work(actor("G01")) as uow:
        reference = engine.file_complaint(
            uow, category="waiting", description="等了一个小时 waited an hour", contact=PHONE
        )
    secret = secret_of(db)
    link = complaint_link(web, secret, reference)
    assert link == f"{web}/c/{signed_reference(secret, reference)}"
    page = httpx.get(f"{link}?lang=en")
    assert page.status_code == 200
    assert reference in page.text
    assert "Received" in page.text
    assert "We answer by" in page.text
    assert PHONE not in page.text
    assert "waited an hour" not in page.text
    with db.unit_of_work(actor("M01")) as uow:
        move_complaint(uow, reference, "resolved", resolution="道歉并增开窗口 Apologised")
    resolved = httpx.get(f"{link}?lang=zh")
    assert "已处理" in resolved.text
    assert "道歉并增开窗口" in resolved.text
    assert httpx.get(f"{web}/c/{reference}").status_code == 403
    assert httpx.get(f"{web}/c/{reference}.AAAAAAAA").status_code == 403
    other = signed_reference(secret, "C20261123-0000")
    assert httpx.get(f"{web}/c/{other}").status_code == 404


def test_display_page_shows_the_board_bilingual(db: Database, web: str) -> None:
    issue(db, phone=PHONE)
    with db.unit_of_work(actor("T01")) as uow:
        engine.set_counter_status(uow, 2, "open")
        engine.call_next(uow, 2)
    page = httpx.get(f"{web}/display")
    assert page.status_code == 200
    assert "A001" in page.text
    assert "2 号窗口" in page.text
    assert "Counter 2" in page.text
    assert PHONE not in page.text


def test_the_teller_calls_a_ticket_by_its_scanned_link(db: Database, web: str) -> None:
    code = issue(db)
    issue(db)
    with db.unit_of_work(actor("T01")) as uow:
        engine.set_counter_status(uow, 1, "open")
        called = engine.call_ticket(uow, 1, f"{web}/t/{code}")
    assert called.number == "A001"
