"""A gate in front of SQLite's write lock, so that a writer who waited long goes next.

SQLite hands its write lock to whoever asks first once it is free, and a waiting
writer only asks now and then (its busy handler sleeps between tries). A process
that has just committed asks again at once, so on a loaded machine with many
writers the same few keep winning and one can wait past its deadline.

Every Lobby writer passes the gate (a shared ``flock`` of a file beside the
database, taken and let go at once) before ``BEGIN IMMEDIATE``. A writer that has
waited :data:`STARVING_AFTER_S` closes the gate (an exclusive ``flock``) until its
transaction ends: writers arriving meanwhile wait at the gate, those already past
it finish, and the lock is then its. The operating system drops a dead process's
``flock``, so a killed writer never leaves the gate closed. Where the file cannot
be made (a read-only folder) or ``fcntl`` is missing, there is no gate.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

try:
    import fcntl
except ImportError:  # not on POSIX: no gate
    fcntl = None  # type: ignore[assignment]

from lobby.errors import DatabaseUnavailable

#: A writer that has waited this long closes the gate behind it.
STARVING_AFTER_S = 1.0
#: How often a writer waiting at the gate looks again.
GATE_POLL_S = 0.005


class WriterGate:
    """The gate of one SQLite file (a file ``PATH-writers`` beside it).

    Each use opens its own descriptor: ``flock`` belongs to an open file, so two
    threads (or two databases) of one process wait for each other like two processes.
    """

    def __init__(self, database: Path) -> None:
        self._database = database
        self._path = database.with_name(database.name + "-writers")
        self._usable = fcntl is not None

    def pass_through(self, deadline: float) -> None:
        """Wait while a starving writer holds the gate (until ``deadline``, monotonic).

        Raises:
            DatabaseUnavailable: The gate stayed closed past the deadline.
        """
        fd = self._take(fcntl.LOCK_SH if fcntl else 0, deadline)
        if fd is not None:
            os.close(fd)

    def close_behind(self, deadline: float) -> int | None:
        """Close the gate for this writer; give the result to :meth:`reopen` afterwards.

        Raises:
            DatabaseUnavailable: Another starving writer kept it past the deadline.
        """
        return self._take(fcntl.LOCK_EX if fcntl else 0, deadline)

    @staticmethod
    def reopen(held: int | None) -> None:
        """Let the others through again (``held`` from :meth:`close_behind`)."""
        if held is not None:
            os.close(held)  # closing the descriptor drops its flock

    def _take(self, mode: int, deadline: float) -> int | None:
        if not self._usable or not self._database.exists():  # nothing to guard yet
            return None
        try:
            fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:  # a read-only folder: no gate
            self._usable = False
            return None
        while True:
            try:
                fcntl.flock(fd, mode | fcntl.LOCK_NB)
                return fd
            except BlockingIOError:
                pass
            except OSError:  # a file system without flock: no gate
                os.close(fd)
                self._usable = False
                return None
            if time.monotonic() >= deadline:
                os.close(fd)
                raise DatabaseUnavailable(
                    "the database stayed busy (other programs were writing); try again, "
                    "or raise LOBBY_BUSY_DEADLINE_S"
                )
            time.sleep(GATE_POLL_S)
