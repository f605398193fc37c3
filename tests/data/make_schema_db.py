"""Store a database of the current schema with a little activity, for upgrade tests.

Run once per released schema: ``.venv/bin/python tests/data/make_schema_db.py``.
"""

from __future__ import annotations

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
        url = f"sqlite:///{tmp}/lobby.db"
        steps = [
            ["init"],
            ["issue", "cash", "--phone", "13812345678", "--category", "elderly"],
            ["issue", "loans", "--note", "mortgage"],
            ["call", "--counter", "1"],
            ["finish", "--counter", "1"],
            ["rate", "--ticket", "A001", "--score", "4"],
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
        for argv in steps:
            if main([*argv, "--db", url, "--staff", "SETUP"]) != 0:
                sys.exit(f"step failed: {argv}")
        conn = sqlite3.connect(f"{tmp}/lobby.db")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        target.unlink(missing_ok=True)
        conn.execute("VACUUM INTO ?", (str(target),))
        conn.close()
    return target


if __name__ == "__main__":
    print(build())
