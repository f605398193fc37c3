"""The manager's app, driven through its widgets on a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from lobby import admin, engine
from lobby.db import Database
from lobby.errors import PinChangeRequired
from lobby.models import ComplaintNote, Event
from lobby.reports import build_report
from lobby.settings import Settings
from tests.gui.conftest import Console
from tests.helpers import ManualClock, actor, behind_the_engines_back, device
from ui.common.app import make_app
from ui.manager.main import bootstrap
from ui.manager.window import ManagerWindow

TODAY = date(2026, 11, 23)


class Manager:
    """A manager's app under test."""

    def __init__(self, qtbot: QtBot, db: Database) -> None:
        make_app(["test"])
        self.qtbot = qtbot
        self.window: ManagerWindow
        app = bootstrap(Settings(), db)
        self.window, self.feed, self.runner = app.window, app.feed, app.runner
        qtbot.addWidget(self.window)
        self.window.resize(1600, 900)
        self.window.show()

    def settle(self) -> None:
        self.qtbot.waitUntil(lambda: not self.runner.busy, timeout=20_000)

    def sign_in(self, staff: str = "M01", pin: str = "9999") -> None:
        self.window.sign_in.staff.setText(staff)
        self.window.sign_in.pin.setText(pin)
        self.window.sign_in.button.click()
        self.settle()

    @property
    def notice(self) -> str:
        return self.window.notice.text() if self.window.notice.isVisible() else ""

    def close(self) -> None:
        self.window.close()
        self.feed.stop()
        self.runner.wait()
        # deliver results still queued for this window before pytest-qt deletes it
        self.qtbot.waitUntil(lambda: not self.runner.busy, timeout=20_000)


@pytest.fixture
def manager(qtbot: QtBot, db: Database) -> Iterator[Manager]:
    app = Manager(qtbot, db)
    yield app
    app.close()


@pytest.fixture
def signed_in(manager: Manager) -> Manager:
    manager.sign_in()
    assert manager.window.pages.currentWidget() is not manager.window.sign_in
    return manager


def issue(db: Database, service: str = "cash", **options: object) -> str:
    with db.unit_of_work(actor("G01")) as uow:
        return engine.issue_ticket(uow, service, **options).number  # type: ignore[arg-type]


def test_a_teller_cannot_sign_in(manager: Manager) -> None:
    manager.sign_in("T01", "1111")
    assert manager.window.pages.currentWidget() is manager.window.sign_in
    assert "T01 is a teller, not a manager" in manager.window.sign_in.error.text()
    manager.sign_in("M01", "0000")
    assert "wrong staff id or PIN" in manager.window.sign_in.error.text()


def test_live_floor_counters_queues_and_alert(
    manager: Manager, db: Database, clock: ManualClock
) -> None:
    for _ in range(3):
        issue(db, "account")
    issue(db, "cash")
    with db.unit_of_work(actor("T01")) as uow:
        engine.call_next(uow, 1)
        engine.start(uow, 1)
    manager.sign_in()
    live = manager.window.live
    manager.qtbot.waitUntil(lambda: live.floor is not None)
    assert live.counters.text_at(0, 3) == "A001"
    assert "serving" in live.counters.text_at(0, 5)
    assert live.waiting.value.text() == "3"
    # only counter 1 has someone at it: the other seven are "open" with nobody there
    assert live.open_counters.value.text() == "1 / 8"
    assert live.alert_text() == ""

    # 25 quiet minutes later the account queue has waited past its 20-minute target,
    # and a crowd at account opening is predicted to wait past it too
    clock.advance(minutes=25)
    for _ in range(12):
        issue(db, "account")
    manager.qtbot.waitUntil(lambda: "Account opening" in live.alert_text(), timeout=20_000)
    row = next(r for r in range(live.queues.rowCount()) if "Account" in live.queues.text_at(r, 0))
    assert live.queues.text_at(row, 1) == "15"
    assert "past target" in live.queues.text_at(row, 5)
    floor = live.floor
    assert floor is not None
    account = next(q for q in floor.queues if q.service == "account")
    assert account.heading_past_target
    assert account.longest_wait_min == pytest.approx(25.0)
    assert live.counters.text_at(0, 6) == "25:00"  # A001 in service for 25 min


def test_alert_comes_before_the_target_is_passed(
    signed_in: Manager, db: Database, clock: ManualClock
) -> None:
    """A queue too long for its counters is flagged while its oldest wait is still short."""
    live = signed_in.window.live
    for _ in range(30):
        issue(db, "wealth")  # 20-minute target, 20-minute services, few counters
    signed_in.qtbot.waitUntil(lambda: "Wealth" in live.alert_text(), timeout=20_000)
    floor = live.floor
    assert floor is not None
    wealth = next(q for q in floor.queues if q.service == "wealth")
    assert wealth.longest_wait_min < wealth.target_wait_min
    assert wealth.predicted_wait_min > wealth.target_wait_min
    assert "predicted" in live.alert_text()


def _serve(db: Database, clock: ManualClock, counter: int, wait: float, service: float) -> str:
    clock.advance(minutes=wait)
    with db.unit_of_work(actor("T01")) as uow:
        ticket = engine.call_next(uow, counter)
        engine.start(uow, counter)
    clock.advance(minutes=service)
    with db.unit_of_work(actor("T01")) as uow:
        engine.finish(uow, counter)
    return ticket.number


def test_report_page_matches_the_core_report_and_exports(
    signed_in: Manager, db: Database, clock: ManualClock, tmp_path: Path
) -> None:
    issue(db)
    issue(db)
    number = _serve(db, clock, 1, wait=4, service=6)
    with db.unit_of_work(device("pad-1")) as uow:  # the customer rates at once
        engine.rate_visit(uow, number, 4)
    _serve(db, clock, 1, wait=0, service=3)
    page = signed_in.window.reports
    page.preset("today")
    page.run_button.click()
    signed_in.settle()
    report = page.report
    assert report is not None
    with db.read() as session:
        expected = build_report(session, TODAY, TODAY, reader=actor("M01"), now=clock.now())
    assert report.totals == expected.totals
    assert report.totals.served == 2
    # waits 4 and 10 min: the cards show their mean
    assert page.cards["avg_wait"].value.text() == "7.0 min"
    assert page.cards["served"].value.text() == "2"
    assert page.cards["rating"].value.text().startswith("4.00 / 5")
    # the charts draw the report's numbers
    mean, p90 = page.wait_chart.series_values()[:2]
    assert mean == pytest.approx([f.avg_wait_s / 60 for f in report.by_hour.values()])  # type: ignore[operator]
    assert page.rating_chart.series_values()[0] == [0, 0, 0, 1, 0]
    level = page.level_chart.series_values()[0]
    assert level == pytest.approx([report.by_day["2026-11-23"].service_level * 100])  # type: ignore[operator]
    assert page.tables["by_service"].text_at(0, 0) == "个人现金业务 Personal cash"

    csv_file = page.export(tmp_path / "report.csv")
    rows = list(csv.DictReader(io.StringIO(csv_file.read_text(encoding="utf-8"))))
    total = next(r for r in rows if r["group_kind"] == "total")
    assert int(total["served"]) == 2
    data = json.loads(page.export(tmp_path / "report.json").read_text(encoding="utf-8"))
    assert data["totals"]["served"] == 2
    assert data["totals"]["avg_wait_s"] == expected.totals.avg_wait_s


def test_report_with_end_before_start_is_refused(signed_in: Manager) -> None:
    page = signed_in.window.reports
    page.set_period(TODAY, date(2026, 11, 1))
    page.run_button.click()
    signed_in.settle()
    assert "end date is before the start" in signed_in.notice


def test_complaint_lifecycle_through_the_page(
    signed_in: Manager, db: Database, clock: ManualClock
) -> None:
    with db.unit_of_work(actor("G01")) as uow:
        reference = engine.file_complaint(
            uow, category="waiting", description="等了一个小时", contact="13800001111"
        )
    page = signed_in.window.complaints
    signed_in.qtbot.waitUntil(lambda: page.table.rowCount() == 1, timeout=20_000)
    page.table.selectRow(0)
    assert page.current is not None
    assert page.current.reference == reference
    assert "left" in page.clock.text()

    page.assignee.setText("m01")
    page.assign_button.click()
    signed_in.settle()
    signed_in.qtbot.waitUntil(lambda: page.table.text_at(0, 3) == "M01", timeout=20_000)

    page.note.setText("called the customer back")
    page.note_button.click()
    signed_in.settle()
    with db.read() as session:
        assert session.scalar(select(ComplaintNote.text)) == "called the customer back"

    def move(status: str) -> None:
        index = page.next_status.findData(status)
        assert index >= 0, f"{status} not offered"
        page.next_status.setCurrentIndex(index)
        page.move_button.click()
        signed_in.settle()

    move("in_progress")
    signed_in.qtbot.waitUntil(lambda: "in progress" in page.table.text_at(0, 2), timeout=20_000)
    page.table.selectRow(0)
    move("resolved")  # no resolution typed: refused, nothing changes
    assert "resolution" in signed_in.notice
    assert "in progress" in page.table.text_at(0, 2)
    page.resolution.setPlainText("queue management improved at lunchtime")
    move("resolved")
    signed_in.qtbot.waitUntil(lambda: "resolved" in page.table.text_at(0, 2), timeout=20_000)
    page.table.selectRow(0)
    move("informed")
    signed_in.qtbot.waitUntil(lambda: "informed" in page.table.text_at(0, 2), timeout=20_000)
    assert page.table.text_at(0, 5) == "按时答复 answered"


def test_revealing_a_contact_is_journalled(signed_in: Manager, db: Database) -> None:
    with db.unit_of_work(actor("G01")) as uow:
        engine.file_complaint(uow, category="fees", description="x", contact="13800001111")
    page = signed_in.window.complaints
    signed_in.qtbot.waitUntil(lambda: page.table.rowCount() == 1, timeout=20_000)
    page.table.selectRow(0)
    assert "138****1111" in page.details.text()
    assert "13800001111" not in page.details.text()
    page.reveal_button.click()  # no reason: refused
    signed_in.settle()
    assert "why" in signed_in.notice
    page.reveal_reason.setText("customer asked for a call")
    page.reveal_button.click()
    signed_in.qtbot.waitUntil(lambda: "+8613800001111" in page.revealed.text(), timeout=20_000)
    with db.read() as session:
        row = session.execute(
            select(Event.actor, Event.payload).where(Event.kind == "contact_revealed")
        ).one()
    assert row.actor == "M01"
    assert row.payload["why"] == "customer asked for a call"


def test_overdue_complaints_stand_out(signed_in: Manager, db: Database, clock: ManualClock) -> None:
    with db.unit_of_work(actor("G01")) as uow:
        engine.file_complaint(
            uow, category="fees", description="charged twice", wished_follow_up="none"
        )
    clock.advance(minutes=4 * 24 * 60)  # past the 3-day answer deadline
    page = signed_in.window.complaints
    page.overdue_only.setChecked(True)
    signed_in.settle()
    assert page.table.rowCount() == 1
    assert "overdue" in page.table.text_at(0, 5)
    assert page.table.item(0, 0).background().color().name() == "#fde2e0"  # type: ignore[union-attr]


def test_profile_change_reaches_a_running_teller_console(
    signed_in: Manager,
    db: Database,
    open_console,  # type: ignore[no-untyped-def]
) -> None:
    console: Console = open_console(1)
    queues = console.window.console
    before = {q.service for q in console.controller.overview.queues}
    assert "fx" not in before
    page = signed_in.window.config
    signed_in.qtbot.waitUntil(lambda: page.config is not None, timeout=20_000)
    row = next(r for r, item in enumerate(page.profiles.items) if item["code"] == "cash")
    tiers = page.profiles.edited_item(row)["tiers"]
    page.profiles.set_cell(row, "tiers", f"{' '.join(tiers[0])} fx | {' '.join(tiers[1])}")
    page.profiles.table.selectRow(row)
    page.profiles.save_button.click()
    signed_in.settle()
    assert "saved" in signed_in.notice
    signed_in.qtbot.waitUntil(
        lambda: "fx" in {q.service for q in console.controller.overview.queues}, timeout=20_000
    )
    assert queues is console.window.console
    with db.read() as session:
        kinds = set(session.scalars(select(Event.kind).where(Event.actor == "M01")))
    assert {"config_changed", "profile_changed"} <= kinds


def test_invalid_configuration_is_refused_and_nothing_saved(
    signed_in: Manager, db: Database
) -> None:
    page = signed_in.window.config
    signed_in.qtbot.waitUntil(lambda: page.config is not None, timeout=20_000)
    with db.read() as session:
        before = admin.export_toml(session)
        events = session.scalar(select(func.count(Event.id)))
    row = next(r for r, item in enumerate(page.services.items) if item["code"] == "cash")
    page.services.set_cell(row, "target_wait_min", "-5")
    page.services.table.selectRow(row)
    page.services.save_button.click()
    signed_in.settle()
    assert "target_wait_min" in signed_in.notice
    # a counter pointed at a profile that does not exist
    page.counters.add_row()
    last = page.counters.table.rowCount() - 1
    for key, text in (("number", "12"), ("name_zh", "12号窗口"), ("name_en", "Counter 12"),
                      ("profile", "nosuch")):  # fmt: skip
        page.counters.set_cell(last, key, text)
    page.counters.table.selectRow(last)
    page.counters.save_button.click()
    signed_in.settle()
    assert "nosuch" in signed_in.notice
    # a staff member with a PIN that is not digits
    staff = page.staff
    staff.code.setText("T09")
    staff.name.setText("新柜员")
    staff.pin.setText("12ab")
    staff.add_button.click()
    signed_in.settle()
    assert "pin" in signed_in.notice.lower()
    with db.read() as session:
        assert admin.export_toml(session) == before
        assert session.scalar(select(func.count(Event.id))) == events


def test_staff_added_disabled_and_pin_reset(signed_in: Manager, db: Database) -> None:
    page = signed_in.window.config
    signed_in.qtbot.waitUntil(lambda: page.config is not None, timeout=20_000)
    staff = page.staff
    staff.code.setText("T09")
    staff.name.setText("新柜员 New teller")
    staff.pin.setText("4321")
    staff.add_button.click()
    signed_in.settle()
    signed_in.qtbot.waitUntil(
        lambda: any(staff.table.text_at(r, 0) == "T09" for r in range(staff.table.rowCount())),
        timeout=20_000,
    )
    from lobby.staff import sign_in

    # a PIN the manager chose holds, and is T09's to change at first sign-in
    assert sign_in(db, "T09", "4321", "teller", device="test", allow_pin_change=True).code == "T09"
    with pytest.raises(PinChangeRequired):
        sign_in(db, "T09", "4321", "teller", device="test")
    row = next(r for r in range(staff.table.rowCount()) if staff.table.text_at(r, 0) == "T09")
    staff.table.selectRow(row)
    staff.pin.setText("8765")
    staff.reset_button.click()
    signed_in.settle()
    assert sign_in(db, "T09", "8765", "teller", device="test", allow_pin_change=True).code == "T09"
    staff.table.selectRow(row)
    staff.disable_button.click()
    signed_in.settle()
    from lobby.errors import AuthenticationFailed

    with pytest.raises(AuthenticationFailed):
        sign_in(db, "T09", "8765", "teller", device="test")


def test_priority_rules_hours_and_toml_import(
    signed_in: Manager, db: Database, tmp_path: Path
) -> None:
    page = signed_in.window.config
    signed_in.qtbot.waitUntil(lambda: page.config is not None, timeout=20_000)
    page.policy.head_starts["elderly"].setValue(12)
    page.policy.interleave.setValue(2)
    page.policy.save_button.click()
    signed_in.settle()
    page.hours.days["sat"].setText("09:00-15:00")
    page.hours.save_button.click()
    signed_in.settle()
    with db.read() as session:
        config = admin.export_config(session)
    assert config.policy.head_start_min["elderly"] == 12
    assert config.policy.interleave == 2
    assert config.hours is not None
    assert config.hours.sat == "09:00-15:00"

    bad = tmp_path / "bad.toml"
    bad.write_text("[branch]\ncode = 'x y'\n", encoding="utf-8")
    page.toml.import_file(bad)
    signed_in.settle()
    assert "bad.toml" in signed_in.notice
    signed_in.qtbot.waitUntil(
        lambda: "interleave = 2" in page.toml.text.toPlainText(), timeout=20_000
    )
    exported = page.toml.export(tmp_path / "branch.toml")
    text = exported.read_text(encoding="utf-8").replace("interleave = 2", "interleave = 4")
    exported.write_text(text, encoding="utf-8")
    page.toml.import_file(exported)
    signed_in.settle()
    with db.read() as session:
        assert admin.export_config(session).policy.interleave == 4


def test_audit_filters_by_ticket_and_staff(signed_in: Manager, db: Database) -> None:
    number = issue(db)
    issue(db, "account")
    with db.unit_of_work(actor("T02")) as uow:
        engine.call_next(uow, 2)
    audit = signed_in.window.audit
    audit.ticket.setText(number.lower())
    audit.search_button.click()
    signed_in.settle()
    kinds = [audit.table.text_at(r, 2) for r in range(audit.table.rowCount())]
    assert kinds == ["called", "issued"]  # newest first
    audit.ticket.clear()
    audit.actor.setText("T02")
    audit.search_button.click()
    signed_in.settle()
    assert {audit.table.text_at(r, 3) for r in range(audit.table.rowCount())} == {"T02"}


def test_audit_tab_shows_the_chain_state(signed_in: Manager, db: Database, db_url: str) -> None:
    issue(db)
    audit = signed_in.window.audit
    signed_in.qtbot.waitUntil(lambda: "chain intact" in audit.chain.text())
    with db.read() as session:
        victim = session.scalars(select(Event.id).order_by(Event.id.desc())).first()
    behind_the_engines_back(db_url, f"UPDATE event SET actor = 'T03' WHERE id = {victim}")
    audit.verify_button.click()
    signed_in.qtbot.waitUntil(lambda: "CHAIN BROKEN" in audit.chain.text())
    assert f"at #{victim}" in audit.chain.text()
    assert audit.chain.property("level") == "error"


def test_shots_draw_every_screen_with_charts(tmp_path: Path) -> None:
    from PIL import Image

    from ui.shots import render

    files = render("manager", tmp_path)
    names = {f.name for f in files}
    for screen in ("signin", "live", "reports", "complaints", "config", "config-rules",
                   "audit", "staffing"):  # fmt: skip
        assert f"manager-{screen}.png" in names
    for path in files:
        with Image.open(path) as picture:
            assert picture.size == (1920, 1080)
    # the charts are drawn: bars and lines in the report colours cover real area
    with Image.open(tmp_path / "manager-reports.png") as picture:
        colours = picture.convert("RGB").getcolors(maxcolors=1 << 20) or []
    painted = dict((colour, count) for count, colour in colours)
    assert painted.get((0x1F, 0x5F, 0xA8), 0) > 5_000  # mean wait bars, level line
    assert painted.get((0x2E, 0x7D, 0x32), 0) > 2_000  # satisfaction bars


def test_a_notice_reaches_the_running_hall_display(
    signed_in: Manager, db: Database, qtbot: QtBot
) -> None:
    from ui.display.main import bootstrap as display_bootstrap

    shown = display_bootstrap(Settings(), db)
    display, feed, runner = shown.window, shown.feed, shown.runner
    qtbot.addWidget(display)
    try:
        before = display.marquee.text
        assert "mobile banking" in before  # the sample branch's own notice
        page = signed_in.window.config
        signed_in.qtbot.waitUntil(lambda: page.config is not None, timeout=20_000)
        page.notices.add_row()
        row = page.notices.table.rowCount() - 1
        page.notices.set_cell(row, "key", "atm")
        page.notices.set_cell(row, "zh", "大堂2号ATM暂停服务")
        page.notices.set_cell(row, "en", "ATM 2 in the hall is out of service")
        page.notices.table.selectRow(row)
        page.notices.save_button.click()
        signed_in.settle()
        qtbot.waitUntil(lambda: "ATM 2" in display.marquee.text, timeout=20_000)
        assert "大堂2号ATM暂停服务" in display.marquee.text
        page.notices.table.selectRow(row)
        page.notices.retire_button.click()
        signed_in.settle()
        qtbot.waitUntil(lambda: display.marquee.text == before, timeout=20_000)
    finally:
        display.close()
        feed.stop()
        runner.wait()
        qtbot.waitUntil(lambda: not runner.busy, timeout=20_000)
