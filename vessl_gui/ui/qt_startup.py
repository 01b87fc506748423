"""Start-up work PySide does for every module imported after it, made cheaper.

PySide6 replaces ``__import__`` so that, after each import, it can tell whether
the new module uses PySide (for its ``from __feature__ import ...`` switches).
It finds out with ``inspect.getsource(module)`` and a search for ``"PySide6"``:
~0.17 ms per module, and a window's first frame imports ~70 modules after
PySide (~11 ms of the start; tests/benchmarks B1).  :func:`scan_modules_cheaply`
asks the same question by reading the module's ``.py`` file directly (~0.04 ms)
and leaves everything else (no file, not a ``.py``, unreadable) to PySide's own
check, so each module gets the same answer as before.

If a PySide release no longer has the hook this patches, nothing changes.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import ModuleType

_MARK = "_vessl_gui_cheap_scan"


def scan_modules_cheaply() -> bool:
    """Swap PySide's per-import source scan for a direct file read; True if swapped.

    Call it after PySide6 is imported; calling it again does nothing.
    """
    feature = sys.modules.get("shibokensupport.feature")
    original: Callable[[ModuleType], bool] | None = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or original is None or not callable(original):
        return False
    if getattr(original, _MARK, False):
        return True

    def uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and path.endswith(".py"):
            try:
                with open(path, "rb") as source:
                    return b"PySide6" in source.read()
            except OSError:
                pass
        return original(module)

    setattr(uses_pyside, _MARK, True)
    uses_pyside.__wrapped__ = original  # type: ignore[attr-defined]
    feature._mod_uses_pyside = uses_pyside  # type: ignore[attr-defined]
    return True
