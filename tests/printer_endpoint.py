"""A network ticket printer on 127.0.0.1 for tests: it captures jobs and answers status.

It understands the stream as a printer does (see ``tests.escpos_decoder``), so a
status query inside a job is answered only once the bytes before it are in, and
picture data that happens to contain ``DLE EOT`` is not mistaken for one.
"""

from __future__ import annotations

import selectors
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Literal

from tests.escpos_decoder import Incomplete, next_command

# DLE EOT answers: bits 1 and 4 are always set; 1: bit 3 = offline;
# 2: bit 2 = cover open; 4: bits 2-3 = paper near its end, bits 5-6 = paper out.
ONLINE, OFFLINE = 0x12, 0x1A
COVER_CLOSED, COVER_OPEN = 0x12, 0x16
PAPER_OK, PAPER_NEAR_END, PAPER_OUT = 0x12, 0x1E, 0x72
#: What a print server that is not a printer may send back: no status byte.
GARBAGE = b"\xff\xfe?"

Behaviour = Literal["print", "silent", "garbage", "trickle", "stall", "stop_reading_after_status"]
#: ``trickle``: bytes taken per read, and the pause between reads.
TRICKLE_BYTES, TRICKLE_PAUSE_S = 1024, 0.02


class PrinterEndpoint:
    """A printer listening on a free port of 127.0.0.1, served by one thread.

    Args:
        behaviour: ``print`` reads everything and answers status queries; ``silent``
            reads everything and never answers (a print server, a one-way line);
            ``garbage`` reads everything and answers each query with bytes that are no
            status; ``trickle`` reads a few kilobytes at a time with pauses in between
            (a slow serial bridge) and answers; ``stall`` accepts connections but never
            reads or answers; ``stop_reading_after_status`` answers the first two status
            queries, then stops reading (a printer that jams mid-job).
        online: The answer to ``DLE EOT 1``.
        cover: The answer to ``DLE EOT 2``.
        paper: The answer to ``DLE EOT 4``.
        receive_buffer: SO_RCVBUF of the printer's side, to make a stall show sooner.
    """

    def __init__(
        self,
        behaviour: Behaviour = "print",
        *,
        online: int = ONLINE,
        cover: int = COVER_CLOSED,
        paper: int = PAPER_OK,
        receive_buffer: int | None = None,
    ) -> None:
        self.behaviour = behaviour
        self.answers = {1: online, 2: cover, 3: 0x12, 4: paper}
        self.queries = 0
        self.jobs: list[bytes] = []
        self.errors: list[str] = []
        self._done = threading.Condition()
        self._server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if receive_buffer is not None:
            self._server.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
        self._server.bind(("127.0.0.1", 0))
        self._server.listen(8)
        self.port: int = self._server.getsockname()[1]
        self._wake_reader, self._wake_writer = socket.socketpair()
        self._held: list[socket.socket] = []
        self._paused: dict[socket.socket, tuple[float, _Stream]] = {}
        self._thread = threading.Thread(target=self._serve, name="printer-endpoint", daemon=True)
        self._thread.start()

    @property
    def uri(self) -> str:
        """The printer's address for ``open_printer``."""
        return f"tcp://127.0.0.1:{self.port}"

    def wait_for_jobs(self, count: int, timeout: float = 10.0) -> list[bytes]:
        """The first ``count`` complete jobs (connections closed by the sender)."""
        with self._done:
            if not self._done.wait_for(lambda: len(self.jobs) >= count, timeout):
                raise TimeoutError(f"{len(self.jobs)} of {count} jobs after {timeout} s")
            return self.jobs[:count]

    def close(self) -> None:
        """Stop serving and drop every connection."""
        self._wake_writer.send(b"x")
        self._thread.join(timeout=10)
        for sock in (*self._held, self._server, self._wake_reader, self._wake_writer):
            sock.close()

    def __enter__(self) -> PrinterEndpoint:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _serve(self) -> None:
        with selectors.DefaultSelector() as selector:
            selector.register(self._server, selectors.EVENT_READ, None)
            selector.register(self._wake_reader, selectors.EVENT_READ, None)
            while True:
                for key, _ in selector.select(self._resume(selector)):
                    if key.fileobj is self._wake_reader:
                        return
                    if key.fileobj is self._server:
                        self._accept(selector)
                    else:
                        self._receive(selector, key.fileobj, key.data)  # type: ignore[arg-type]

    def _resume(self, selector: selectors.BaseSelector) -> float | None:
        """Take back the trickling connections whose pause is over; the wait until the next."""
        now = time.monotonic()
        for connection, (at, stream) in list(self._paused.items()):
            if at <= now:
                del self._paused[connection]
                selector.register(connection, selectors.EVENT_READ, stream)
        if not self._paused:
            return None
        return max(0.0, min(at for at, _ in self._paused.values()) - now)

    def _accept(self, selector: selectors.BaseSelector) -> None:
        connection, _ = self._server.accept()
        self._held.append(connection)
        if self.behaviour != "stall":
            selector.register(connection, selectors.EVENT_READ, _Stream())

    def _receive(
        self, selector: selectors.BaseSelector, connection: socket.socket, stream: _Stream
    ) -> None:
        trickle = self.behaviour == "trickle"
        chunk = connection.recv(TRICKLE_BYTES if trickle else 1 << 16)
        if not chunk:
            selector.unregister(connection)
            with self._done:
                self.jobs.append(bytes(stream.data))
                self._done.notify_all()
            return
        stream.data += chunk
        try:
            while stream.parsed < len(stream.data):
                command, stream.parsed = next_command(stream.data, stream.parsed)
                if command.name == "status":
                    self.queries += 1
                    if self.behaviour == "garbage":
                        connection.sendall(GARBAGE)
                    elif self.behaviour != "silent":
                        connection.sendall(bytes([self.answers[command.args[0]]]))
                    stream.answered += 1
        except Incomplete:
            pass
        except ValueError as exc:
            self.errors.append(str(exc))
            stream.parsed = len(stream.data)
        if self.behaviour == "stop_reading_after_status" and stream.answered >= 2:
            selector.unregister(connection)
        elif trickle:
            selector.unregister(connection)
            self._paused[connection] = (time.monotonic() + TRICKLE_PAUSE_S, stream)


class _Stream:
    """What one connection has sent so far."""

    def __init__(self) -> None:
        self.data = bytearray()
        self.parsed = 0
        self.answered = 0


@contextmanager
def closed_port() -> Iterator[str]:
    """The address of a port on 127.0.0.1 where nothing listens (connections refused)."""
    holder = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    holder.bind(("127.0.0.1", 0))  # bound, never listening: the port stays ours and shut
    try:
        yield f"tcp://127.0.0.1:{holder.getsockname()[1]}"
    finally:
        holder.close()
