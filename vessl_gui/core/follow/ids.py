"""The request id rule, explained: is a word an id, and if not, why not; ``--follow``.

The API promises ids matching ``^[a-z0-9]{1,16}$`` (``REQUEST_ID_RE`` in
:mod:`vessl_gui.core.models`, the one definition).  Here the rule is applied
with ``fullmatch`` (``$`` alone also accepts a trailing newline) and a word that
breaks it gets a reason the user can act on ("ids are lower case").
"""

from __future__ import annotations

import argparse
import re
from typing import Final

from vessl_gui.core.models import REQUEST_ID_RE

#: The longest id the API hands out.
MAX_ID_LENGTH: Final = 16
#: A word that is not an id is shown at most this long (it is quoted, not used).
WORD_PREVIEW: Final = 40

_NOT_ID_CHAR: Final = re.compile(r"[^a-zA-Z0-9]")
_UPPER: Final = re.compile(r"[A-Z]")


def is_request_id(word: str) -> bool:
    """True when ``word`` is exactly an id by the API's rule (no trailing newline)."""
    return REQUEST_ID_RE.fullmatch(word) is not None


def id_problem(word: str) -> str:
    """Why ``word`` is not a request id, in words for the user (``""`` when it is one).

    >>> id_problem("98NLUX8B0EU6")
    'ids are lower case'
    >>> id_problem("abc-def")
    "ids use only a-z and 0-9 (found '-')"
    """
    if is_request_id(word):
        return ""
    if not word:
        return "it is empty"
    problems: list[str] = []
    if _UPPER.search(word):
        problems.append("ids are lower case")
    odd = sorted(set(_NOT_ID_CHAR.findall(word)))
    if odd:
        shown = ", ".join(repr(c) for c in odd[:5]) + (", …" if len(odd) > 5 else "")
        problems.append(f"ids use only a-z and 0-9 (found {shown})")
    if len(word) > MAX_ID_LENGTH:
        problems.append(f"ids are at most {MAX_ID_LENGTH} characters (this has {len(word):,})")
    return "; ".join(problems)


def lower_case_suggestion(word: str) -> str | None:
    """The lower-case form of ``word`` when that is a valid id and differs (offer it)."""
    lower = word.lower()
    return lower if lower != word and is_request_id(lower) else None


def cut_word(word: str) -> str:
    """``word`` cut to :data:`WORD_PREVIEW` characters for a message."""
    return word if len(word) <= WORD_PREVIEW else word[: WORD_PREVIEW - 1] + "…"


class FollowArgError(argparse.ArgumentTypeError, ValueError):
    """A bad ``--follow`` value.  argparse shows an ``ArgumentTypeError``'s message as
    it is (a plain ``ValueError`` becomes "invalid value"); it is a ``ValueError``
    too, for callers outside argparse."""


def parse_follow_arg(value: str) -> tuple[str, ...]:
    """The ids of ``vessl-gui --follow ID[,ID…]``: strict, every item a valid id.

    Items are separated by commas, spaces around them are ignored, repeats are
    followed once (first-seen order).  Raises :class:`FollowArgError` naming the
    first bad item; usable as ``parser.add_argument("--follow", type=parse_follow_arg)``.
    """
    if not value.strip():
        raise FollowArgError("--follow needs at least one request id, e.g. --follow 98nlux8b0eu6")
    items = value.split(",")
    ids: dict[str, None] = {}
    for n, raw in enumerate(items, 1):
        item = raw.strip()
        if not item:
            raise FollowArgError(
                f"--follow: item {n} of {len(items)} is empty (separate ids with single commas)"
            )
        problem = id_problem(item)
        if problem:
            suggestion = lower_case_suggestion(item)
            hint = f" (did you mean {suggestion}?)" if suggestion else ""
            raise FollowArgError(
                f"--follow: {cut_word(item)!r} is not a request id: {problem}{hint}"
            )
        ids[item] = None
    return tuple(ids)
