"""Collect reference cycles on the GUI thread only.

CPython's cyclic garbage collector runs in whichever thread allocates when a
generation passes its threshold: in the apps, usually a worker thread in the middle
of a database read, or the feed thread. A cycle that holds a live Qt object then
deletes that object on a thread it does not belong to, which Qt does not survive
(the greeter crashed this way now and then, during start-up, when the worker's
first read collected the previous window's feed). So the apps switch automatic
collection off and collect from a timer on the GUI thread, generation by
generation with the interpreter's own thresholds (as pyqtgraph's GarbageCollector
does). Reference counting, which frees almost everything, is unchanged.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer, Slot

#: How often the GUI thread looks whether a collection is due.
INTERVAL_MS = 500


class GuiThreadCollector(QObject):
    """Runs Python's cyclic garbage collection from a timer on the GUI thread.

    Args:
        interval_ms: How often to check the allocation counts.
        parent: Usually the QApplication, so the collector lives as long as the app.
    """

    def __init__(self, interval_ms: int = INTERVAL_MS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.collect)

    def start(self) -> None:
        """Switch automatic collection off; collect on this thread from now on."""
        gc.disable()
        self._timer.start()

    def stop(self) -> None:
        """Give collection back to the interpreter."""
        self._timer.stop()
        gc.enable()

    @Slot()
    def collect(self) -> int:
        """Collect the generations whose counts passed their thresholds.

        Returns:
            How many unreachable objects were found.
        """
        counts = gc.get_count()
        found = 0
        for generation in range(3):
            if counts[generation] <= self.thresholds[generation]:
                break
            found += gc.collect(generation)
        return found


def collect_on_gui_thread(app: QObject) -> GuiThreadCollector:
    """Start the app's collector (once; later calls return the running one)."""
    existing = app.findChild(GuiThreadCollector)
    if isinstance(existing, GuiThreadCollector):
        return existing
    collector = GuiThreadCollector(parent=app)
    collector.start()
    return collector
