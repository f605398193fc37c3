"""Store a database of the current schema with a little activity, for upgrade tests.

Run once per released schema: ``.venv/bin/python tests/data/make_schema_db.py``.
(0003 and 0004 were released together: ``0003_manager_complaints_config.sqlite`` is
the stored 0002 database upgraded to 0003, data and all.)
"""

from __future__ import annotations

import os
import sqlite3
import sys
import tempfile
from pathlib import Path

from lobby.cli.main import main
from lobby.migrate import MIGRATIONS
from lobby.schema import HEAD

STORED = Path(__file__).resolve().parent / "schemas"


def build() -> Path:
    name = next(MIGRATIONS.joinpath("versions").glob(f"{HEAD}_*.py")).stem
    target = STORED / f"{name}.sqlite"
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["XDG_CONFIG_HOME"] = tmp  # the pad's key stays in the temporary directory
        url = f"sqlite:///{tmp}/lobby.db"
        steps = [
            ["init"],
            ["change-pin", "--staff", "G01", "--pin", "2468", "--new-pin", "1357"],
            ["change-pin", "--staff", "T01", "--pin", "1111", "--new-pin", "1357"],
            ["change-pin", "--staff", "M01", "--pin", "9999", "--new-pin", "1357"],
            ["issue", "cash", "--phone", "13812345678", "--category", "elderly"],
            ["issue", "loans", "--note", "mortgage"],
            ["call", "--counter", "1"],
            ["finish", "--counter", "1"],
            ["device-enrol", "pad-1", "--role", "rating_pad", "--counter", "1"],
            ["rate", "--ticket", "A001", "--score", "4"],  # as the enrolled pad
            [
                "complaint",
                "--category",
                "waiting",
                "--description",
                "slow",
                "--contact",
                "13800001111",
            ],
        ]
        manager = ["--staff", "M01", "--pin", "1357"]
        acting = {"issue": "G01", "complaint": "G01"}
        steps += [
            ["complaint-update", "LAST", "--status", "in_progress", "--note", "called back"],
            ["config", "notice", "atm", "--zh", "ATM维护中", "--en", "ATM under maintenance"],
            ["close-day"],
        ]
        for argv in steps:
            if argv[:2] == ["complaint-update", "LAST"]:
                argv = [argv[0], _last_complaint(f"{tmp}/lobby.db"), *argv[2:], *manager]
            elif argv[0] in ("config", "close-day", "device-enrol"):
                argv = [*argv, *manager]
            elif argv[0] not in ("init", "change-pin", "rate"):
                argv = [*argv, "--staff", acting.get(argv[0], "T01"), "--pin", "1357"]
            if main([*argv, "--db", url]) != 0:
                sys.exit(f"step failed: {argv}")
        conn = sqlite3.connect(f"{tmp}/lobby.db")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        target.unlink(missing_ok=True)
        conn.execute("VACUUM INTO ?", (str(target),))
        conn.close()
    return target


def _last_complaint(path: str) -> str:
    with sqlite3.connect(path) as conn:
        return str(conn.execute("SELECT reference FROM complaint ORDER BY id DESC").fetchone()[0])


if __name__ == "__main__":
    print(build())
