"""The pinned sets: one hashed lock per extra, and ``.venv`` installed exactly from dev's."""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LOCKS = ROOT / "requirements"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)", re.MULTILINE)


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(lock: str) -> dict[str, str]:
    text = (LOCKS / f"{lock}.txt").read_text(encoding="utf-8")
    return {canonical(name): version for name, version in PIN.findall(text)}


def test_every_extra_and_the_core_have_a_hashed_lock() -> None:
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]
    for lock in ["core", *(extra for extra in extras if extra != "bundle")]:
        text = (LOCKS / f"{lock}.txt").read_text(encoding="utf-8")
        assert pins(lock), lock
        # every pinned line is followed by its hashes
        assert text.count("==") <= text.count("--hash=sha256:"), lock
    assert "pyside6-essentials" not in pins("core")
    assert "escpos" not in str(pins("core"))
    assert pins("apps")["pyside6-essentials"] == pins("apps")["pyside6-addons"] == "6.11.3"


@pytest.mark.skipif(not (ROOT / ".venv").is_dir(), reason="checks the ./run environment")
def test_pip_freeze_in_the_venv_matches_the_dev_lock() -> None:
    frozen = subprocess.run(
        [ROOT / ".venv" / "bin" / "python", "-m", "pip", "freeze", "--all", "--exclude-editable"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    installed = {canonical(name): version for name, version in PIN.findall(frozen)}
    installed = {name: v for name, v in installed.items() if name not in ("pip", "wheel")}
    assert installed == pins("dev")
