"""``lobby init`` never touches a live branch's staff; database files are for the branch only."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select

from lobby.cli.main import main
from lobby.config import SAMPLE_BRANCH
from lobby.db import Database
from lobby.errors import AuthenticationFailed
from lobby.models import Branch, Staff
from lobby.staff import sign_in


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def staff_rows(url: str) -> dict[str, tuple[str, bool]]:
    plain = create_engine(url)
    with plain.connect() as conn:
        rows = {
            r.code: (r.pin_hash, r.must_change_pin)
            for r in conn.execute(select(Staff.code, Staff.pin_hash, Staff.must_change_pin))
        }
    plain.dispose()
    return rows


def test_init_marks_the_file_pins_to_be_changed_and_rerun_keeps_a_new_pin(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'branch.db'}"
    code, out, _ = run(capsys, "init", "--db", url)
    assert code == 0
    assert "changes the PIN from the file at first sign-in" in out
    assert all(must for _, must in staff_rows(url).values())
    db = Database.open(url)
    with db.read() as session:
        secret = session.get_one(Branch, 1).secret
    db.dispose()
    # the manager's own PIN came from the file: it is changed at first use
    assert run(capsys, "staff", "list", "--db", url, "--staff", "M01", "--pin", "9999")[0] == 2
    assert (
        run(capsys, "change-pin", "--db", url, "--staff", "M01", "--pin", "9999",
            "--new-pin", "7531")[0] == 0
    )  # fmt: skip
    manager = ["--staff", "M01", "--pin", "7531"]
    assert (
        run(capsys, "staff", "reset-pin", "T01", "--new-pin", "8642", "--db", url, *manager)[0] == 0
    )
    before = staff_rows(url)
    code, out, _ = run(capsys, "init", "--db", url, "--json")
    assert code == 0
    assert json.loads(out)["loaded"] == 0
    assert staff_rows(url) == before  # nothing of any member changed, PINs least of all
    assert before["T01"][1]  # a PIN the manager set is T01's to change at next sign-in
    db = Database.open(url)
    try:
        # the new PIN holds, and must be changed before T01 does anything else
        checked = sign_in(db, "T01", "8642", None, device="cli", allow_pin_change=True)
        assert checked.code == "T01"
        with pytest.raises(AuthenticationFailed, match="T01 must choose a new PIN first"):
            sign_in(db, "T01", "8642", None, device="cli")
        with pytest.raises(AuthenticationFailed, match="wrong staff id or PIN"):
            sign_in(db, "T01", "1111", None, device="cli", allow_pin_change=True)
        with db.read() as session:
            assert session.get_one(Branch, 1).secret == secret
    finally:
        db.dispose()
    code, out, _ = run(capsys, "change-pin", "--db", url, "--staff", "T01", "--pin", "8642",
                       "--new-pin", "2684")  # fmt: skip
    assert code == 0
    assert not staff_rows(url)["T01"][1]


def test_init_with_a_file_refuses_a_live_branch(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'branch.db'}"
    assert run(capsys, "init", "--db", url)[0] == 0
    edited = tmp_path / "branch.toml"
    edited.write_text(
        SAMPLE_BRANCH.read_text(encoding="utf-8").replace('pin = "9999"', 'pin = "1357"')
    )
    before = staff_rows(url)
    code, _, err = run(capsys, "init", "--db", url, "--config", str(edited))
    assert code == 2
    assert "lobby config import" in err
    assert staff_rows(url) == before


def test_a_new_database_is_for_its_owner_only(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "data" / "lobby" / "lobby.db"
    assert run(capsys, "init", "--db", f"sqlite:///{path}")[0] == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    for companion in (path.with_name("lobby.db-wal"), path.with_name("lobby.db-shm")):
        if companion.exists():
            assert stat.S_IMODE(companion.stat().st_mode) & 0o077 == 0


def test_an_exposed_database_is_warned_about(
    capsys: pytest.CaptureFixture[str], db_url: str
) -> None:
    if not db_url.startswith("sqlite"):
        pytest.skip("a file mode is SQLite's")
    path = Path(db_url.removeprefix("sqlite:///"))
    os.chmod(path, 0o644)
    code, _, err = run(capsys, "board", "--db", db_url)
    assert code == 0
    assert f"{path} can be read by every user (mode 0644)" in err
    assert f"chmod 600 {path}" in err
    os.chmod(path, 0o600)
    assert "can be read" not in run(capsys, "board", "--db", db_url)[2]
