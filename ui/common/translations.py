"""The apps' English: Qt Linguist files, built from their ``.ts`` sources.

Source strings are Chinese (``self.tr(...)``, ``QT_TRANSLATE_NOOP``); each app has
``resources/translations/<app>_en.ts``, which ``lupdate`` refreshes from the code and
translators fill in. ``lrelease`` turns it into the ``.qm`` the app loads; the
``.qm`` files are built (by ``./run`` and the test session), never kept by hand:
:func:`build` runs ``lrelease`` for each ``.ts`` whose ``.qm`` is missing or older.

``python -m ui.common.translations update`` runs ``lupdate`` for every app,
``python -m ui.common.translations build`` runs ``lrelease``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QObject, QTranslator

from lobby.resource_files import resource

TRANSLATIONS = resource("translations")
UI = Path(__file__).resolve().parents[1]
#: Each app's ``.ts`` name and the code its strings come from (globs under ``ui/``).
SOURCES: dict[str, tuple[str, ...]] = {
    "greeter": ("greeter/*.py",),
    "display": ("display/*.py",),
    "rating": ("rating/*.py", "common/faces.py"),
}


def _tool(name: str) -> str:
    """``pyside6-<name>`` next to this interpreter, else on PATH."""
    beside = Path(sys.executable).with_name(f"pyside6-{name}")
    if beside.exists():
        return str(beside)
    found = shutil.which(f"pyside6-{name}")
    if found is None:
        raise FileNotFoundError(f"pyside6-{name} not found: install PySide6-Essentials")
    return found


def build(directory: Path = TRANSLATIONS) -> list[Path]:
    """Run ``lrelease`` for every ``.ts`` in ``directory`` whose ``.qm`` is stale.

    Returns:
        The ``.qm`` files written.
    """
    built = []
    for source in sorted(directory.glob("*.ts")):
        target = source.with_suffix(".qm")
        if target.exists() and target.stat().st_mtime >= source.stat().st_mtime:
            continue
        try:
            lrelease = _tool("lrelease")
        except FileNotFoundError:
            if target.exists():  # a bundle without the tools: its built file stands
                continue
            raise
        subprocess.run(
            [lrelease, "-silent", str(source), "-qm", str(target)],
            check=True,
            capture_output=True,
        )
        built.append(target)
    return built


def update(directory: Path = TRANSLATIONS) -> None:
    """Run ``lupdate`` for every app: new source strings join its ``.ts``, gone ones leave."""
    for app, packages in SOURCES.items():
        files = [str(f) for p in packages for f in sorted(UI.glob(p))]
        subprocess.run(
            [
                _tool("lupdate"),
                "-no-obsolete",
                "-locations",
                "none",
                *files,
                "-ts",
                str(directory / f"{app}_en.ts"),
            ],
            check=True,
        )


def english(app: str, parent: QObject | None = None) -> QTranslator:
    """The loaded English translator of ``app`` (built first when stale).

    Raises:
        FileNotFoundError: The app has no translation.
    """
    build()
    translator = QTranslator(parent)
    path = TRANSLATIONS / f"{app}_en.qm"
    if not translator.load(str(path)):
        raise FileNotFoundError(path)
    return translator


if __name__ == "__main__":  # pragma: no cover - a developer's tool
    if sys.argv[1:] == ["update"]:
        update()
    elif sys.argv[1:] == ["build"]:
        for qm in build():
            print(qm)
    else:
        sys.exit("usage: python -m ui.common.translations update|build")
