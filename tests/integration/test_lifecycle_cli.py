"""``lobby backup``, ``restore``, ``purge``, ``person`` and ``doctor`` on the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lobby.cli.main import main

AS_MANAGER = ["--staff", "M01", "--pin", "9999"]


def run(capsys: pytest.CaptureFixture[str], url: str, *argv: str) -> tuple[int, str, str]:
    try:
        code = main([*argv, "--db", url])
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_backup_then_restore(
    capsys: pytest.CaptureFixture[str], db_url: str, tmp_path: Path
) -> None:
    assert run(capsys, db_url, "issue", "cash", "--staff", "G01", "--pin", "2468")[0] == 0
    code, out, err = run(capsys, db_url, "backup", "--to", str(tmp_path / "bk"), "--json")
    assert (code, err) == (0, "")
    backup = json.loads(out)
    assert Path(backup["path"]).exists()
    assert backup["size"] > 0
    assert Path(backup["path"] + ".sha256").read_text().split()[0] == backup["sha256"]
    assert run(capsys, db_url, "issue", "cash", "--staff", "G01", "--pin", "2468")[0] == 0

    code, _, err = run(capsys, db_url, "restore", backup["path"], "--staff", "T01", "--pin", "1111")
    assert code == 2
    assert "only a manager" in err
    assert len(err.splitlines()) == 1
    code, out, err = run(
        capsys, db_url, "restore", backup["path"], *AS_MANAGER,
        "--aside", str(tmp_path / "aside"), "--json",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert Path(json.loads(out)["aside"]).parent == tmp_path / "aside"
    code, out, _ = run(capsys, db_url, "board", "--json")
    waiting = {q["prefix"]: q["waiting"] for q in json.loads(out)["queues"]}
    assert waiting["A"] == 1, "the ticket issued after the backup is gone"

    code, _, err = run(capsys, db_url, "restore", str(tmp_path / "nothing.sqlite"), *AS_MANAGER)
    assert code == 2
    assert err.startswith("lobby restore: no backup file at")


def test_purge_and_person_are_manager_work(
    capsys: pytest.CaptureFixture[str], db_url: str, tmp_path: Path
) -> None:
    issue = ["issue", "cash", "--phone", "13812345678", "--note", "needs a chair"]
    assert run(capsys, db_url, *issue, "--staff", "G01", "--pin", "2468")[0] == 0
    for command in (["purge", "--dry-run"], ["person", "export", "--phone", "13812345678"]):
        code, out, err = run(capsys, db_url, *command, "--staff", "T01", "--pin", "1111")
        assert code == 2
        assert "only a manager" in err
        assert out == ""
    code, out, _ = run(capsys, db_url, "purge", "--dry-run", *AS_MANAGER)
    assert (code, out) == (0, "would erase personal data of 0 visits, 0 tickets, 0 ratings, "
                           "0 appointments, 0 complaints, 0 complaint notes\n")  # fmt: skip
    target = tmp_path / "person.json"
    code, out, _ = run(capsys, db_url, "person", "export", "--phone", "138 1234 5678",
                       "--out", str(target), *AS_MANAGER)  # fmt: skip
    assert code == 0
    assert out == f"{target}: 1 visits, 0 appointments, 0 complaints\n"
    assert json.loads(target.read_text())["visits"][0]["note"] == "needs a chair"
    assert target.stat().st_mode & 0o077 == 0
    code, out, _ = run(capsys, db_url, "person", "erase", "--phone", "13812345678", *AS_MANAGER)
    assert code == 0
    assert out.startswith("erased personal data of 1 visits")
    code, _, err = run(capsys, db_url, "person", "erase", "--phone", "12", *AS_MANAGER)
    assert code == 2
    assert err == "lobby person: not a valid phone number: '12'\n"
