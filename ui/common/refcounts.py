"""Keep PySide6's reference-count bug on Python 3.11 from killing a running app.

PySide6 6.12 on CPython 3.11 releases one reference to ``None`` (and to ``True`` for
signal emits) more than it took, on every void call and every ``emit()``. A busy app
makes hundreds of thousands of such calls a day; when a count reaches zero CPython
aborts with ``none_dealloc``/``bool_dealloc``. From Python 3.12 these singletons are
immortal and the bug is harmless, so this only acts on older interpreters.
"""

from __future__ import annotations

import ctypes
import sys

# Enough to absorb a few thousand leaked references per second for decades.
RESERVE = 1 << 40
SINGLETONS: tuple[object, ...] = (None, True, False)


def protect_singletons() -> bool:
    """Give ``None``, ``True`` and ``False`` a reserve of references (CPython < 3.12).

    Returns:
        Whether a reserve was added (False on interpreters whose singletons are immortal).
    """
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    for singleton in SINGLETONS:
        # ob_refcnt is the first field of every CPython object header.
        count = ctypes.c_ssize_t.from_address(id(singleton))
        if count.value < RESERVE:
            count.value += RESERVE
    return True
