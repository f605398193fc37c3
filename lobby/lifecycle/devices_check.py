"""Can this machine reach its printer and speak? Checked without the device libraries.

The core imports neither escpos nor pyttsx3: the printer is reached by its URI
(a TCP connection, a device file, a USB id on the bus) and speech by finding
espeak-ng's library and the pyttsx3 package.
"""

from __future__ import annotations

import ctypes.util
import importlib.util
import os
import socket
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from lobby.settings import Settings

USB_DEVICES = Path("/sys/bus/usb/devices")
Status = Literal["ok", "fail", "skip"]


def printer_check(settings: Settings, timeout: float = 2.0) -> tuple[Status, str]:
    """``("ok"|"fail"|"skip", detail)`` for the printer URI in ``settings``."""
    uri = settings.printer
    parts = urlsplit(uri)
    scheme = parts.scheme or uri
    if scheme == "none":
        return "skip", "no printer configured (LOBBY_PRINTER=none)"
    if scheme == "tcp":
        host, port = parts.hostname or "", parts.port or 9100
        try:
            with socket.create_connection(
                (host, port), timeout=min(timeout, settings.printer_timeout_s)
            ):
                pass
        except OSError as exc:
            return "fail", f"{uri}: {exc.strerror or exc}"
        return "ok", f"{uri} answers"
    if scheme in ("file", "serial"):
        path = Path(parts.path)
        if not path.exists():
            return "fail", f"{uri}: {path} does not exist"
        if not os.access(path, os.W_OK):
            return "fail", f"{uri}: {path} is not writable by this user"
        return "ok", f"{uri} writable"
    if scheme == "png":
        path = Path(parts.path)
        ok = path.is_dir() and os.access(path, os.W_OK)
        return (
            ("ok", f"{uri}: previews go there") if ok else ("fail", f"{uri}: not a writable folder")
        )
    if scheme == "usb":
        vid, _, pid = (parts.netloc or parts.path.strip("/")).lower().partition(":")
        for device in USB_DEVICES.glob("*") if USB_DEVICES.is_dir() else []:
            try:
                found = ((device / "idVendor").read_text().strip(),
                         (device / "idProduct").read_text().strip())  # fmt: skip
            except OSError:
                continue
            if found == (vid.removeprefix("0x").zfill(4), pid.removeprefix("0x").zfill(4)):
                return "ok", f"{uri} is on the USB bus"
        return "fail", f"{uri}: no such device on the USB bus"
    return "fail", f"unknown printer URI {uri!r}"


def speech_check() -> tuple[Status, str]:
    """Whether espeak-ng and pyttsx3 are installed here."""
    library = ctypes.util.find_library("espeak-ng")
    if library is None:
        return "fail", "espeak-ng is not installed (Debian: libespeak-ng1)"
    if importlib.util.find_spec("pyttsx3") is None:
        return "fail", "pyttsx3 is not installed (the devices extra)"
    return "ok", f"espeak-ng ({library}) and pyttsx3 found"
