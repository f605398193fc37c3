"""The console names who issued a ticket by role, never by an operating-system account."""

from __future__ import annotations

from lobby import engine
from lobby.db import Database
from lobby.enrolment import enrol_device
from lobby.queries.counter_view import counter_overview
from tests.helpers import ManualClock, actor


def test_issuer_is_the_greeter_or_a_device_never_an_os_account(
    db: Database, clock: ManualClock
) -> None:
    with db.unit_of_work(actor("M01")) as uow:
        kiosk = enrol_device(uow, "kiosk-2", "kiosk")
    # an operating-system account can no longer issue at all: every write is signed in
    for who, expected in (
        (actor("G01"), "迎宾 Greeter 大堂经理一 Greeter 1 (G01)"),
        (kiosk, "设备 Device kiosk-2"),
    ):
        with db.unit_of_work(who) as uow:
            number = engine.issue_ticket(uow, "cash").number
        with db.unit_of_work(actor("T01")) as uow:
            engine.call_ticket(uow, 1, number)
        with db.read() as session:
            issuer = counter_overview(session, 1, clock.now()).issuer
        assert issuer == expected
        assert "root" not in issuer
        with db.unit_of_work(actor("T01")) as uow:
            engine.finish(uow, 1)
