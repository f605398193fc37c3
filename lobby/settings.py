"""Per-machine settings: which database, how often to look for changes.

Read from the environment (prefix ``LOBBY_``) with defaults; files live in the
operating system's user directories (platformdirs).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from platformdirs import user_data_path
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

SETTINGS_VERSION = 1


def default_db_url() -> str:
    """SQLite in the user data directory, e.g. ``~/.local/share/lobby/lobby.db``."""
    return f"sqlite:///{user_data_path('lobby', appauthor=False) / 'lobby.db'}"


class Settings(BaseSettings):
    """Lobby's settings for this machine.

    Attributes:
        db: SQLAlchemy URL of the shared database (``LOBBY_DB``).
        sqlite_synchronous: SQLite durability: NORMAL (WAL-safe) or FULL.
        poll_interval_ms: How often an app looks for changes on SQLite.
        branch_config: The branch TOML loaded by ``lobby init`` when none is given.
    """

    model_config = SettingsConfigDict(env_prefix="LOBBY_", extra="ignore")

    version: int = SETTINGS_VERSION
    db: str = Field(default_factory=default_db_url)
    sqlite_synchronous: Literal["NORMAL", "FULL"] = "NORMAL"
    poll_interval_ms: int = Field(default=20, ge=1, le=5000)
    branch_config: Path | None = None
