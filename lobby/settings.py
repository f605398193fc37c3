"""Per-machine settings: which database, how often to look for changes.

Read from the environment (prefix ``LOBBY_``) with defaults; files live in the
operating system's user directories (platformdirs).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from platformdirs import user_data_path
from pydantic import AwareDatetime, Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict, SettingsError

from lobby.announce import DEFAULT_TEMPLATE_EN, DEFAULT_TEMPLATE_ZH
from lobby.clock import Clock, FixedClock, SystemClock
from lobby.errors import ConfigError
from lobby.validation import shown

SETTINGS_VERSION = 1


def default_backup_dir() -> Path:
    """Backups beside the database, e.g. ``~/.local/share/lobby/backups``."""
    return user_data_path("lobby", appauthor=False) / "backups"


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
        printer: Ticket printer URI (``tcp://HOST:9100``, ``usb://VID:PID``,
            ``serial:///dev/ttyUSB0?baudrate=9600``, ``file:///path``, ``png:///dir``, ``none``).
        paper_width_mm: 58 (384 dots) or 80 (576 dots).
        printer_timeout_s: Limit on every printer connection and write.
        speech_languages: Announcement languages in speaking order.
        display_languages: The hall display's languages: ``both`` (Chinese above
            English), ``zh``, ``en`` or ``alternate`` (each in turn).
        speech_repeat: How many times each call is spoken.
        speech_template_zh: Chinese announcement; ``{ticket}`` and ``{counter}`` are filled in.
        speech_template_en: English announcement.
        web_base_url: Where phones reach ``lobby web`` (``http://192.0.2.10:8080``). Set,
            the printed QR is ``BASE/t/<code>``; unset, it stays the bare code.
        web_host: The interface ``lobby web`` listens on.
        web_port: Its port.
        web_tls_cert: PEM certificate: ``lobby web`` speaks HTTPS when it is set.
        web_tls_key: The certificate's private key (PEM).
        web_near_turn: Tell the phone "nearly your turn" at this many people ahead.
        web_requests_per_min: Requests one client may make per minute (lookups and pages).
        web_misses_per_min: Refused lookups (forged or unknown codes) one client may
            make per minute before it is told to wait.
        backup_dir: Where ``lobby backup`` and closing the day put backups (``LOBBY_BACKUP_DIR``).
        backup_keep_daily: Closing the day keeps the newest backup of this many days...
        backup_keep_monthly: ...and of this many months.
        backup_on_close: Whether closing the day takes a backup.
        pg_bindir: Where ``pg_dump`` and ``pg_restore`` are; found on the machine when unset.
        min_free_disk_mb: ``lobby doctor`` fails when less is free where the database and
            the backups are.
        now: Stop the clock at this moment, an ISO 8601 time with its offset
            (``LOBBY_NOW=2026-11-23T10:00:00+08:00``). Unset (always, in a branch):
            the wall clock. Tests set it so the processes they start share their clock.
        busy_deadline_s: How long a writer retries a busy SQLite database before
            giving up (exit code 4).
    """

    model_config = SettingsConfigDict(env_prefix="LOBBY_", extra="ignore")

    version: int = SETTINGS_VERSION
    db: str = Field(default_factory=default_db_url)
    sqlite_synchronous: Literal["NORMAL", "FULL"] = "NORMAL"
    poll_interval_ms: int = Field(default=20, ge=1, le=5000)
    branch_config: Path | None = None
    printer: str = "none"
    paper_width_mm: Literal[58, 80] = 80
    printer_timeout_s: float = Field(default=5.0, gt=0, le=60)
    speech_languages: tuple[Literal["zh", "en"], ...] = ("zh", "en")
    speech_repeat: int = Field(default=1, ge=1, le=5)
    display_languages: Literal["both", "zh", "en", "alternate"] = "both"
    speech_template_zh: str = DEFAULT_TEMPLATE_ZH
    speech_template_en: str = DEFAULT_TEMPLATE_EN
    web_base_url: str | None = Field(default=None, pattern=r"^https?://[^\s/]+(/[^\s]*)?$")
    web_host: str = "127.0.0.1"
    web_port: int = Field(default=8080, ge=1, le=65535)
    web_tls_cert: Path | None = None
    web_tls_key: Path | None = None
    web_near_turn: int = Field(default=3, ge=0, le=50)
    web_requests_per_min: int = Field(default=120, ge=1)
    web_misses_per_min: int = Field(default=10, ge=1)
    backup_dir: Path = Field(default_factory=default_backup_dir)
    backup_keep_daily: int = Field(default=7, ge=1, le=366)
    backup_keep_monthly: int = Field(default=12, ge=0, le=120)
    backup_on_close: bool = True
    pg_bindir: Path | None = None
    min_free_disk_mb: int = Field(default=500, ge=0)
    now: AwareDatetime | None = None
    busy_deadline_s: float = Field(default=30.0, ge=0, le=3600)

    @classmethod
    def load(cls) -> Settings:
        """The settings from the environment; a bad value names its variable.

        Raises:
            ConfigError: ``LOBBY_NAME='value' is not valid: what is expected``.
        """
        try:
            return cls()
        except ValidationError as exc:
            first = exc.errors()[0]
            field = str(first["loc"][0]) if first["loc"] else "?"
            variable = f"LOBBY_{field.upper()}"
            given = shown(first["input"]) if "input" in first else "(unset)"
            raise ConfigError(f"{variable}={given} is not valid: {first['msg']}") from exc
        except SettingsError as exc:  # a list or tuple value that is not JSON
            field = str(exc).split("field ")[-1].split(" ")[0].strip('"')
            raise ConfigError(
                f'LOBBY_{field.upper()} is not valid: give a JSON list, e.g. ["zh", "en"]'
            ) from exc

    def clock(self) -> Clock:
        """The wall clock, or a clock stopped at ``now`` when that is set."""
        return SystemClock() if self.now is None else FixedClock(self.now)
