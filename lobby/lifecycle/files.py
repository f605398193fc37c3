"""Backup files: their names (branch, time, schema revision), checksums and listing.

A backup ``lobby-SH01-20261207T101500Z-r0004.sqlite`` has a checksum file beside it,
``lobby-SH01-20261207T101500Z-r0004.sqlite.sha256``, in the format ``sha256sum -c``
reads, so an operator can check a copy without Lobby.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from lobby.errors import InvalidInput

#: file suffix -> how the backup was made
FORMATS = {
    ".sqlite": "sqlite",  # SQLite online backup API: a database file
    ".pgdump": "pg_dump",  # pg_dump --format=custom
    ".json.gz": "logical",  # rows of every table read by the engine in one snapshot
}
_NAME = re.compile(
    r"^lobby-(?P<branch>[A-Z0-9-]+)-(?P<stamp>\d{8}T\d{6}Z)-r(?P<revision>[0-9a-z_]+)"
    r"(?P<suffix>\.sqlite|\.pgdump|\.json\.gz)$"
)
_STAMP = "%Y%m%dT%H%M%SZ"
CHECKSUM_SUFFIX = ".sha256"


@dataclass(frozen=True)
class BackupName:
    """What a backup file's name says about it."""

    branch: str
    taken_at: datetime
    revision: str
    format: str

    def file_name(self) -> str:
        """The file name these parts make."""
        suffix = next(s for s, f in FORMATS.items() if f == self.format)
        stamp = self.taken_at.astimezone(UTC).strftime(_STAMP)
        return f"lobby-{self.branch}-{stamp}-r{self.revision}{suffix}"


def parse_name(path: Path) -> BackupName | None:
    """The parts of a backup file's name, or ``None`` when it is not one."""
    match = _NAME.match(path.name)
    if match is None:
        return None
    taken = datetime.strptime(match["stamp"], _STAMP).replace(tzinfo=UTC)
    return BackupName(match["branch"], taken, match["revision"], FORMATS[match["suffix"]])


def checksum_path(path: Path) -> Path:
    """Where the checksum of ``path`` is kept."""
    return path.with_name(path.name + CHECKSUM_SUFFIX)


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def write_checksum(path: Path) -> str:
    """Write ``path``'s checksum file beside it; returns the hex digest."""
    digest = sha256_of(path)
    target = checksum_path(path)
    target.touch(mode=0o600)
    target.write_text(f"{digest}  {path.name}\n", encoding="ascii")
    return digest


def verify_checksum(path: Path) -> str:
    """Check ``path`` against its checksum file.

    Returns:
        The digest.

    Raises:
        InvalidInput: The checksum file is missing or unreadable, or the file differs.
    """
    check = checksum_path(path)
    try:
        expected = check.read_text(encoding="ascii").split()[0].lower()
    except (OSError, IndexError, UnicodeDecodeError):
        raise InvalidInput(f"no readable checksum file {check.name} beside {path}") from None
    actual = sha256_of(path)
    if actual != expected:
        raise InvalidInput(
            f"{path.name} does not match its checksum ({actual[:12]}... is not "
            f"{expected[:12]}...): the copy is damaged"
        )
    return actual


def list_backups(directory: Path, branch: str | None = None) -> list[tuple[Path, BackupName]]:
    """The backup files in ``directory`` (of ``branch`` when given), oldest first."""
    if not directory.is_dir():
        return []
    found = []
    for path in directory.iterdir():
        name = parse_name(path)
        if name is not None and (branch is None or name.branch == branch):
            found.append((path, name))
    return sorted(found, key=lambda item: (item[1].taken_at, item[0].name))
