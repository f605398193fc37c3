"""Rendered phrases on disk, keyed by what makes them sound the way they do.

The key is a hash of (voice id, rate, text): another voice or rate is another file.
Files appear atomically (rendered to a temporary name, then renamed), so a worker
killed mid-phrase never leaves half a phrase behind. The least recently used files
are removed once the directory holds more than ``max_entries``.

A cache directory that cannot be written (``XDG_CACHE_HOME`` naming a file, a
read-only home) is replaced by one in the temporary directory, with a warning in
the log: announcements must not fail for want of a cache.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import time
import uuid
from pathlib import Path

from platformdirs import user_cache_path

#: Bump when the rendering changes in a way the key does not capture.
CACHE_FORMAT = 1
MAX_ENTRIES = 2000  # about 4 s, 180 KB a phrase: ~350 MB at most

log = logging.getLogger(__name__)


def default_cache_dir() -> Path:
    """The user cache directory, e.g. ``~/.cache/lobby/speech``."""
    return user_cache_path("lobby", appauthor=False) / "speech"


def _writable(directory: Path) -> bool:
    """Whether phrases can be stored in ``directory`` (created when missing)."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        probe = directory / f".{uuid.uuid4().hex}.probe"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError:
        return False
    return True


def fallback_cache_dir() -> Path:
    """This user's own phrase cache in the temporary directory (mode 0700)."""
    uid = os.getuid() if hasattr(os, "getuid") else 0
    shared = Path(tempfile.gettempdir()) / f"lobby-speech-{uid}"
    try:
        shared.mkdir(mode=0o700, exist_ok=True)
        info = shared.lstat()
        if shared.is_dir() and not shared.is_symlink() and info.st_uid == uid:
            return shared
    except OSError:
        pass
    return Path(tempfile.mkdtemp(prefix="lobby-speech-"))  # someone else holds that name


def _touch(path: Path) -> None:
    # explicit times: the file system's own clock ticks too coarsely to order uses
    now = time.time_ns()
    os.utime(path, ns=(now, now))


class PhraseCache:
    """A directory of rendered phrases.

    Args:
        directory: Where the files live (created when missing); default
            :func:`default_cache_dir`.
        max_entries: How many phrases to keep.
    """

    def __init__(self, directory: Path | None = None, *, max_entries: int = MAX_ENTRIES) -> None:
        wanted = directory or default_cache_dir()
        self.max_entries = max_entries
        if _writable(wanted):
            self.directory = wanted
        else:
            self.directory = fallback_cache_dir()
            log.warning(
                "speech cache %s cannot be written; using %s instead", wanted, self.directory
            )

    @staticmethod
    def key(voice_id: str, rate: int, text: str) -> str:
        """The file name stem for a phrase."""
        data = json.dumps([CACHE_FORMAT, voice_id, rate, text], ensure_ascii=False)
        return hashlib.sha256(data.encode()).hexdigest()

    def path(self, key: str) -> Path:
        """Where the phrase with ``key`` is (or will be) stored."""
        return self.directory / f"{key}.wav"

    def lookup(self, key: str) -> Path | None:
        """The stored phrase, or None; a hit counts as a use for eviction."""
        path = self.path(key)
        try:
            _touch(path)
        except FileNotFoundError:
            return None
        return path

    def discard(self, key: str) -> None:
        """Remove the stored phrase with ``key`` (it is damaged), if it is still there."""
        self.path(key).unlink(missing_ok=True)

    def temp_path(self) -> Path:
        """A fresh name in the cache directory to render into."""
        return self.directory / f".{uuid.uuid4().hex}.part.wav"

    def commit(self, temp: Path, key: str) -> Path:
        """Move a rendered ``temp`` file to its place under ``key``."""
        path = self.path(key)
        os.replace(temp, path)
        _touch(path)
        self._evict()
        return path

    def _evict(self) -> None:
        entries: list[tuple[float, Path]] = []
        stale_part = time.time() - 3600  # left by a process that died while rendering
        with os.scandir(self.directory) as scan:
            for entry in scan:
                try:
                    mtime = entry.stat().st_mtime
                except FileNotFoundError:
                    continue  # another process removed it
                if entry.name.endswith(".part.wav"):
                    if mtime < stale_part:
                        Path(entry.path).unlink(missing_ok=True)
                elif entry.name.endswith(".wav"):
                    entries.append((mtime, Path(entry.path)))
        if len(entries) <= self.max_entries:
            return
        entries.sort()
        for _, old in entries[: len(entries) - self.max_entries]:
            old.unlink(missing_ok=True)
