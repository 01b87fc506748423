"""What a service's fields may hold: names, ids, the CA bundle path.

Each check returns the normalised value or raises
:class:`~vessl_gui.core.errors.ValidationError` naming the field (``name``,
``ca_bundle``).  The timeouts and the CA bundle file follow the settings' rules,
defined once in :mod:`vessl_gui.core.validation` (``normalize_timeout``,
``ca_bundle_problem``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

from vessl_gui.core.validation import ca_bundle_problem, check_unicode, fail

MAX_NAME: Final = 100
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


def clean_ca(path: str | None, known: str | None) -> str | None:
    """The CA bundle path, stripped (None when blank).

    The file must load as PEM certificates (as in the settings) unless it is
    ``known`` (accepted once already).
    """
    if path is None or not path.strip():
        return None
    path = path.strip()
    check_unicode("ca_bundle", "CA bundle path", path)
    if path != known:
        problem = ca_bundle_problem(path)
        if problem:
            fail("ca_bundle", problem)
    return path
