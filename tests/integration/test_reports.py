"""Report figures against two small days computed by hand, on both backends.

Day 1 (Mon 2026-11-23) and day 2 (Tue 2026-11-24) are played through the engine with
a manual clock; every expected number below is worked out in the comments. The same
figures must come from the tickets (on the fly) and from the rollups that closing a
day writes, from ``build_report`` and from ``lobby report``, and back from the CSV.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, update

from lobby import engine
from lobby.cli.main import main
from lobby.db import Database
from lobby.models import Complaint
from lobby.models_reports import ReportDay, ReportGroupDay
from lobby.reports import CSV_COLUMNS, FIGURE_KEYS, Report, build_report, report_to_csv
from tests.helpers import ManualClock, actor, as_staff, device

DAY1, DAY2, DAY3 = date(2026, 11, 23), date(2026, 11, 24), date(2026, 11, 25)


def resolve(db: Database, reference: str, at: datetime) -> None:
    """Mark a complaint resolved at ``at`` (written directly: only the time matters here)."""
    values: dict[str, Any] = {"status": "resolved", "resolution": "apologised", "updated_at": at}
    if "resolved_at" in Complaint.__table__.c:
        values["resolved_at"] = at
    with db.transaction() as session:
        session.execute(update(Complaint).where(Complaint.reference == reference).values(values))


def file_complaint(db: Database, category: str) -> str:
    with db.unit_of_work(actor("G01")) as uow:
        return engine.file_complaint(
            uow, category=category, description="too slow", contact="13800001111"
        )


def play_day1(db: Database, clock: ManualClock) -> dict[str, str]:
    """Day 1 from 10:00; returns the complaint references. Ends at 10:30."""
    # 10:00 three customers arrive
    with db.unit_of_work(actor("G01")) as uow:
        engine.issue_ticket(uow, "cash")  # A001
        engine.issue_ticket(uow, "cash", category="elderly")  # A002
        engine.issue_ticket(uow, "account")  # B001
    clock.advance(minutes=5)  # 10:05: A002 first (elderly head start), waited 300 s
    with db.unit_of_work(actor("T01")) as uow:
        assert engine.call_next(uow, 1).number == "A002"
        engine.start(uow, 1)
    clock.advance(minutes=3)  # 10:08: A001, waited 480 s
    with db.unit_of_work(actor("T02")) as uow:
        assert engine.call_next(uow, 2).number == "A001"
        engine.start(uow, 2)
    clock.advance(minutes=3)  # 10:11: A002 served in 360 s
    with db.unit_of_work(actor("T01")) as uow:
        engine.finish(uow, 1)
    with db.unit_of_work(device("pad-1")) as uow:  # the customers rate on their counter's pad
        engine.rate_visit(uow, "A002", 5)  # T01's customer
    clock.advance(minutes=1)  # 10:12: A001 served in 240 s
    with db.unit_of_work(actor("T02")) as uow:
        engine.finish(uow, 2)
    with db.unit_of_work(device("pad-2")) as uow:
        engine.rate_visit(uow, "A001", 4)  # T02's customer
    clock.advance(minutes=18)  # 10:30: B001 called after 1800 s (target 20 min), no-show
    with db.unit_of_work(actor("T03")) as uow:
        assert engine.call_next(uow, 4).number == "B001"
        engine.no_show(uow, 4)
    # 10:30 two complaints: "waiting" (resolved on day 2 at 12:30, 26 h) and "staff" (open)
    return {"waiting1": file_complaint(db, "waiting"), "staff": file_complaint(db, "staff")}


def play_day2(db: Database, clock: ManualClock, refs: dict[str, str]) -> None:
    """Day 2 from 10:00 (numbering restarts); ends at 12:30."""
    clock.advance(minutes=23 * 60 + 30)  # Tue 10:00
    with db.unit_of_work(actor("G01")) as uow:
        engine.issue_ticket(uow, "cash")  # A001
        engine.issue_ticket(uow, "wealth")  # C001
    refs["waiting2"] = file_complaint(db, "waiting")  # resolved at 12:00, 2 h
    clock.advance(minutes=2)  # 10:02 T01 calls A001 after 120 s
    with db.unit_of_work(actor("T01")) as uow:
        assert engine.call_next(uow, 1).number == "A001"
        engine.start(uow, 1)
    clock.advance(minutes=4)  # 10:06 transferred to account: hop 1 queues at 10:06
    with db.unit_of_work(actor("T01")) as uow:
        engine.transfer(uow, 1, to_service="account", note="wants a debit card")
    clock.advance(minutes=4)  # 10:10 T03 calls A001 (hop 1) after 240 s, serves 900 s
    with db.unit_of_work(actor("T03")) as uow:
        assert engine.call_next(uow, 4).number == "A001"
        engine.start(uow, 4)
    clock.advance(minutes=15)  # 10:25
    with db.unit_of_work(actor("T03")) as uow:
        engine.finish(uow, 4)
    with db.unit_of_work(device("pad-4")) as uow:
        engine.rate_visit(uow, "A001", 3)  # the account hop: T03
    clock.advance(minutes=35)  # 11:00 A002 arrives; T02 calls C001 after 3600 s (target 20)
    with db.unit_of_work(actor("G01")) as uow:
        engine.issue_ticket(uow, "cash")  # A002
    with db.unit_of_work(actor("T02")) as uow:
        assert engine.call_next(uow, 5).number == "C001"
        engine.start(uow, 5)
    clock.advance(minutes=5)  # 11:05 T01 calls A002 after 300 s, serves 240 s
    with db.unit_of_work(actor("T01")) as uow:
        assert engine.call_next(uow, 1).number == "A002"
        engine.start(uow, 1)
    clock.advance(minutes=4)  # 11:09
    with db.unit_of_work(actor("T01")) as uow:
        engine.finish(uow, 1)
    with db.unit_of_work(device("pad-1")) as uow:
        engine.rate_visit(uow, "A002", 1)  # T01
    clock.advance(minutes=11)  # 11:20 C001 served in 1200 s; A003 arrives
    with db.unit_of_work(actor("T02")) as uow:
        engine.finish(uow, 5)
    with db.unit_of_work(device("pad-5")) as uow:
        engine.rate_visit(uow, "C001", 5)  # T02
    with db.unit_of_work(actor("G01")) as uow:
        engine.issue_ticket(uow, "cash")  # A003
    clock.advance(minutes=5)  # 11:25 A003 leaves without being called
    with db.unit_of_work(actor("G01")) as uow:
        engine.cancel(uow, "A003", reason="left")
    clock.advance(minutes=35)  # 12:00
    resolve(db, refs["waiting2"], clock.now())
    clock.advance(minutes=30)  # 12:30
    resolve(db, refs["waiting1"], clock.now())


def report(db: Database, first: date, last: date, **options: Any) -> Report:
    with db.read() as session:
        return build_report(
            session, first, last, reader=actor("M01"), now=db.clock.now(), **options
        )


def test_a_small_day_matches_the_hand_computation(
    db: Database, db_url: str, clock: ManualClock, capsys: pytest.CaptureFixture[str]
) -> None:
    play_day1(db, clock)

    assert main(["report", *as_staff("M01"), "--db", db_url, "--json", "--from", "2026-11-23"]) == 0
    report = json.loads(capsys.readouterr().out)
    totals = report["totals"]
    assert (totals["issued"], totals["served"], totals["no_show"], totals["called"]) == (3, 2, 1, 3)
    assert (totals["cancelled"], totals["expired"], totals["transferred"]) == (0, 0, 0)
    assert totals["no_show_share"] == pytest.approx(1 / 3, abs=1e-3)
    assert totals["avg_wait_s"] == pytest.approx((300 + 480 + 1800) / 3, abs=0.1)
    # inclusive percentile of [300, 480, 1800] at 0.9: 480 + 0.8 * (1800 - 480), exact
    assert totals["p90_wait_s"] == 1536.0
    assert totals["avg_service_s"] == pytest.approx((360 + 240) / 2, abs=0.1)
    # cash target 15 min: 300 s and 480 s within; account target 20 min: 1800 s not
    assert totals["service_level"] == pytest.approx(2 / 3, abs=1e-3)
    assert report["by_service"]["cash"]["service_level"] == 1.0
    assert report["by_service"]["account"]["no_show"] == 1
    assert set(report["by_teller"]) == {"T01", "T02", "T03"}
    assert report["by_teller"]["T01"]["avg_service_s"] == pytest.approx(360, abs=0.1)
    assert list(report["by_hour"]) == ["10"]
    assert report["by_hour"]["10"] == totals
    assert report["by_day"] == {"2026-11-23": totals}
    assert (report["ratings"], report["avg_rating"]) == (2, 4.5)
    assert report["rating_counts"] == {"1": 0, "2": 0, "3": 0, "4": 1, "5": 1}
    # satisfaction per teller and service, through the rated ticket
    assert (report["by_teller"]["T01"]["ratings"], report["by_teller"]["T01"]["avg_rating"]) == (
        1,
        5.0,
    )
    assert report["by_teller"]["T02"]["rating_counts"]["4"] == 1
    assert (report["by_teller"]["T03"]["ratings"], report["by_teller"]["T03"]["avg_rating"]) == (
        0,
        None,
    )
    assert report["by_service"]["cash"]["avg_rating"] == 4.5
    assert report["by_service"]["account"]["ratings"] == 0
    # two complaints filed, none resolved yet
    assert report["complaints"] == report["complaint_figures"]["count"] == 2
    assert report["complaints_open"] == 2
    assert report["complaint_figures"]["avg_resolve_h"] is None
    assert set(report["complaints_by_category"]) == {"staff", "waiting"}
    assert report["wait_bin_s"] == 15


def test_two_days_by_day_and_over_the_range(db: Database, clock: ManualClock) -> None:
    refs = play_day1(db, clock)
    play_day2(db, clock, refs)

    day2 = report(db, DAY2, DAY2).totals
    # tickets: A001 (transferred after 120 s), its hop 1 (240 s, served 900 s),
    # C001 (3600 s, served 1200 s), A002 (300 s, served 240 s), A003 (cancelled)
    assert (day2.issued, day2.served, day2.cancelled, day2.transferred) == (4, 3, 1, 1)
    assert (day2.called, day2.no_show, day2.no_show_share) == (4, 0, 0.0)
    assert day2.avg_wait_s == (120 + 240 + 3600 + 300) / 4
    assert day2.p90_wait_s == 2610.0  # [120, 240, 300, 3600]: 300 + 0.7 * 3300, exact
    assert day2.avg_service_s == (900 + 1200 + 240) / 3
    assert day2.service_level == 0.75  # only C001 (wealth, 20 min target) waited too long
    assert (day2.ratings, day2.avg_rating) == (3, 3.0)
    assert day2.rating_counts == {"1": 1, "2": 0, "3": 1, "4": 0, "5": 1}

    both = report(db, DAY1, DAY2)
    t = both.totals
    assert (t.issued, t.served, t.no_show, t.cancelled, t.transferred, t.called) == (
        7,
        5,
        1,
        1,
        1,
        7,
    )
    assert t.no_show_share == 0.143
    assert t.avg_wait_s == round((300 + 480 + 1800 + 120 + 240 + 3600 + 300) / 7, 1)
    # two days: the p90 comes from 15 s bins. Exact: [120, 240, 300, 300, 480, 1800,
    # 3600] at rank 5.4 = 1800 + 0.4 * 1800 = 2520. Binned: rank 5 is the middle of
    # 1800's bin (1807.5), rank 6 the longest wait (3600): 1807.5 + 0.4 * 1792.5
    assert t.p90_wait_s == 2524.5
    assert abs(t.p90_wait_s - 2520) <= both.wait_bin_s
    assert t.avg_service_s == (360 + 240 + 900 + 1200 + 240) / 5
    assert t.service_level == 0.714  # 5 of 7 within target
    assert (t.ratings, t.avg_rating) == (5, 3.6)
    assert t.rating_counts == {"1": 1, "2": 0, "3": 1, "4": 1, "5": 2}
    assert both.by_day == {
        "2026-11-23": report(db, DAY1, DAY1).totals,
        "2026-11-24": day2,
    }
    assert list(both.by_service) == ["cash", "account", "wealth"]  # the branch's order
    cash = both.by_service["cash"]
    assert (cash.issued, cash.served, cash.called, cash.cancelled, cash.transferred) == (
        5,
        3,
        4,
        1,
        1,
    )
    assert cash.avg_wait_s == 300.0  # 480, 300, 120, 300
    assert cash.p90_wait_s == 429.4  # binned; exact 426 (300 + 0.7 * 180)
    assert (cash.avg_service_s, cash.service_level) == (280.0, 1.0)
    assert (cash.ratings, cash.avg_rating) == (3, 3.33)  # 4, 5, 1
    account = both.by_service["account"]
    assert (account.issued, account.served, account.no_show, account.called) == (1, 1, 1, 2)
    assert (account.service_level, account.ratings, account.avg_rating) == (0.5, 1, 3.0)
    wealth = both.by_service["wealth"]
    assert (wealth.p90_wait_s, wealth.service_level, wealth.avg_rating) == (3600.0, 0.0, 5.0)
    t01 = both.by_teller["T01"]  # A002 on day 1; A001 (transferred) and A002 on day 2
    assert (t01.issued, t01.called, t01.served, t01.transferred) == (3, 3, 2, 1)
    assert (t01.avg_wait_s, t01.avg_service_s) == (240.0, 300.0)
    assert t01.rating_counts == {"1": 1, "2": 0, "3": 0, "4": 0, "5": 1}
    t03 = both.by_teller["T03"]  # B001 no-show on day 1; the account hop on day 2
    assert (t03.issued, t03.called, t03.served, t03.no_show) == (1, 2, 1, 1)
    assert list(both.by_hour) == ["10", "11"]
    eleven = both.by_hour["11"]  # A002 and A003 of day 2 only: an exact p90
    assert (eleven.issued, eleven.called, eleven.cancelled, eleven.p90_wait_s) == (2, 1, 1, 300.0)
    assert both.by_hour["10"].issued == 5

    # complaints: "waiting" resolved after 26 h and 2 h, "staff" still open (due in 3 days)
    c = both.complaint_figures
    assert (c.count, c.open, c.overdue, c.resolved) == (3, 1, 0, 2)
    assert (c.avg_resolve_h, c.max_resolve_h) == (14.0, 26.0)
    waiting, staff = both.complaints_by_category["waiting"], both.complaints_by_category["staff"]
    assert (waiting.count, waiting.resolved, waiting.avg_resolve_h) == (2, 2, 14.0)
    assert (staff.count, staff.open, staff.max_resolve_h) == (1, 1, None)
    with db.read() as session:
        later = build_report(
            session, DAY1, DAY2, reader=actor("M01"), now=clock.now() + timedelta(days=3)
        )
    assert later.complaint_figures.overdue == later.complaints_by_category["staff"].overdue == 1
    assert report(db, DAY2, DAY2).complaints == 1  # filed on day 2


def test_rollups_give_exactly_the_figures_of_the_tickets(db: Database, clock: ManualClock) -> None:
    refs = play_day1(db, clock)
    play_day2(db, clock, refs)
    with db.unit_of_work(actor("G01")) as uow:
        engine.issue_ticket(uow, "loans")  # left waiting on day 2: expires at the close
    clock.advance(minutes=22 * 60)  # Wed 10:30
    with db.unit_of_work(actor("M01")) as uow:
        assert engine.close_day(uow) == 1  # closes up to today; rolls up days 1 and 2
        engine.issue_ticket(uow, "cash")  # today stays on the fly
    clock.advance(minutes=7)
    with db.unit_of_work(actor("T01")) as uow:
        engine.call_next(uow, 1)
    with db.read() as session:
        assert set(session.scalars(select(ReportDay.business_day))) == {DAY1, DAY2}
        assert session.scalar(select(func.count()).select_from(ReportGroupDay)) > 0

    for first, last in [(DAY1, DAY1), (DAY2, DAY2), (DAY1, DAY2), (DAY1, DAY3), (DAY3, DAY3)]:
        rolled, fresh = report(db, first, last), report(db, first, last, use_rollups=False)
        assert rolled.to_json() == fresh.to_json(), (first, last)
    assert report(db, DAY2, DAY2).totals.expired == 1
    assert report(db, DAY1, DAY3).by_day["2026-11-25"].avg_wait_s == 420.0

    with db.unit_of_work(actor("M01")) as uow:  # closing again keeps the rollups as they are
        engine.close_day(uow)
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(ReportDay)) == 2


def test_csv_parses_back_to_the_same_figures(db: Database, clock: ManualClock) -> None:
    refs = play_day1(db, clock)
    play_day2(db, clock, refs)
    result = report(db, DAY1, DAY2)
    rows = list(csv.DictReader(io.StringIO(report_to_csv(result))))
    assert tuple(rows[0]) == CSV_COLUMNS
    groups = result.to_json()
    expected = {("total", "all"): groups["totals"]}
    for kind in ("day", "service", "teller", "hour"):
        expected.update({(kind, name): f for name, f in groups[f"by_{kind}"].items()})
    assert [(r["group_kind"], r["group"]) for r in rows] == list(expected)
    for row in rows:
        figures = expected[row["group_kind"], row["group"]]
        for key in FIGURE_KEYS:
            value = figures[key]
            assert row[key] == ("" if value is None else str(value)), key
            if value is not None:
                assert float(row[key]) == value
        assert [int(row[f"rating_{s}"]) for s in range(1, 6)] == list(
            figures["rating_counts"].values()
        )


def test_cli_report_json_csv_and_out_equal_the_hand_computation(
    db: Database,
    db_url: str,
    clock: ManualClock,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    refs = play_day1(db, clock)
    play_day2(db, clock, refs)
    out, table = tmp_path / "report.json", tmp_path / "report.csv"
    argv = ["report", "--db", db_url, "--json", "--from", "2026-11-23", "--to", "2026-11-24"]
    assert main([*argv, *as_staff("M01"), "--csv", str(table), "--out", str(out)]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert json.loads(out.read_text(encoding="utf-8")) == printed
    expected = report(db, DAY1, DAY2).to_json()
    for data in (printed, expected):  # overdue depends on the wall clock the CLI reads
        data.pop("complaint_figures")
        data.pop("complaints_by_category")
    assert printed == expected
    totals = printed["totals"]
    assert (totals["issued"], totals["served"], totals["p90_wait_s"]) == (7, 5, 2524.5)
    assert printed["by_day"]["2026-11-24"]["p90_wait_s"] == 2610.0
    lines = table.read_text(encoding="utf-8").splitlines()
    assert lines[1].startswith("total,all,7,5,1,1,0,1,7,0.143,")

    assert main(["report", *as_staff("M01"), "--db", db_url, "--day", "2026-11-24", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["totals"]["p90_wait_s"] == 2610.0
    assert (
        main(
            [
                "report",
                *as_staff("M01"),
                "--db",
                db_url,
                "--from",
                "2026-11-23",
                "--to",
                "2026-11-24",
            ]
        )
        == 0
    )
    text = capsys.readouterr().out
    assert text.startswith("2026-11-23 .. 2026-11-24: issued 7, served 5")
    assert "By day:" in text


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--from", "2026-11-24", "--to", "2026-11-01"], "--from is after --to"),
        (["--from", "2025-01-01", "--to", "2026-11-24"], "at most 400 days"),
        (["--day", "2026-11-24", "--from", "2026-11-01"], "not both"),
        (["--day", "2026-11-24", "--csv", "/nonexistent/dir/r.csv"], "cannot write"),
    ],
)
def test_bad_report_input_exits_2_in_one_line(
    db_url: str, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert main(["report", *as_staff("M01"), "--db", db_url, *argv]) == 2
    out, err = capsys.readouterr()
    assert (out, err.count("\n")) == ("", 1)
    assert message in err


@pytest.mark.parametrize("value", ["2026-13-01", "yesterday", "24/11/2026"])
def test_a_bad_date_is_a_usage_mistake(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["report", "--to", value])
    assert exited.value.code == 2
    assert capsys.readouterr().err.count("\n") == 1
