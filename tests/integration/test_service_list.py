"""The service list the greeter shows first: services in order, documents, machines, queues."""

from __future__ import annotations

from lobby import engine
from lobby.db import Database
from lobby.queries.service_list import read_service_list
from tests.helpers import ManualClock, actor


def test_services_come_in_display_order_with_documents_and_machines(
    db: Database, clock: ManualClock
) -> None:
    with db.read() as session:
        listed = read_service_list(session, clock.now())
    assert listed.branch_en.startswith("Demo Bank")
    assert listed.complaint_answer_days == 3
    codes = [s.code for s in listed.services]
    assert codes[:3] == ["cash", "account", "wealth"]
    assert len(codes) == 8
    cash = listed.service("cash")
    assert cash is not None
    assert (cash.prefix, cash.name_en) == ("A", "Personal cash")
    assert "id_card" in [d.key for d in cash.documents]
    assert cash.self_service
    assert "ATM" in (cash.self_service_en or "")
    wealth = listed.service("wealth")
    assert wealth is not None
    assert not wealth.self_service
    assert listed.service("nosuch") is None
    assert all(s.waiting == 0 for s in listed.services)


def test_queues_count_todays_waiting_tickets(db: Database, clock: ManualClock) -> None:
    with db.unit_of_work(actor("G01")) as uow:
        for _ in range(3):
            engine.issue_ticket(uow, "account")
    clock.advance(minutes=5)
    with db.read() as session:
        listed = read_service_list(session, clock.now())
    account = listed.service("account")
    assert account is not None
    assert account.waiting == 3
    assert 0 <= account.wait_low_min <= account.wait_high_min
    # the next business day starts empty
    clock.advance(minutes=24 * 60)
    with db.read() as session:
        assert read_service_list(session, clock.now()).service("account").waiting == 0  # type: ignore[union-attr]
