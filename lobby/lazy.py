"""Package exports imported on first use, so that importing one submodule stays cheap.

A package such as :mod:`lobby.engine` re-exports the functions of its submodules.
Done with plain imports, ``import lobby.engine.common`` (which the board needs) would
load every operation first. Instead the package lists its exports once for the
type checker, under ``if TYPE_CHECKING:``, and once for the run time, here::

    if TYPE_CHECKING:
        from lobby.engine.calling import call_next
    else:
        __getattr__ = lazy_exports(__name__, {"calling": ("call_next",)})

``tests/unit/test_lazy_exports.py`` keeps the two lists equal.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any


def lazy_exports(package: str, modules: Mapping[str, Sequence[str]]) -> Callable[[str], Any]:
    """A module ``__getattr__`` that imports each export from its submodule when first used.

    Args:
        package: The package's ``__name__``.
        modules: Submodule name (relative to ``package``) -> the names it exports.
    """
    where = {name: module for module, names in modules.items() for name in names}

    def __getattr__(name: str) -> Any:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        setattr(importlib.import_module(package), name, value)  # the next use is direct
        return value

    return __getattr__
