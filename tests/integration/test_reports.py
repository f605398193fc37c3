"""Report figures against a small day computed by hand."""

from __future__ import annotations

import json

import pytest

from lobby import engine
from lobby.cli.main import main
from lobby.db import Database
from tests.helpers import ManualClock


def test_a_small_day_matches_the_hand_computation(
    db: Database, db_url: str, clock: ManualClock, capsys: pytest.CaptureFixture[str]
) -> None:
    # 10:00 three customers arrive
    with db.unit_of_work("G01") as uow:
        engine.issue_ticket(uow, "cash")  # A001
        engine.issue_ticket(uow, "cash", category="elderly")  # A002
        engine.issue_ticket(uow, "account")  # B001
    clock.advance(minutes=5)  # 10:05: A002 first (elderly head start), waited 300 s
    with db.unit_of_work("T01") as uow:
        assert engine.call_next(uow, 1).number == "A002"
        engine.start(uow, 1)
    clock.advance(minutes=3)  # 10:08: A001, waited 480 s
    with db.unit_of_work("T02") as uow:
        assert engine.call_next(uow, 2).number == "A001"
        engine.start(uow, 2)
    clock.advance(minutes=3)  # 10:11: A002 served in 360 s
    with db.unit_of_work("T01") as uow:
        engine.finish(uow, 1)
    clock.advance(minutes=1)  # 10:12: A001 served in 240 s
    with db.unit_of_work("T02") as uow:
        engine.finish(uow, 2)
    clock.advance(minutes=18)  # 10:30: B001 called after 1800 s (target 20 min), no-show
    with db.unit_of_work("T03") as uow:
        assert engine.call_next(uow, 4).number == "B001"
        engine.no_show(uow, 4)
    with db.unit_of_work("T01") as uow:
        engine.rate_visit(uow, "A001", 4)
        engine.rate_visit(uow, "A002", 5)

    assert main(["report", "--db", db_url, "--json", "--from", "2026-11-23"]) == 0
    report = json.loads(capsys.readouterr().out)
    totals = report["totals"]
    assert (totals["issued"], totals["served"], totals["no_show"], totals["called"]) == (3, 2, 1, 3)
    assert totals["no_show_share"] == pytest.approx(1 / 3, abs=1e-3)
    assert totals["avg_wait_s"] == pytest.approx((300 + 480 + 1800) / 3, abs=0.1)
    # inclusive percentile of [300, 480, 1800] at 0.9: 480 + 0.8 * (1800 - 480)
    assert totals["p90_wait_s"] == pytest.approx(1536.0, abs=0.1)
    assert totals["avg_service_s"] == pytest.approx((360 + 240) / 2, abs=0.1)
    # cash target 15 min: 300 s and 480 s within; account target 20 min: 1800 s not
    assert totals["service_level"] == pytest.approx(2 / 3, abs=1e-3)
    assert report["by_service"]["cash"]["service_level"] == 1.0
    assert report["by_service"]["account"]["no_show"] == 1
    assert set(report["by_teller"]) == {"T01", "T02", "T03"}
    assert report["by_teller"]["T01"]["avg_service_s"] == pytest.approx(360, abs=0.1)
    assert list(report["by_hour"]) == ["10"]
    assert report["by_hour"]["10"] == totals
    assert (report["ratings"], report["avg_rating"]) == (2, 4.5)
    assert report["rating_counts"] == {"1": 0, "2": 0, "3": 0, "4": 1, "5": 1}
