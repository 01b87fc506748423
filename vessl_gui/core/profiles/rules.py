"""What a service's fields may hold: names, ids, timeouts, the CA bundle path.

Each check returns the normalised value or raises
:class:`~vessl_gui.core.errors.ValidationError` naming the field (``name``,
``ca_bundle``, ``connect_timeout``, ``read_timeout``).
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterable
from typing import Final

from vessl_gui.core.validation import check_unicode, fail

MAX_NAME: Final = 100
MAX_TIMEOUT: Final = 3600.0
ID_RE: Final = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
"""A profile's or saved request's id (also a draft's file name)."""
_CTRL_RE: Final = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


def new_id() -> str:
    """A fresh random id (12 hex digits)."""
    import secrets

    return secrets.token_hex(6)


def fold(name: str) -> str:
    """The key names are compared by (case-insensitive)."""
    return name.casefold()


def clean_name(text: str, what: str) -> str:
    """A service's or request's name (``what``: "Service", "Request"), spaces collapsed."""
    name = text.strip()
    if not name:
        fail("name", f"{what} name is required")
    if _CTRL_RE.search(name):
        fail("name", f"{what} name must not contain line breaks or control characters")
    name = " ".join(name.split())
    if len(name) > MAX_NAME:
        fail("name", f"{what} name is too long ({len(name)} characters, at most {MAX_NAME})")
    check_unicode("name", f"{what} name", name)
    return name


def free_name(base: str, taken: Iterable[str]) -> str:
    """``base``, or ``base 2``, ``base 3`` … the first not in ``taken`` (case-insensitive)."""
    folded = {fold(t) for t in taken}
    base = base[: MAX_NAME - 4]
    candidate, n = base, 1
    while fold(candidate) in folded:
        n += 1
        candidate = f"{base} {n}"
    return candidate


def clean_timeout(name: str, value: float) -> float:
    """A timeout field (``connect_timeout``, ``read_timeout``) in seconds."""
    label = name.replace("_", " ").capitalize()
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        fail(name, f"{label} must be a number of seconds")
    if not math.isfinite(seconds) or seconds <= 0 or seconds > MAX_TIMEOUT:
        fail(name, f"{label} must be more than 0 and at most {MAX_TIMEOUT:g} seconds")
    return seconds


def clean_ca(path: str | None, known: str | None) -> str | None:
    """The CA bundle path, stripped (None when blank); it must exist unless it is ``known``."""
    if path is None or not path.strip():
        return None
    path = path.strip()
    check_unicode("ca_bundle", "CA bundle path", path)
    if path != known and not os.path.isfile(path):
        fail("ca_bundle", f"CA bundle file not found: {path}")
    return path
