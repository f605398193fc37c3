"""Start an app (or a bare Qt window) and write when its first window was exposed.

``python -m tests.bench.first_window OUT.json bare`` shows an empty ``QWidget``;
``python -m tests.bench.first_window OUT.json lobby ARGS...`` runs ``lobby ARGS``
(an app command). Either way the process writes ``{"exposed": T}`` to ``OUT.json``,
``T`` being the wall-clock time (``time.time()``) just after Qt told the first
top-level window that it is exposed and the window painted, then quits its event
loop (the app then closes as it does when its window is closed).

Both watch with the same QApplication subclass, made when Qt is first imported, in
the order the app itself imports it: ``lobby``'s core first (as the command line
does before it starts an app), then Qt through the apps' common module.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any


def watching(out: Path, base: Any) -> Any:
    """A subclass of QApplication ``base`` that records its first exposed window to ``out``."""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtGui import QWindow

    class FirstExpose(QObject):
        seen = False

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's)
            if (
                not self.seen
                and event.type() == QEvent.Type.Expose
                and isinstance(watched, QWindow)
                and watched.isExposed()
            ):
                self.seen = True
                QTimer.singleShot(0, self.record)  # after the expose was handled (painted)
            return False

        def record(self) -> None:
            out.write_text(json.dumps({"exposed": time.time()}), encoding="utf-8")
            base.instance().quit()

    watcher = FirstExpose()

    class WatchedApplication(base):  # type: ignore[misc]
        def __init__(self, argv: list[str]) -> None:
            super().__init__(argv)
            self.installEventFilter(watcher)

    return WatchedApplication


def main(argv: list[str]) -> int:
    """Run what ``argv`` names, watching for its first window."""
    out, what, rest = Path(argv[0]), argv[1], argv[2:]
    if what == "bare":
        from PySide6.QtWidgets import QApplication, QWidget

        app = watching(out, QApplication)([sys.argv[0]])
        window = QWidget()
        window.resize(640, 480)
        window.show()
        return int(app.exec())
    import lobby.cli.context  # noqa: F401 (the command line's own first imports)
    from lobby.cli.main import main as run_lobby
    from ui.common import app as common

    common.QApplication = watching(out, common.QApplication)  # type: ignore[attr-defined]
    return run_lobby(rest)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
