"""Run core tests as if Qt and the device libraries were not installed.

``python tests/without_qt.py [PYTEST ARGS]`` makes every import of PySide6, shiboken6,
pytest-qt, python-escpos and pyttsx3 fail, as on a machine without them, and then runs
pytest. The domain core (``lobby/``) and its tests must not notice (STYLE habit 1).
"""

from __future__ import annotations

import importlib.abc
import sys
from collections.abc import Sequence
from types import ModuleType

import pytest

ABSENT = ("PySide6", "shiboken6", "pytestqt", "escpos", "pyttsx3")


class Uninstalled(importlib.abc.MetaPathFinder):
    """Refuses the packages in ``ABSENT`` as if they were not installed."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> None:
        """Raise ModuleNotFoundError for an absent package, else let others look."""
        if fullname.split(".")[0] in ABSENT:
            raise ModuleNotFoundError(f"No module named {fullname!r}", name=fullname)
        return None


def main(args: list[str]) -> int:
    """Block the absent packages, then run pytest with ``args``."""
    sys.meta_path.insert(0, Uninstalled())
    # the qt_* keys of the shared configuration are unknown without pytest-qt
    options = [
        "-o",
        "addopts=-ra --strict-markers --benchmark-skip",
        "-W",
        "ignore::pytest.PytestConfigWarning",
    ]
    return int(pytest.main(["-p", "no:pytest-qt", "-p", "no:cacheprovider", *options, *args]))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
