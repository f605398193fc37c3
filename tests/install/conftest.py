"""A wheel of this tree, built once, and fresh virtual environments that install it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: uv (pinned in requirements/dev.txt) installs the pinned sets fast from its cache.
UV = Path(sys.executable).with_name("uv")
#: What a copy of the tree leaves out: what is not the project's source.
NOT_SOURCE = shutil.ignore_patterns(
    ".venv", ".git", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis"
)


def run(command: list[str | Path], **kwargs: object) -> subprocess.CompletedProcess[str]:
    """Run ``command``; on failure, fail the test with its output."""
    result = subprocess.run(
        [str(part) for part in command], capture_output=True, text=True, check=False, **kwargs
    )  # type: ignore[call-overload]
    if result.returncode != 0:
        pytest.fail(f"{command} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``python -m build`` of a copy of this tree (sdist, then the wheel from it), copied away.

    The build runs in a copy so that it writes nothing into the source tree.
    """
    source = tmp_path_factory.mktemp("source") / "lobby"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCE)
    dist = tmp_path_factory.mktemp("dist")
    run([sys.executable, "-m", "build", "--no-isolation", "--outdir", dist, source])
    (built,) = dist.glob("lobby-*.whl")
    away = tmp_path_factory.mktemp("wheel") / built.name
    shutil.copy2(built, away)
    shutil.rmtree(source)
    return away


class Venv:
    """A fresh virtual environment (no system site packages) holding only ``wheel``."""

    def __init__(self, path: Path, home: Path) -> None:
        self.path = path
        self.home = home
        self.bin = path / "bin"

    def env(self) -> dict[str, str]:
        """The environment of a user with nothing but this venv on PATH."""
        keep = ("LANG", "LC_ALL", "TZ", "LOBBY_NOW")
        return {
            **{name: os.environ[name] for name in keep if name in os.environ},
            "PATH": f"{self.bin}{os.pathsep}/usr/bin:/bin",
            "HOME": str(self.home),
            "XDG_CONFIG_HOME": str(self.home / ".config"),
            "XDG_DATA_HOME": str(self.home / ".local" / "share"),
            "XDG_CACHE_HOME": str(self.home / ".cache"),
            "QT_QPA_PLATFORM": "offscreen",
            "LOBBY_DB": f"sqlite:///{self.home / 'lobby.db'}",
        }

    def lobby(self, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
        """``lobby ARGS`` from this venv, started in the user's home (far from the tree)."""
        result = subprocess.run(
            [str(self.bin / "lobby"), *args],
            capture_output=True,
            text=True,
            check=False,
            cwd=self.home,
            env=self.env(),
            timeout=120,
        )
        if ok:
            assert result.returncode == 0, f"lobby {args}: {result.stdout}\n{result.stderr}"
        return result

    def lobby_python_fails(self, code: str) -> str:
        """Run ``code`` that must fail with this venv's Python; its error output."""
        result = subprocess.run(
            [str(self.bin / "python"), "-c", code],
            capture_output=True,
            text=True,
            check=False,
            cwd=self.home,
            env=self.env(),
        )
        assert result.returncode != 0
        return result.stderr

    def python(self, code: str) -> str:
        """Run ``code`` with this venv's Python, in the user's home; its output."""
        return run([self.bin / "python", "-c", code], cwd=self.home, env=self.env()).stdout


def make_venv(tmp_path_factory: pytest.TempPathFactory, wheel: Path, lock: str) -> Iterator[Venv]:
    """A venv with the set pinned in ``requirements/LOCK.txt`` and the wheel (no deps)."""
    base = tmp_path_factory.mktemp(f"venv-{lock}")
    venv = Venv(base / "venv", base / "home")
    venv.home.mkdir()
    run([UV, "venv", "--quiet", "--python", sys.executable, venv.path])
    target = ["--python", venv.bin / "python"]
    requirements = ROOT / "requirements" / f"{lock}.txt"
    run([UV, "pip", "install", "--quiet", *target, "--require-hashes", "-r", requirements])
    run([UV, "pip", "install", "--quiet", *target, "--no-deps", wheel])
    run([UV, "pip", "check", "--quiet", *target])  # the wheel's own requirements are met
    yield venv
    shutil.rmtree(base)


@pytest.fixture(scope="session")
def full_venv(tmp_path_factory: pytest.TempPathFactory, wheel: Path) -> Iterator[Venv]:
    """``pip install 'lobby[all]'`` from the lock."""
    yield from make_venv(tmp_path_factory, wheel, "all")


@pytest.fixture(scope="session")
def core_venv(tmp_path_factory: pytest.TempPathFactory, wheel: Path) -> Iterator[Venv]:
    """``pip install lobby``: the core and the command line, no extras."""
    yield from make_venv(tmp_path_factory, wheel, "core")
