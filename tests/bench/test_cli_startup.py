"""``lobby board`` starts nearly as fast as importing SQLAlchemy's ORM: target 1.5x.

Run with ``./run bench``, or just this file::

    .venv/bin/python -m pytest tests/bench/test_cli_startup.py --benchmark-only -q -s

Both are timed from process start to exit, alternately, in the same run, so that a
busy machine slows both alike: ``lobby board`` on a copy of the sample branch (the
installed console script, reading the board from the database), and
``python -c "import sqlalchemy.orm"``, the least that any command reading the
database must load. The ratio of the medians is asserted.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from tests.helpers import BRANCH_MORNING

TARGET_RATIO = 1.5
ROUNDS = 15
LOBBY = Path(sys.executable).with_name("lobby")


def wall_time(argv: list[str], env: dict[str, str]) -> float:
    """Seconds from starting ``argv`` to its exit (which must be 0)."""
    started = time.perf_counter()
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL, timeout=120)
    return time.perf_counter() - started


def test_board_starts_within_one_and_a_half_orm_imports(
    benchmark: Any, db_url: str, tmp_path: Path
) -> None:
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "LOBBY_NOW": BRANCH_MORNING.isoformat(),
        "LOBBY_DB": db_url,
    }
    board = [str(LOBBY), "board"]
    orm = [sys.executable, "-c", "import sqlalchemy.orm"]
    wall_time(board, env)  # warm the page cache and the byte-code caches of both
    wall_time(orm, env)
    timings: dict[str, list[float]] = {"board": [], "orm": []}

    def measure() -> None:
        for _ in range(ROUNDS):
            timings["board"].append(wall_time(board, env))
            timings["orm"].append(wall_time(orm, env))

    benchmark.pedantic(measure, rounds=1, iterations=1)
    board_s = statistics.median(timings["board"])
    orm_s = statistics.median(timings["orm"])
    ratio = board_s / orm_s
    benchmark.extra_info.update({"board_s": board_s, "import_orm_s": orm_s, "ratio": ratio})
    print(f"\nlobby board {board_s:.3f} s, import sqlalchemy.orm {orm_s:.3f} s: {ratio:.2f}x")
    assert ratio <= TARGET_RATIO, f"lobby board takes {ratio:.2f}x an ORM import"
