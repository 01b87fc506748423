"""Strict equality of parsed JSON values, decided in C.

``==`` is quick but loose: ``1 == 1.0 == True`` and ``0 == False`` in Python,
while in JSON they are different texts (and ``true`` is not a number).  Writing
both values with :mod:`marshal` (format 2) tells them apart by type as well as
by value, still in C: 20 ms for 5.6 MB of small values, where ``json.dumps``
takes 90 ms.
"""

from __future__ import annotations

import marshal
import math
from typing import Any


def value_bytes(value: Any) -> bytes:
    """Bytes that are equal exactly when two values are equal in type and value, with
    their keys in the same order (format 2 has no back-references, so sharing of
    objects does not show).  ``ValueError`` when nested too deeply."""
    return marshal.dumps(value, 2)


def strictly_equal(pairs: list[tuple[Any, Any]]) -> list[int]:
    """Which of these pairs (each ``==``) are strictly equal; one call for the whole
    batch when it agrees.  Pairs too deep to write are left out (the caller walks
    them); so are equal objects whose keys are in another order."""
    try:
        if value_bytes([p[0] for p in pairs]) == value_bytes([p[1] for p in pairs]):
            return list(range(len(pairs)))
        return [i for i, (a, b) in enumerate(pairs) if value_bytes(a) == value_bytes(b)]
    except (RecursionError, ValueError):
        return []


def loose_equal(a: Any, b: Any) -> bool:
    """``a == b`` in C; False when it is too deep to tell (then the caller walks)."""
    try:
        return bool(a == b)
    except RecursionError:
        return False


def same_number(x: int | float, y: int | float) -> bool:
    """Equal and written alike: ``1`` is not ``1.0``, ``-0.0`` is not ``0.0``, NaN is NaN."""
    if type(x) is not type(y):
        return False
    if isinstance(x, float) and isinstance(y, float):
        if math.isnan(x) and math.isnan(y):
            return True
        return x == y and math.copysign(1.0, x) == math.copysign(1.0, y)
    return x == y
