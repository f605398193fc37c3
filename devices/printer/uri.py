"""Printer addresses: which connection a URI in the settings names.

Accepted forms::

    tcp://HOST[:PORT]                  network printer (port 9100 by default)
    usb://VID:PID[?in_ep=0x82&out_ep=0x01]   USB printer, ids in hex
    serial:///dev/ttyUSB0[?baudrate=9600]    serial printer
    file:///path                       a device node (/dev/usb/lp0) or a plain file
    png:///dir                         no printer: each ticket becomes dir/NUMBER.png
    none                               no printer at all

``tcp``, ``usb`` and ``serial`` also take ``status=off`` for printers that do not
answer status queries (DLE EOT); their health is then unknown.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import SplitResult, parse_qs, unquote, urlsplit

from devices.printer.errors import BadPrinterUri

BAUDRATES = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400)


@dataclass(frozen=True)
class NetworkTarget:
    """A printer on a TCP port (raw printing, "JetDirect")."""

    host: str
    port: int = 9100
    status: bool = True


@dataclass(frozen=True)
class UsbTarget:
    """A USB printer by vendor and product id."""

    vendor: int
    product: int
    in_ep: int = 0x82
    out_ep: int = 0x01
    status: bool = True


@dataclass(frozen=True)
class SerialTarget:
    """A printer on a serial port."""

    device: str
    baudrate: int = 9600
    status: bool = True


@dataclass(frozen=True)
class FileTarget:
    """A device node or file that receives the raw ESC/POS bytes."""

    path: Path


@dataclass(frozen=True)
class PngTarget:
    """A directory that receives each ticket as a PNG image."""

    directory: Path


@dataclass(frozen=True)
class NoPrinter:
    """Printing is switched off."""


Target = NetworkTarget | UsbTarget | SerialTarget | FileTarget | PngTarget | NoPrinter


def parse_printer_uri(uri: str) -> Target:
    """Understand a printer address.

    Args:
        uri: The address from the settings or ``--printer``.

    Returns:
        The connection it names.

    Raises:
        BadPrinterUri: Unknown scheme, missing part, bad number or unknown option.
    """
    text = uri.strip()
    if text.lower() == "none":
        return NoPrinter()
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    options = _options(uri, parts.query, allowed=_OPTIONS.get(scheme, ()))
    if scheme == "tcp":
        return _network(uri, parts, options)
    if scheme == "usb":
        return _usb(uri, parts.netloc, parts.path, options)
    if scheme in ("serial", "file", "png"):
        path = unquote(parts.path)
        if parts.netloc not in ("", "localhost") or not path.startswith("/") or path == "/":
            raise BadPrinterUri(uri, f"needs an absolute path, e.g. {_PATH_EXAMPLES[scheme]}")
        if scheme == "serial":
            return SerialTarget(
                path,
                _integer(uri, options, "baudrate", 9600, choices=BAUDRATES),
                _status(uri, options),
            )
        return FileTarget(Path(path)) if scheme == "file" else PngTarget(Path(path))
    reason = f"unknown kind {scheme!r}" if scheme else "not a printer address"
    raise BadPrinterUri(uri, reason)


_PATH_EXAMPLES = {
    "serial": "serial:///dev/ttyUSB0",
    "file": "file:///dev/usb/lp0",
    "png": "png:///var/lib/lobby/tickets",
}
_OPTIONS = {
    "tcp": ("status",),
    "usb": ("status", "in_ep", "out_ep"),
    "serial": ("status", "baudrate"),
}


def _options(uri: str, query: str, allowed: tuple[str, ...]) -> dict[str, str]:
    try:
        pairs = parse_qs(query, keep_blank_values=True, strict_parsing=bool(query))
    except ValueError:
        raise BadPrinterUri(uri, f"cannot read the options {query!r}") from None
    for name, values in pairs.items():
        if name not in allowed:
            known = ", ".join(allowed) or "none"
            raise BadPrinterUri(uri, f"unknown option {name!r} (allowed: {known})")
        if len(values) > 1:
            raise BadPrinterUri(uri, f"option {name!r} given twice")
    return {name: values[0] for name, values in pairs.items()}


def _network(uri: str, parts: SplitResult, options: dict[str, str]) -> NetworkTarget:
    if parts.path not in ("", "/") or parts.username is not None:
        raise BadPrinterUri(uri, "tcp:// takes a host and a port only")
    if not parts.hostname:
        raise BadPrinterUri(uri, "tcp:// needs a host, e.g. tcp://192.168.1.50:9100")
    try:
        port = parts.port
    except ValueError:
        port = 0
    if port == 0 or (port is None and parts.netloc.endswith(":")):
        raise BadPrinterUri(uri, "the port must be a number from 1 to 65535")
    return NetworkTarget(parts.hostname, port or 9100, _status(uri, options))


def _usb(uri: str, netloc: str, path: str, options: dict[str, str]) -> UsbTarget:
    vendor, _, product = netloc.partition(":")
    if path not in ("", "/") or not vendor or not product:
        raise BadPrinterUri(uri, "usb:// needs vendor and product ids, e.g. usb://0416:5011")
    try:
        ids = int(vendor, 16), int(product, 16)
    except ValueError:
        raise BadPrinterUri(uri, "usb ids are hexadecimal, e.g. usb://0416:5011") from None
    if not all(0 <= i <= 0xFFFF for i in ids):
        raise BadPrinterUri(uri, "usb ids have four hex digits")
    return UsbTarget(
        ids[0],
        ids[1],
        _integer(uri, options, "in_ep", 0x82, base=0),
        _integer(uri, options, "out_ep", 0x01, base=0),
        _status(uri, options),
    )


def _integer(
    uri: str,
    options: dict[str, str],
    name: str,
    default: int,
    *,
    base: int = 10,
    choices: tuple[int, ...] = (),
) -> int:
    if name not in options:
        return default
    try:
        value = int(options[name], base)
    except ValueError:
        raise BadPrinterUri(uri, f"{name} must be a number, not {options[name]!r}") from None
    if choices and value not in choices:
        raise BadPrinterUri(uri, f"{name} must be one of {', '.join(map(str, choices))}")
    return value


def _status(uri: str, options: dict[str, str]) -> bool:
    value = options.get("status", "on").lower()
    if value not in ("on", "off"):
        raise BadPrinterUri(uri, "status must be on or off")
    return value == "on"
