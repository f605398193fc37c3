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
