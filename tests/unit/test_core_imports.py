"""The core stays free of Qt and hardware libraries."""

from __future__ import annotations

import subprocess
import sys

FORBIDDEN = ("PySide6", "escpos", "pyttsx3", "shiboken6", "usb", "serial")

PROBE = f"""
import importlib, pkgutil, sys
import lobby
for info in pkgutil.walk_packages(lobby.__path__, "lobby."):
    if info.name.startswith("lobby.migrations") or info.name == "lobby.__main__":
        continue  # alembic's env runs only inside a migration; __main__ runs the CLI
    importlib.import_module(info.name)
loaded = sorted({{name.split(".")[0] for name in sys.modules}} & set({FORBIDDEN!r}))
print(",".join(loaded))
"""


def test_lobby_imports_no_qt_and_no_device_library() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_probe_would_notice_a_forbidden_import() -> None:
    # the same probe, with a module that does import one of them, must report it
    probe = PROBE.replace(
        "import lobby\n", "import lobby, json as escpos\nsys.modules['escpos'] = escpos\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "escpos"


WEB_FRAMEWORKS = ("starlette", "uvicorn", "sse_starlette", "jinja2", "selenium")
WEB_PROBE = f"""
import importlib, pkgutil, sys
import lobby
for info in pkgutil.walk_packages(lobby.__path__, "lobby."):
    if info.name.startswith(("lobby.migrations", "lobby.web")) or info.name == "lobby.__main__":
        continue
    importlib.import_module(info.name)
loaded = sorted({{name.split(".")[0] for name in sys.modules}} & set({WEB_FRAMEWORKS!r}))
print(",".join(loaded))
"""


def test_the_core_outside_lobby_web_imports_no_web_framework() -> None:
    result = subprocess.run(
        [sys.executable, "-c", WEB_PROBE], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
