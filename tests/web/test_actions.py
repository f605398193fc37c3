"""The customer's actions over real HTTP on both backends: on my way, cancel, rate."""

from __future__ import annotations

import re

import httpx
from sqlalchemy import select

from lobby import engine
from lobby.db import Database
from lobby.models import Event, Rating, Ticket
from lobby.queries.counter_view import counter_overview
from tests.helpers import ManualClock, actor


def issue(db: Database) -> str:
    with db.unit_of_work(actor("M01")) as uow:
        return engine.issue_ticket(uow, "cash").code


def token(page: str) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', page)
    assert found is not None, "the page has no form"
    return found.group(1)


def open_counter(db: Database, counter: int = 1) -> None:
    with db.unit_of_work(actor("T01")) as uow:
        engine.set_counter_status(uow, counter, "open")


def test_on_my_way_is_shown_to_the_teller_once_per_call(
    db: Database, web: str, clock: ManualClock
) -> None:
    code = issue(db)
    open_counter(db)
    with db.unit_of_work(actor("T01")) as uow:
        engine.call_next(uow, 1)
    url = f"{web}/t/{code}"
    page = httpx.get(f"{url}?lang=en").text
    assert "I&#39;m on my way" in page
    sent = httpx.post(f"{url}/on-my-way", data={"csrf": token(page)})
    assert sent.status_code == 303
    assert sent.headers["location"] == f"/t/{code}"
    assert "The counter knows you are on your way" in httpx.get(f"{url}?lang=en").text
    with db.read() as session:
        view = counter_overview(session, 1, clock.now())
        kinds = session.scalars(select(Event.kind).order_by(Event.id.desc()).limit(1)).all()
    assert view.on_the_way_at is not None
    assert kinds == ["on_the_way"]
    again = httpx.post(f"{url}/on-my-way?lang=en", data={"csrf": token(page)})
    assert again.status_code == 409
    assert "That did not work" in again.text


def test_a_post_without_the_pages_token_or_from_another_site_is_refused(
    db: Database, web: str
) -> None:
    code = issue(db)
    url = f"{web}/t/{code}"
    page = httpx.get(url).text
    assert httpx.post(f"{url}/on-my-way", data={}).status_code == 403
    assert httpx.post(f"{url}/on-my-way", data={"csrf": "0" * 32}).status_code == 403
    elsewhere = httpx.post(
        f"{url}/on-my-way", data={"csrf": token(page)}, headers={"origin": "http://evil.test"}
    )
    assert elsewhere.status_code == 403
    assert httpx.post(f"{url}/reissue", data={"csrf": token(page)}).status_code == 404
    with db.read() as session:
        kinds = set(session.scalars(select(Event.kind)))
    assert "on_the_way" not in kinds


def test_cancel_asks_first_then_journals_it(db: Database, web: str) -> None:
    code = issue(db)
    url = f"{web}/t/{code}"
    confirm = httpx.get(f"{url}/cancel?lang=en")
    assert confirm.status_code == 200
    assert "Cancel this ticket?" in confirm.text
    with db.read() as session:
        assert session.scalars(select(Ticket.state)).one() == "waiting"  # asking changed nothing
    done = httpx.post(f"{url}/cancel", data={"csrf": token(confirm.text)})
    assert done.status_code == 303
    assert "This ticket was cancelled" in httpx.get(f"{url}?lang=en").text
    with db.read() as session:
        assert session.scalars(select(Ticket.state)).one() == "cancelled"
        kind, actor = session.execute(
            select(Event.kind, Event.actor).order_by(Event.id.desc()).limit(1)
        ).one()
    assert (kind, actor) == ("cancelled", "web")
    assert httpx.get(f"{url}/cancel").status_code in (200, 303)


def test_rating_after_service_lands_on_the_visit_once(db: Database, web: str) -> None:
    code = issue(db)
    open_counter(db)
    url = f"{web}/t/{code}"
    assert 'name="score"' not in httpx.get(url).text  # not before the service
    with db.unit_of_work(actor("T01")) as uow:
        engine.call_next(uow, 1)
        engine.start(uow, 1)
        engine.finish(uow, 1)
    page = httpx.get(f"{url}?lang=en").text
    assert "How was our service?" in page
    bad = httpx.post(f"{url}/rate", data={"csrf": token(page), "score": "9"})
    assert bad.status_code == 409
    sent = httpx.post(
        f"{url}/rate", data={"csrf": token(page), "score": "4", "comment": "快 quick"}
    )
    assert sent.status_code == 303
    with db.read() as session:
        rating = session.execute(select(Rating.score, Rating.comment, Rating.visit_id)).one()
        visit_id = session.scalars(select(Ticket.visit_id)).one()
    assert tuple(rating) == (4, "快 quick", visit_id)
    after = httpx.get(f"{url}?lang=en").text
    assert "Thank you for your rating" in after
    assert 'name="score"' not in after
    twice = httpx.post(f"{url}/rate", data={"csrf": token(page), "score": "1"})
    assert twice.status_code == 409


def test_a_missed_ticket_says_until_when_it_is_valid(
    db: Database, web: str, clock: ManualClock
) -> None:
    code = issue(db)
    open_counter(db)
    with db.unit_of_work(actor("T01")) as uow:
        engine.call_next(uow, 1)
        engine.no_show(uow, 1)
    # 10:00 in Shanghai, 15 minutes of grace by default
    assert "still valid until 10:15" in httpx.get(f"{web}/t/{code}?lang=en").text
    clock.advance(minutes=16)
    with db.unit_of_work(actor("M01")) as uow:  # any commit wakes the feed; the page reads afresh
        engine.issue_ticket(uow, "cash")
    late = httpx.get(f"{web}/t/{code}?lang=en").text
    assert "still valid" not in late
    assert "called and missed" in late


def test_near_turn_alert_at_the_configured_number_ahead(db: Database, web: str) -> None:
    codes = [issue(db) for _ in range(5)]
    far = httpx.get(f"{web}/t/{codes[4]}?lang=en").text  # 4 ahead, alert at 3
    near = httpx.get(f"{web}/t/{codes[3]}?lang=en").text
    assert "Nearly your turn" not in far
    assert "Nearly your turn: 3 ahead" in near
