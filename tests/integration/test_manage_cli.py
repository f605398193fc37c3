"""Manager commands: complaints, configuration, staff and audit; bad input writes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lobby.cli.main import main
from lobby.config import SAMPLE_BRANCH
from tests.integration.test_manager_roles import snapshot

AS_MANAGER = ["--staff", "M01", "--pin", "9999"]


def run(capsys: pytest.CaptureFixture[str], url: str, *argv: str) -> tuple[int, str, str]:
    try:
        code = main([*argv, "--db", url])
    except SystemExit as exit_:  # a usage mistake, reported by argparse
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def file_complaint(capsys: pytest.CaptureFixture[str], url: str) -> str:
    code, out, _ = run(
        capsys, url, "complaint", "--category", "fees", "--description", "charged twice",
        "--contact", "13800001111", "--staff", "G01", "--pin", "2468",
    )  # fmt: skip
    assert code == 0
    return out.strip()


def test_complaint_follow_up_on_the_command_line(
    capsys: pytest.CaptureFixture[str], db_url: str
) -> None:
    ref = file_complaint(capsys, db_url)
    code, out, _ = run(capsys, db_url, "complaints", *AS_MANAGER, "--json")
    assert code == 0
    [listed] = json.loads(out)
    assert (listed["reference"], listed["status"], listed["overdue"]) == (ref, "new", False)
    code, out, _ = run(
        capsys, db_url, "complaint-update", ref, "--assign", "T01", "--status", "in_progress",
        "--note", "refund asked", "--json", *AS_MANAGER,
    )  # fmt: skip
    assert code == 0
    assert json.loads(out)["assigned_to"] == "T01"
    steps = [
        ["--status", "resolved", "--resolution", "refunded"],
        ["--status", "informed", "--channel", "sms"],
    ]
    for step in steps:
        assert run(capsys, db_url, "complaint-update", ref, *step, *AS_MANAGER)[0] == 0
    code, out, _ = run(capsys, db_url, "complaint-show", ref, *AS_MANAGER)
    assert code == 0
    assert "informed" in out
    assert "refund asked" in out
    code, out, _ = run(capsys, db_url, "complaints", "--status", "new", *AS_MANAGER)
    assert (code, out.strip()) == (0, "no complaints match")


def test_credentials_from_the_environment(
    capsys: pytest.CaptureFixture[str], db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = run(capsys, db_url, "audit")
    assert code == 2
    assert "need --staff and --pin" in err
    monkeypatch.setenv("LOBBY_STAFF", "M01")
    monkeypatch.setenv("LOBBY_PIN", "9999")
    code, out, _ = run(capsys, db_url, "audit", "--kind", "config_loaded", "--json")
    assert code == 0
    assert [e["kind"] for e in json.loads(out)["events"]] == ["config_loaded"]


def test_config_export_import_round_trip(
    capsys: pytest.CaptureFixture[str], db_url: str, tmp_path: Path
) -> None:
    out_file = tmp_path / "branch.toml"
    assert run(capsys, db_url, "config", "export", "--out", str(out_file), *AS_MANAGER)[0] == 0
    code, printed, _ = run(capsys, db_url, "config", "export", *AS_MANAGER)
    assert printed == out_file.read_text("utf-8")
    assert "pin" not in printed
    code, out, _ = run(capsys, db_url, "config", "import", str(out_file), *AS_MANAGER)
    assert (code, out.strip()) == (0, f"import {out_file}: nothing changed")
    out_file.write_text(printed.replace('name_en = "Counter 3"', 'name_en = "Window 3"'), "utf-8")
    code, out, _ = run(capsys, db_url, "config", "import", str(out_file), *AS_MANAGER, "--json")
    assert code == 0
    assert json.loads(out)["changes"] == {"counters": {"changed": [3]}}
    code, again, _ = run(capsys, db_url, "config", "export", *AS_MANAGER)
    assert again == out_file.read_text("utf-8")


def test_staff_policy_notice_hours_counter_commands(
    capsys: pytest.CaptureFixture[str], db_url: str
) -> None:
    commands = [
        ["staff", "add", "t09", "--name", "柜员九", "--role", "teller", "--new-pin", "9090"],
        ["staff", "reset-pin", "T09", "--new-pin", "9191"],
        ["staff", "disable", "T09"],
        ["staff", "enable", "T09"],
        ["config", "policy", "--interleave", "2", "--head-start", "elderly=12"],
        ["config", "notice", "drill", "--zh", "消防演习", "--en", "Fire drill",
         "--starts", "2026-11-23", "--ends", "2026-11-23"],
        ["config", "notice-remove", "drill"],
        ["config", "hours", "--mon", "08:30-17:00", "--sat", "10:00-15:00"],
        ["config", "counter", "9", "--profile", "vip"],
        ["config", "counter", "9", "--profile", "cash", "--name-en", "Window 9"],
    ]  # fmt: skip
    for argv in commands:
        code, out, err = run(capsys, db_url, *argv, *AS_MANAGER)
        assert (code, err) == (0, ""), argv
        assert "nothing changed" not in out, argv
    code, out, _ = run(capsys, db_url, "config", "export", *AS_MANAGER)
    assert 'code = "T09"' in out
    assert 'mon = "08:30-17:00"' in out
    assert "interleave = 2" in out
    assert 'name_en = "Window 9"' in out
    code, out, _ = run(capsys, db_url, "audit", "--actor", "M01", "--limit", "3", *AS_MANAGER)
    assert code == 0
    assert out.count("config_changed") + out.count("profile_changed") == 3
    assert "(more: --before-id" in out


BAD_INPUT = [
    (["complaints", "--since", "yesterday"], "not a date or time"),
    (["complaints", "--status", "open"], "invalid choice"),
    (["complaints", "--limit", "0"], "limit must be at least 1"),
    (["complaint-show", "C1-NONE"], "no complaint C1-NONE"),
    (["complaint-update", "C1-NONE", "--note", "x"], "no complaint C1-NONE"),
    (["complaint-update", "{ref}"], "nothing to change"),
    (["complaint-update", "{ref}", "--status", "informed", "--channel", "sms"], "can move to"),
    (["complaint-update", "{ref}", "--status", "resolved"], "needs a resolution"),
    (["complaint-update", "{ref}", "--assign", "X1"], "no active staff member"),
    (["complaint-update", "{ref}", "--note", "x", "--pin", "0000"], "wrong staff id or PIN"),
    (["config", "export", "--out", "/nonexistent/dir/x.toml"], "cannot write"),
    (["config", "import", "/nonexistent.toml"], "cannot read"),
    (["config", "import", "{bad_toml}"], "duplicate ticket prefix"),
    (["config", "policy"], "nothing to change"),
    (["config", "policy", "--head-start", "royalty=5"], "unknown priority class"),
    (["config", "policy", "--head-start", "elderly"], "CLASS=MINUTES"),
    (["config", "policy", "--interleave", "-2"], "policy.interleave"),
    (["config", "notice", "Bad Key", "--zh", "x", "--en", "y"], "notices.2.key"),
    (["config", "notice", "k", "--zh", "x", "--en", "y", "--starts", "2026-12-01T09:00"], "offset"),
    (["config", "notice-remove", "nope"], "no notice nope"),
    (["config", "hours"], "at least one day"),
    (["config", "hours", "--mon", "9-5"], "HH:MM-HH:MM"),
    (["config", "hours", "--mon", "09:00-17:00", "--clear"], "not both"),
    (["config", "counter", "1", "--profile", "gold"], "unknown profile 'gold'"),
    (["config", "counter", "99"], "counter 99 names unknown profile ''"),
    (["config"], "required"),
    (["staff", "add", "T01", "--name", "x", "--role", "teller", "--new-pin", "1234"], "exists"),
    (["staff", "add", "T09", "--name", "x", "--role", "teller", "--new-pin", "12"], "4 to 8"),
    (["staff", "add", "T09", "--name", "x", "--role", "boss", "--new-pin", "1234"], "choice"),
    (["staff", "disable", "M01"], "at least one active manager"),
    (["staff", "disable", "X9"], "no staff member X9"),
    (["staff", "enable", "X9"], "no staff member X9"),
    (["staff", "list", "--pin", "1234"], "wrong staff id or PIN"),
    (["staff", "reset-pin", "T01", "--new-pin", "abcd"], "4 to 8"),
    (["audit", "--limit", "0"], "1 to 500"),
    (["audit", "--since", "2026-11-24", "--until", "2026-11-22"], "ends before it starts"),
    (["audit", "--counter", "x"], "invalid int"),
]


@pytest.mark.parametrize(("argv", "message"), BAD_INPUT, ids=lambda v: None)
def test_bad_input_exits_2_in_one_line_and_writes_nothing(
    capsys: pytest.CaptureFixture[str],
    db_url: str,
    tmp_path: Path,
    argv: list[str],
    message: str,
) -> None:
    ref = file_complaint(capsys, db_url)
    bad_toml = tmp_path / "bad.toml"
    bad_toml.write_text(
        SAMPLE_BRANCH.read_text("utf-8").replace('prefix = "B"', 'prefix = "A"'), "utf-8"
    )
    args = [a.replace("{ref}", ref).replace("{bad_toml}", str(bad_toml)) for a in argv]
    if "--pin" not in args:
        args += AS_MANAGER
    else:
        args += ["--staff", "M01"]
    before = snapshot(db_url)
    code, out, err = run(capsys, db_url, *args)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert message in err
    after = snapshot(db_url)
    if "--pin" in argv:  # a wrong PIN is journalled (it counts towards the lock-out)
        assert len(after.pop("event")) == len(before.pop("event")) + 1
        after.pop("staff"), before.pop("staff")
        after.pop("journal_head"), before.pop("journal_head")  # the journal's newest event
    assert after == before
