"""Configuration changes by a manager: each kind, journalled, live, refused whole when invalid."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from lobby import admin, engine
from lobby.config import SAMPLE_BRANCH, load_branch_config, parse_branch_config
from lobby.db import Database
from lobby.errors import AuthenticationFailed, ConfigError, InvalidInput, LobbyError, NotFound
from lobby.models import Event
from lobby.queries.counter_view import counter_overview
from lobby.staff import change_pin, sign_in
from tests.helpers import ManualClock, actor


def exported(db: Database) -> str:
    with db.read() as session:
        return admin.export_toml(session)


def journal(db: Database, after: int = 0) -> list[tuple[str, str, dict[str, Any], int | None]]:
    with db.read() as session:
        rows = session.execute(
            select(Event.kind, Event.actor, Event.payload, Event.counter_id)
            .where(Event.id > after)
            .order_by(Event.id)
        ).all()
    return [(k, a, dict(p), c) for k, a, p, c in rows]


def last_id(db: Database) -> int:
    with db.read() as session:
        return max(session.scalars(select(Event.id)).all(), default=0)


def change(db: Database, operation: Any, *args: Any, **kwargs: Any) -> admin.ConfigChange:
    with db.unit_of_work(actor("M01")) as uow:
        result: admin.ConfigChange = operation(uow, *args, **kwargs)
    return result


CASH = {
    "code": "cash",
    "prefix": "A",
    "name_zh": "个人现金业务",
    "name_en": "Cash desk",
    "target_wait_min": 12,
    "mean_service_min": 5,
}


@pytest.mark.parametrize(
    ("operation", "args", "kwargs", "changes"),
    [
        pytest.param(
            admin.save_service, (CASH,), {}, {"services": {"changed": ["cash"]}}, id="service"
        ),
        pytest.param(
            admin.save_service,
            ({**CASH, "code": "gold", "prefix": "H", "name_en": "Gold"},),
            {},
            {"services": {"added": ["gold"]}},
            id="new-service",
        ),
        pytest.param(
            admin.save_profile,
            ({"code": "cash", "name": "Cash", "tiers": [["cash"], ["enquiry"]]},),
            {},
            {"profiles": {"changed": ["cash"]}},
            id="profile",
        ),
        pytest.param(
            admin.save_counter,
            ({"number": 9, "name_zh": "9号窗口", "name_en": "Counter 9", "profile": "cash"},),
            {},
            {"counters": {"added": [9]}},
            id="new-counter",
        ),
        pytest.param(
            admin.retire_counter, (7,), {}, {"counters": {"removed": [7]}}, id="retire-counter"
        ),
        pytest.param(
            admin.add_staff,
            ("t09", "柜员九 Teller 9", "teller", "9090"),
            {},
            {"staff": {"added": ["T09"]}},
            id="add-staff",
        ),
        pytest.param(
            admin.disable_staff, ("T03",), {}, {"staff": {"changed": ["T03"]}}, id="disable"
        ),
        pytest.param(
            admin.reset_pin,
            ("T02", "5555"),
            {},
            {"staff": {"changed": ["T02"], "pin_reset": ["T02"]}},
            id="reset-pin",
        ),
        pytest.param(
            admin.set_priority_rules,
            (),
            {"head_start_min": {"elderly": 12}, "interleave": 2},
            {"policy": ["head_start_min", "interleave"]},
            id="priority-rules",
        ),
        pytest.param(
            admin.save_notice,
            ({"key": "fire-drill", "zh": "今天下午有消防演习", "en": "Fire drill this afternoon"},),
            {},
            {"notices": {"added": ["fire-drill"]}},
            id="notice",
        ),
        pytest.param(
            admin.remove_notice,
            ("new-year",),
            {},
            {"notices": {"removed": ["new-year"]}},
            id="remove-notice",
        ),
        pytest.param(
            admin.set_hours,
            ({"mon": "08:30-17:00", "tue": "08:30-17:00"},),
            {},
            {"hours": ["mon", "tue", "wed", "thu", "fri", "sat"]},
            id="hours",
        ),
    ],
)
def test_each_change_is_saved_and_journalled(
    db: Database, operation: Any, args: tuple[Any, ...], kwargs: dict[str, Any], changes: Any
) -> None:
    before = exported(db)
    start = last_id(db)
    result = change(db, operation, *args, **kwargs)
    assert result.changes == changes
    after = exported(db)
    assert (after == before) == (operation is admin.reset_pin)  # PINs are never exported
    kind, actor, payload, _ = journal(db, start)[0]
    assert (kind, actor) == ("config_changed", "M01")
    assert payload == {"what": result.what, "changes": changes}
    assert "5555" not in str(journal(db, start))
    assert "9090" not in after


def test_changes_apply_live(db: Database) -> None:
    change(db, admin.set_priority_rules, interleave=0, head_start_min={"vip": 40})
    change(db, admin.disable_staff, "T03")
    with pytest.raises(AuthenticationFailed):
        sign_in(db, "T03", "3333", "teller", device="counter-3")
    change(db, admin.reset_pin, "T02", "5555")
    with pytest.raises(AuthenticationFailed, match="T02 must choose a new PIN first"):
        sign_in(db, "T02", "5555", "teller", device="counter-2")
    assert change_pin(db, "T02", "5555", "5151", device="counter-2").code == "T02"
    assert sign_in(db, "T02", "5151", "teller", device="counter-2").credential is not None
    change(db, admin.add_staff, "G02", "Greeter 2", "greeter", "2469")
    with pytest.raises(AuthenticationFailed, match="G02 must choose a new PIN first"):
        sign_in(db, "G02", "2469", "greeter", device="tablet")
    assert change_pin(db, "G02", "2469", "9642", device="tablet").role == "greeter"
    with db.read() as session:
        config = admin.export_config(session)
    assert config.policy.interleave == 0
    assert config.policy.head_start_min["vip"] == 40
    # staff not touched keep their PINs through every rewrite
    assert sign_in(db, "T01", "1111", "teller", device="counter-1").code == "T01"


def test_a_counter_profile_change_reaches_the_teller_console(
    db: Database, clock: ManualClock
) -> None:
    with db.read() as session:
        before = counter_overview(session, 1, clock.now())
    assert [q.service for q in before.queues][:1] == ["cash"]
    start = last_id(db)
    result = change(
        db,
        admin.save_counter,
        {"number": 1, "name_zh": "1号窗口", "name_en": "Counter 1", "profile": "wealth_loans"},
    )
    assert result.counters == (1,)
    events = journal(db, start)
    assert [e[0] for e in events] == ["config_changed", "profile_changed"]
    assert events[1][2] == {"counter": 1, "profile": "wealth_loans"}
    assert events[1][3] is not None  # the counter's id, so a console can filter on it
    with db.read() as session:
        after = counter_overview(session, 1, clock.now())
    assert {q.service for q in after.queues} == {"wealth", "loans", "enquiry"}
    # and the engine routes by the new profile at once
    with db.unit_of_work(actor("G01")) as uow:
        engine.issue_ticket(uow, "cash")
        loan = engine.issue_ticket(uow, "loans")
    with db.unit_of_work(actor("T01")) as uow:
        assert engine.call_next(uow, 1).number == loan.number
    # a profile's tiers changing touches every counter using it
    result = change(
        db, admin.save_profile, {"code": "cash", "name": "Cash", "tiers": [["cash"], ["fx"]]}
    )
    assert result.counters == (2, 3)


@pytest.mark.parametrize(
    ("operation", "args", "message"),
    [
        pytest.param(
            admin.save_service,
            ({**CASH, "prefix": "B"},),
            "duplicate ticket prefix 'B'",
            id="dup-prefix",
        ),
        pytest.param(
            admin.save_service,
            ({**CASH, "target_wait_min": 0},),
            "services.0.target_wait_min",
            id="zero-target",
        ),
        pytest.param(
            admin.retire_service,
            ("enquiry",),
            "names unknown service 'enquiry'",
            id="service-in-use",
        ),
        pytest.param(
            admin.retire_profile,
            ("vip",),
            "counter 8 names unknown profile 'vip'",
            id="profile-in-use",
        ),
        pytest.param(
            admin.save_counter,
            ({"number": 2, "name_zh": "2", "name_en": "2", "profile": "gold"},),
            "unknown profile 'gold'",
            id="unknown-profile",
        ),
        pytest.param(
            admin.save_profile,
            ({"code": "cash", "name": "Cash", "tiers": [["cash"], []]},),
            "every tier lists at least one service",
            id="empty-tier",
        ),
        pytest.param(
            admin.add_staff,
            ("T04", "New", "teller", "12"),
            "a PIN has 4 to 8 digits",
            id="short-pin",
        ),
        pytest.param(
            admin.add_staff, ("T01", "Again", "teller", "1234"), "already exists", id="dup-staff"
        ),
        pytest.param(
            admin.add_staff, ("T04", "New", "boss", "1234"), "staff.5.role", id="bad-role"
        ),
        pytest.param(admin.reset_pin, ("T01", "abcd"), "a PIN has 4 to 8 digits", id="bad-pin"),
        pytest.param(admin.disable_staff, ("X42",), "no staff member X42", id="unknown-staff"),
        pytest.param(
            admin.disable_staff, ("M01",), "at least one active manager", id="last-manager"
        ),
        pytest.param(admin.update_staff, ("M01",), "nothing", id="no-op-is-fine"),
        pytest.param(
            admin.set_priority_rules, (), "unknown priority class 'royalty'", id="bad-class"
        ),
        pytest.param(admin.set_priority_rules, (), "policy.interleave", id="negative-interleave"),
        pytest.param(
            admin.save_notice,
            (
                {
                    "key": "x",
                    "zh": "x",
                    "en": "x",
                    "starts": datetime(2026, 12, 2, tzinfo=UTC),
                    "ends": datetime(2026, 12, 1, tzinfo=UTC),
                },
            ),
            "ends before it starts",
            id="notice-window",
        ),
        pytest.param(
            admin.save_notice,
            ({"key": "Bad Key", "zh": "x", "en": "x"},),
            "notices.2.key",
            id="notice-key",
        ),
        pytest.param(admin.remove_notice, ("nope",), "no notice nope", id="unknown-notice"),
        pytest.param(
            admin.set_hours,
            ({"mon": "17:00-09:00"},),
            "open before it closes",
            id="hours-backwards",
        ),
        pytest.param(admin.set_hours, ({"monday": "09:00-17:00"},), "hours.monday", id="hours-day"),
        pytest.param(admin.set_hours, ({"mon": "9-5"},), "HH:MM-HH:MM", id="hours-format"),
    ],
)
def test_invalid_configuration_is_refused_and_nothing_saved(
    db: Database,
    operation: Any,
    args: tuple[Any, ...],
    message: str,
    request: pytest.FixtureRequest,
) -> None:
    kwargs: dict[str, Any] = {}
    if "bad-class" in request.node.name:
        kwargs = {"head_start_min": {"royalty": 5}}
    elif "negative-interleave" in request.node.name:
        kwargs = {"interleave": -1}
    before, start = exported(db), last_id(db)
    if "no-op" in request.node.name:
        assert not change(db, operation, *args).changed  # nothing to write, nothing journalled
    else:
        with pytest.raises(LobbyError, match=message):
            change(db, operation, *args, **kwargs)
    assert exported(db) == before
    assert last_id(db) == start


def test_the_live_queue_is_protected(db: Database) -> None:
    with db.unit_of_work(actor("G01")) as uow:
        engine.issue_ticket(uow, "corporate")
        engine.issue_ticket(uow, "cash")
    with db.unit_of_work(actor("T01")) as uow:
        engine.call_next(uow, 7)
    before = exported(db)
    with pytest.raises(InvalidInput, match="counter 7 still has ticket F001 open"):
        change(db, admin.retire_counter, 7)
    without_cash = {"code": "cash", "name": "Cash", "tiers": [["account"]]}
    with db.unit_of_work(actor("M01")) as uow:
        for code in ("cash", "account", "fx_corporate"):
            admin.save_profile(uow, {**without_cash, "code": code})
    with pytest.raises(InvalidInput, match="service cash still has 1 unfinished tickets"):
        change(db, admin.retire_service, "cash")
    change(db, admin.add_staff, "M02", "Deputy", "manager", "8888")
    with pytest.raises(InvalidInput, match="cannot disable themselves"):
        change(db, admin.update_staff, "M01", role="teller")
    assert exported(db) != before  # the profile edits and M02 were saved, nothing else


def test_export_import_round_trip(db: Database) -> None:
    text = exported(db)
    assert "pin" not in text
    config = parse_branch_config(text)
    sample = load_branch_config(SAMPLE_BRANCH)
    assert config == sample.model_copy(
        update={"staff": tuple(m.model_copy(update={"pin": None}) for m in sample.staff)}
    )
    with db.unit_of_work(actor("M01")) as uow:
        assert not admin.import_toml(uow, text).changed
    edited = text.replace('name_en = "Counter 2"', 'name_en = "Window 2"').replace(
        "interleave = 3", "interleave = 4"
    )
    start = last_id(db)
    with db.unit_of_work(actor("M01")) as uow:
        result = admin.import_toml(uow, edited, "branch.toml")
    assert result.changes == {"policy": ["interleave"], "counters": {"changed": [2]}}
    assert exported(db) == edited
    assert journal(db, start)[0][2]["what"] == "import branch.toml"
    # everyone still signs in with their PIN
    assert sign_in(db, "M01", "9999", "manager", device="x").code == "M01"


def test_import_refuses_a_broken_file_and_saves_nothing(db: Database) -> None:
    before, start = exported(db), last_id(db)
    cases = [
        ('code = "SH-0101"', 'code = "SH-0101', "not valid TOML"),
        ('prefix = "B"', 'prefix = "A"', "duplicate ticket prefix"),
        ('profile = "vip"', 'profile = "platinum"', "unknown profile 'platinum'"),
    ]
    for old, new, message in cases:
        with (
            pytest.raises(ConfigError, match=message) as raised,
            db.unit_of_work(actor("M01")) as uow,
        ):
            admin.import_toml(uow, before.replace(old, new, 1), "mine.toml")
        assert str(raised.value).startswith("mine.toml: ")
    new_member = before + '\n[[staff]]\ncode = "T07"\nname = "x"\nrole = "teller"\n'
    with (
        pytest.raises(ConfigError, match="T07 is new: give them a pin"),
        db.unit_of_work(actor("M01")) as uow,
    ):
        admin.import_toml(uow, new_member)
    assert exported(db) == before
    assert last_id(db) == start


def test_notices_and_opening_hours(db: Database, clock: ManualClock) -> None:
    with db.read() as session:
        now = [n.key for n in admin.current_notices(session, clock.now())]
        holiday = [
            n.key for n in admin.current_notices(session, datetime(2026, 12, 31, 2, tzinfo=UTC))
        ]
        week = admin.opening_hours(session)
        assert admin.is_open(session, clock.now()) is True  # Monday 10:00
        assert admin.is_open(session, datetime(2026, 11, 22, 2, tzinfo=UTC)) is False  # Sunday
    assert now == ["mobile-banking"]
    assert holiday == ["mobile-banking", "new-year"]
    assert [d.weekday for d in week] == list(range(7))
    assert week[6].opens is None
    assert str(week[5].opens) == "09:30:00"
    change(db, admin.set_hours, None)
    with db.read() as session:
        assert admin.opening_hours(session) == ()
        assert admin.is_open(session, clock.now()) is None
    assert "[hours]" not in exported(db)


def test_unknown_things_are_not_found(db: Database) -> None:
    for operation, arg in (
        (admin.retire_counter, 42),
        (admin.retire_service, "gold"),
        (admin.retire_profile, "gold"),
        (admin.enable_staff, "Z9"),
    ):
        with pytest.raises(NotFound):
            change(db, operation, arg)


def test_staff_list_shows_disabled_and_locked_accounts(db: Database, clock: ManualClock) -> None:
    change(db, admin.disable_staff, "T03")
    for _ in range(5):
        with pytest.raises(AuthenticationFailed):
            sign_in(db, "T02", "0000", "teller", device="counter-2")
    with db.read() as session:
        members = {m.code: m for m in admin.list_staff(session, "M01", clock.now())}
    assert list(members)[-1] == "T03"  # disabled ones last
    assert not members["T03"].active
    assert members["T02"].locked_until is not None
    assert members["T01"].locked_until is None
    change(db, admin.reset_pin, "T02", "2323")  # a new PIN lifts the lock at once
    assert change_pin(db, "T02", "2323", "3232", device="counter-2").code == "T02"
