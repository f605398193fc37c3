"""Fixtures: a real SQLite file and a real PostgreSQL server, both with the sample branch.

The sample branch is loaded once per session into a template (PIN hashing is slow on
purpose); each test gets its own copy.
"""

from __future__ import annotations

import gc
import itertools
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from lobby.config import SAMPLE_BRANCH, load_branch_config
from lobby.db import Database
from lobby.seeding import initialise
from tests.helpers import (
    ManualClock,
    enrol_test_devices,
    keep_test_device_keys,
    open_test_sessions,
)
from tests.pgserver import PostgresServer

# Qt needs a platform before the first QApplication; offscreen works with no display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
_names = itertools.count()


#: Set by ``./run test`` once ``tests/without_qt.py`` has passed the core's unit tests.
CORE_UNIT_DONE = "LOBBY_CORE_UNIT_TESTS_PASSED_WITHOUT_QT"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark GUI tests, so the core suite can run with ``-m "not gui"`` and no Qt.

    After ``./run test`` has run the core's unit tests without Qt (every test in
    ``tests/unit`` not marked ``devices``), the main run leaves them out instead of
    running them twice; the ``devices`` ones run here.
    """
    for item in items:
        if "tests/gui/" in item.nodeid.replace("\\", "/"):
            item.add_marker(pytest.mark.gui)
    if os.environ.get(CORE_UNIT_DONE) != "1":
        return
    done = [
        item
        for item in items
        if item.nodeid.replace("\\", "/").startswith("tests/unit/")
        and item.get_closest_marker("devices") is None
    ]
    if done:
        config.hook.pytest_deselected(items=done)
        covered = set(done)
        items[:] = [item for item in items if item not in covered]


@pytest.fixture(autouse=True)
def _isolated_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Never read or write the user's own Lobby files or environment."""
    for name in (
        "LOBBY_DB",
        "LOBBY_BRANCH_CONFIG",
        "LOBBY_SQLITE_SYNCHRONOUS",
        "LOBBY_PRINTER",
        "LOBBY_PAPER_WIDTH_MM",
        "LOBBY_PRINTER_TIMEOUT_S",
        "LOBBY_NOW",
        "LOBBY_STAFF",
        "LOBBY_PIN",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    keep_test_device_keys()  # the enrolled test devices' keys, where the apps look


@pytest.fixture(autouse=True)
def _collect_garbage_between_tests() -> Iterator[None]:
    """Collect cycles after each test once a Qt app has switched automatic collection off.

    The apps collect on their GUI thread's timer (``ui.common.collector``); a test
    that runs no event loop would otherwise never collect.
    """
    yield
    if not gc.isenabled():
        gc.collect()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    """A PostgreSQL server for the whole session."""
    with PostgresServer() as server:
        yield server


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file holding the migrated schema and the sample branch."""
    path = tmp_path_factory.mktemp("template") / "lobby.db"
    db = Database.open(f"sqlite:///{path}")
    initialise(db, load_branch_config(SAMPLE_BRANCH), "test-setup", waive_pin_change=True)
    open_test_sessions(db)
    enrol_test_devices(db)
    db.dispose()  # the last connection checkpoints the WAL into the main file
    return path


@pytest.fixture(scope="session")
def pg_template(pg_server: PostgresServer) -> str:
    """A PostgreSQL database holding the migrated schema and the sample branch."""
    pg_server.create_database("lobby_template")
    db = Database.open(pg_server.url("lobby_template"))
    initialise(db, load_branch_config(SAMPLE_BRANCH), "test-setup", waive_pin_change=True)
    open_test_sessions(db)
    enrol_test_devices(db)
    db.dispose()
    return "lobby_template"


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of a fresh database with the sample branch, on each backend."""
    if request.param == "sqlite":
        path = tmp_path / "lobby.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    server: PostgresServer = request.getfixturevalue("pg_server")
    name = f"lobby_t{next(_names)}"
    server.create_database(name, template=request.getfixturevalue("pg_template"))
    yield server.url(name)
    server.drop_database(name)


@pytest.fixture
def clock() -> ManualClock:
    """A clock at 10:00 branch time that moves only when told to."""
    return ManualClock()


@pytest.fixture
def db(db_url: str, clock: ManualClock) -> Iterator[Database]:
    """The sample branch's database on each backend, with a manual clock."""
    database = Database.open(db_url, clock=clock)
    yield database
    database.dispose()
