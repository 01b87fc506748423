"""A package ``__init__`` that re-exports its modules' names without importing them all.

``from vessl_gui.core.variables import Variable`` then imports only the module that
defines ``Variable`` (PEP 562 module ``__getattr__``): the window's first frame does
not pay for the parts of a package it does not use yet (a module costs ~0.5-5 ms to
import, measured in B1).  Type checkers see the names through the package's
``if TYPE_CHECKING:`` imports.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(
    package: str, namespace: dict[str, Any], where: Mapping[str, str]
) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``package``: ``where`` maps each name to its module.

    No name may also be a submodule's (importing that submodule would set the package's
    attribute to the module, which ``from package import name`` would then return).
    """
    clash = set(where) & set(where.values())
    if clash:
        raise ValueError(f"{package}: names that are also submodules: {sorted(clash)}")

    def __getattr__(name: str) -> Any:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        namespace[name] = value  # looked up once
        return value

    return __getattr__
