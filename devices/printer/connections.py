"""python-escpos connections with a time limit on every I/O.

Imported only when a job is about to be sent (it imports python-escpos, and pyusb
or pyserial when they are installed). Each class keeps python-escpos's status
queries (``is_online()``, ``paper_status()``) and turns its library's exceptions
into the typed printer errors:

* connect, write and read each wait at most ``timeout_s`` for progress; a job is
  written in chunks, so a long job on a slow line is fine while a stalled one fails;
* a status query that gets no answer is :class:`PrinterTimeout`, a closed connection
  :class:`PrinterOffline` (python-escpos would read an empty answer as "paper ok");
* :meth:`ask` sends one status query and waits a short while for its answer,
  ``None`` when none comes (many print servers and one-way lines never answer);
* a connection that cannot be made at all is :class:`PrinterUnreachable`.
"""

from __future__ import annotations

import errno
import fcntl
import os
import select
import socket
import stat
import sys
import termios
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

from escpos.exceptions import DeviceNotFoundError  # type: ignore[import-untyped]
from escpos.printer import File, Network, Serial, Usb  # type: ignore[import-untyped]

from devices.printer.errors import PrinterOffline, PrinterTimeout, PrinterUnreachable
from devices.printer.link import Link
from devices.printer.status_bytes import query
from devices.printer.uri import FileTarget, NetworkTarget, SerialTarget, Target, UsbTarget


def make_link(target: Target, uri: str, timeout_s: float) -> Link:
    """An unopened connection to ``target``.

    Raises:
        PrinterOffline: The library that this kind of connection needs is missing.
    """
    if isinstance(target, NetworkTarget):
        return NetworkLink(uri, timeout_s, target)
    if isinstance(target, FileTarget):
        return FileLink(uri, timeout_s, target)
    if isinstance(target, SerialTarget):
        _require(uri, Serial, "pyserial", "serial")
        return SerialLink(uri, timeout_s, target)
    if isinstance(target, UsbTarget):
        _require(uri, Usb, "pyusb", "usb")
        return UsbLink(uri, timeout_s, target)
    raise TypeError(f"no ESC/POS connection for {target!r}")


def _require(uri: str, printer_class: Any, package: str, extra: str) -> None:
    if not printer_class.is_usable():
        raise PrinterOffline(
            uri, f"{package} is not installed (pip install 'python-escpos[{extra}]')"
        )


def _unsent(connection: socket.socket) -> int:
    """Bytes in the socket's send queue not yet acknowledged by the other side."""
    queued = fcntl.ioctl(connection.fileno(), termios.TIOCOUTQ, b"\0\0\0\0")
    return int.from_bytes(queued, sys.byteorder)


def _reason(exc: OSError) -> str:
    if isinstance(exc, socket.gaierror):
        return f"unknown host ({exc.strerror or exc})".lower()
    return (exc.strerror or str(exc) or type(exc).__name__).lower()


class _Asking:
    """``ask()`` for a line that can read: one status query, a short wait for the answer."""

    # provided by each line below
    send: Callable[[bytes], None]
    _read: Callable[[], bytes]
    _reading_within: Callable[[float], AbstractContextManager[None]]

    def drain(self) -> None:
        """Nothing to wait for: each write returned once the device took it (USB)."""

    def ask(self, kind: int, wait_s: float) -> int | None:
        """Send ``DLE EOT kind``; the first byte answered within ``wait_s``, else None."""
        self.send(query(kind))
        with self._reading_within(wait_s):
            try:
                answer = self._read()
            except PrinterTimeout:
                return None
        return answer[0]


class NetworkLink(_Asking, Network):  # type: ignore[misc]
    """A printer on a TCP port."""

    CHUNK = 16 * 1024
    can_read = True

    def __init__(self, uri: str, timeout_s: float, target: NetworkTarget) -> None:
        super().__init__(host=target.host, port=target.port, timeout=timeout_s)
        self.uri = uri

    def open(self, raise_not_found: bool = True) -> None:
        """Connect, waiting at most the time limit."""
        try:
            connection = socket.create_connection((self.host, self.port), timeout=self.timeout)
        except TimeoutError:
            raise PrinterUnreachable(
                self.uri, f"no connection within {self.timeout:g} s (timeout)"
            ) from None
        except OSError as exc:
            raise PrinterUnreachable(self.uri, _reason(exc)) from None
        # Jobs end with a short status query; do not let Nagle hold it back.
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.device = connection

    def send(self, msg: bytes) -> None:
        """Write ``msg`` in chunks, each within the time limit."""
        view = memoryview(msg)
        try:
            for start in range(0, len(view), self.CHUNK):
                self.device.sendall(view[start : start + self.CHUNK])
        except TimeoutError:
            raise PrinterTimeout(
                self.uri, f"the printer took no data for {self.timeout:g} s"
            ) from None
        except OSError as exc:
            raise PrinterOffline(self.uri, f"connection lost: {_reason(exc)}") from None

    _raw = send  # python-escpos's status queries write through it too

    def drain(self) -> None:
        """Wait until the printer's side has taken every byte sent (Linux: the send queue).

        The proof of delivery for a printer that does not answer status queries: a
        printer that reads empties the queue at once, a stalled one never does.
        """
        if not hasattr(self.device, "fileno") or not sys.platform.startswith("linux"):
            return
        left, progress_at = _unsent(self.device), time.monotonic()
        while left:
            time.sleep(0.005)
            now, still = time.monotonic(), _unsent(self.device)
            if still < left:
                left, progress_at = still, now
            elif now - progress_at > self.timeout:
                raise PrinterTimeout(self.uri, f"the printer took no data for {self.timeout:g} s")

    @contextmanager
    def _reading_within(self, wait_s: float) -> Iterator[None]:
        self.device.settimeout(wait_s)
        try:
            yield
        finally:
            self.device.settimeout(self.timeout)

    def _read(self) -> bytes:
        try:
            answer: bytes = self.device.recv(16)
        except TimeoutError:
            raise PrinterTimeout(
                self.uri, f"no answer to a status query within {self.timeout:g} s"
            ) from None
        except OSError as exc:
            raise PrinterOffline(self.uri, f"connection lost: {_reason(exc)}") from None
        if not answer:
            raise PrinterOffline(self.uri, "the printer closed the connection")
        return answer


class FileLink(File):  # type: ignore[misc]
    """A device node (``/dev/usb/lp0``) or a plain file, written without blocking.

    A plain file receives each job afresh (the last job stays); a missing path is
    created, except under ``/dev`` where it means the printer is unplugged.
    """

    CHUNK = 16 * 1024
    can_read = False

    def __init__(self, uri: str, timeout_s: float, target: FileTarget) -> None:
        super().__init__(devfile=str(target.path))
        self.uri = uri
        self.timeout = timeout_s
        self._fd: int | None = None

    def open(self, raise_not_found: bool = True) -> None:
        """Open the path for writing without waiting for a reader or a device."""
        path = Path(self.devfile)
        flags = os.O_WRONLY | os.O_NONBLOCK | os.O_CLOEXEC
        try:
            if path.exists():
                if stat.S_ISREG(path.stat().st_mode):
                    flags |= os.O_TRUNC
            elif path.parts[1:2] == ("dev",):
                raise PrinterUnreachable(self.uri, "no such device: is the printer plugged in?")
            else:
                flags |= os.O_CREAT
            self._fd = os.open(path, flags, 0o644)
        except OSError as exc:
            raise PrinterUnreachable(self.uri, _reason(exc)) from None
        self.device = self._fd

    def send(self, msg: bytes) -> None:
        """Write ``msg`` in chunks, each within the time limit."""
        if self._fd is None:
            self.open()
        assert self._fd is not None
        view = memoryview(msg)
        ready = select.poll()
        ready.register(self._fd, select.POLLOUT)
        while view:
            try:
                if not ready.poll(self.timeout * 1000):
                    raise PrinterTimeout(
                        self.uri, f"the printer took no data for {self.timeout:g} s"
                    )
                view = view[os.write(self._fd, view[: self.CHUNK]) :]
            except BlockingIOError:
                continue  # poll said writable, the device thought otherwise: wait again
            except OSError as exc:
                raise PrinterOffline(self.uri, _reason(exc)) from None

    _raw = send  # python-escpos's status queries write through it too

    def ask(self, kind: int, wait_s: float) -> int | None:
        """A device file cannot answer: never asked, always unknown."""
        return None

    def drain(self) -> None:
        """Every write has gone to the device already."""

    def close(self) -> None:
        """Close the file (an unopened link has nothing to close)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        self._device = False


_SERIAL_OPEN_ERRORS = {
    errno.ENOENT: "no such port: is the printer plugged in?",
    errno.EACCES: "permission denied: is this user in the dialout group?",
    errno.EBUSY: "the port is in use by another program",
}


class SerialLink(_Asking, Serial):  # type: ignore[misc]
    """A printer on a serial port (needs pyserial)."""

    can_read = True

    def __init__(self, uri: str, timeout_s: float, target: SerialTarget) -> None:
        super().__init__(devfile=target.device, baudrate=target.baudrate, timeout=timeout_s)
        self.uri = uri
        # About a quarter of the time limit's worth of data per write at this speed.
        self.chunk = max(64, int(target.baudrate / 10 * timeout_s / 4))

    def open(self, raise_not_found: bool = True) -> None:
        """Open the port; writes get the same time limit as reads."""
        try:
            super().open()
        except DeviceNotFoundError as exc:
            code: int = getattr(exc.__context__, "errno", 0) or 0  # pyserial's, wrapped
            raise PrinterUnreachable(self.uri, _SERIAL_OPEN_ERRORS.get(code, str(exc))) from None
        self.device.write_timeout = self.timeout

    def send(self, msg: bytes) -> None:
        """Write ``msg`` in chunks, each within the time limit."""
        import serial  # type: ignore[import-untyped,import-not-found,unused-ignore]

        try:
            for start in range(0, len(msg), self.chunk):
                self.device.write(msg[start : start + self.chunk])
            # no flush(): tcdrain has no time limit; the status query after the job
            # is the proof of delivery
        except serial.SerialTimeoutException:
            raise PrinterTimeout(
                self.uri, f"the printer took no data for {self.timeout:g} s"
            ) from None
        except (serial.SerialException, OSError) as exc:
            raise PrinterOffline(self.uri, f"serial port error: {exc}") from None

    _raw = send  # python-escpos's status queries write through it too

    def drain(self) -> None:
        """Wait until the port's output buffer is empty, while it makes progress."""
        left, progress_at = self.device.out_waiting, time.monotonic()
        while left:
            time.sleep(0.005)
            now, still = time.monotonic(), self.device.out_waiting
            if still < left:
                left, progress_at = still, now
            elif now - progress_at > self.timeout:
                raise PrinterTimeout(self.uri, f"the printer took no data for {self.timeout:g} s")

    @contextmanager
    def _reading_within(self, wait_s: float) -> Iterator[None]:
        self.device.timeout = wait_s
        try:
            yield
        finally:
            self.device.timeout = self.timeout

    def _read(self) -> bytes:
        import serial

        try:
            answer: bytes = self.device.read(1)
        except (serial.SerialException, OSError) as exc:
            raise PrinterOffline(self.uri, f"serial port error: {exc}") from None
        if not answer:
            raise PrinterTimeout(self.uri, f"no answer to a status query within {self.timeout:g} s")
        return answer


class UsbLink(_Asking, Usb):  # type: ignore[misc]
    """A USB printer (needs pyusb and libusb)."""

    CHUNK = 4096
    can_read = True

    def __init__(self, uri: str, timeout_s: float, target: UsbTarget) -> None:
        super().__init__(
            idVendor=target.vendor,
            idProduct=target.product,
            timeout=max(1, int(timeout_s * 1000)),  # milliseconds for pyusb
            in_ep=target.in_ep,
            out_ep=target.out_ep,
        )
        self.uri = uri
        self.timeout_s = timeout_s
        self.read_timeout_ms = max(1, int(timeout_s * 1000))

    def open(self, raise_not_found: bool = True) -> None:
        """Find and claim the device."""
        try:
            super().open()
        except DeviceNotFoundError as exc:
            raise PrinterUnreachable(self.uri, str(exc).splitlines()[-1].strip()) from None

    def send(self, msg: bytes) -> None:
        """Write ``msg`` in chunks, each within the time limit."""
        import usb.core  # type: ignore[import-untyped,import-not-found,unused-ignore]

        try:
            for start in range(0, len(msg), self.CHUNK):
                self.device.write(self.out_ep, msg[start : start + self.CHUNK], self.timeout)
        except usb.core.USBTimeoutError:
            raise PrinterTimeout(
                self.uri, f"the printer took no data for {self.timeout_s:g} s"
            ) from None
        except usb.core.USBError as exc:
            raise PrinterOffline(self.uri, f"USB error: {exc}") from None

    _raw = send  # python-escpos's status queries write through it too

    @contextmanager
    def _reading_within(self, wait_s: float) -> Iterator[None]:
        full = self.read_timeout_ms
        self.read_timeout_ms = max(1, int(wait_s * 1000))
        try:
            yield
        finally:
            self.read_timeout_ms = full

    def _read(self) -> bytes:
        import usb.core

        try:
            return bytes(self.device.read(self.in_ep, 16, self.read_timeout_ms))
        except usb.core.USBTimeoutError:
            raise PrinterTimeout(
                self.uri, f"no answer to a status query within {self.timeout_s:g} s"
            ) from None
        except usb.core.USBError as exc:
            raise PrinterOffline(self.uri, f"USB error: {exc}") from None
