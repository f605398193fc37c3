"""Every app's English is complete, built by ``lrelease`` from its ``.ts``, and current.

The ``.ts`` must hold every string ``lupdate`` finds in the app's code today, each
translated; the ``.qm`` built from it gives those translations back.
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication

from ui.common.translations import SOURCES, TRANSLATIONS, UI, english


@pytest.mark.parametrize("app", sorted(SOURCES))
def test_translation_files_are_complete_and_compiled(app: str, tmp_path: Path) -> None:
    committed = ET.parse(TRANSLATIONS / f"{app}_en.ts")
    entries = {
        (context.findtext("name"), message.findtext("source")): message.find("translation")
        for context in committed.getroot().iter("context")
        for message in context.iter("message")
    }
    assert entries, "no strings at all"
    unfinished = [k for k, t in entries.items() if t is None or t.get("type") or not t.text]
    assert unfinished == []

    fresh = tmp_path / "fresh.ts"
    sources = sorted(str(f) for pattern in SOURCES[app] for f in UI.glob(pattern))
    subprocess.run(
        [str(Path(sys.executable).parent / "pyside6-lupdate"), *sources, "-ts", str(fresh)],
        check=True,
        capture_output=True,
    )
    needed = {
        (context.findtext("name"), message.findtext("source"))
        for context in ET.parse(fresh).getroot().iter("context")
        for message in context.iter("message")
    }
    assert needed - set(entries) == set(), "run python -m ui.common.translations update"

    translator = english(app)
    for (context, source), translation in entries.items():
        assert translator.translate(context or "", source or "") == translation.text, source
    assert QCoreApplication.translate("Labels", "老年人") == "老年人"  # no translator installed
