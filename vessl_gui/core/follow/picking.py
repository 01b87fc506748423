"""Request ids picked out of any pasted text (:func:`pick_ids`), for the preview.

A word is a run of letters, digits, ``_`` and ``-``; everything else
(whitespace, commas, quotes, brackets, colons, slashes, dots, ``=``…)
separates words.  ``_`` and ``-`` are trimmed from a word's ends; a word that
still holds one (``status_code``, ``my-service``, a UUID) is a name, never an
id, so a UUID does not yield five false ids.  The words that match the rule are
the *candidates*; each says whether it is :attr:`Candidate.likely` an id:

* ``"listed"``: the whole input is a list (one item a line, or
  comma/semicolon-separated, or a JSON array of strings; ``-``/``*``/``1.``
  bullets and quotes allowed): every item is meant as an id;
* ``"after an id key"`` (``"id": "…"``, ``request_id=…``, ``requestId: …``)
  or ``"after /async/"`` (a URL), anywhere in the text;
* ``"looks generated"``: 8 characters or more with both letters and digits (a
  random 12-character VESSL id has a digit 98 % of the time; English words and
  numbers never have both);
* else ``"looks like a word"`` ("id", "status", "completed", "200"): not likely.

Words that *look* like ids but break the rule (the whole list's items; words
after an id key; in free text, one-case 8-32 character words with letters and
digits, such as ``98NLUX8B0EU6`` or a 20-character hex string, but not base64
or ``HTTP``) are reported with the reason.  The value after ``Bearer``,
``token``, ``secret``, ``password``, ``api_key``, ``auth…`` is blanked out
before anything is looked at, so a pasted header never lists its token.

Cost (5.3 MB of log lines holding 60 000 distinct ids, on a 2-core machine):
0.3-0.4 s, most of it the C calls ``findall``/``Counter``, made in 1 MB windows
with the interpreter lock let go between them so the window's thread keeps
running.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Final

from vessl_gui.core.follow.ids import (
    MAX_ID_LENGTH,
    cut_word,
    id_problem,
    is_request_id,
    lower_case_suggestion,
)

#: Distinct candidates (and distinct rejected words) listed by default.
PICK_LIMIT: Final = 1_000
#: Free text is split into words this many characters at a time, other threads running between.
WINDOW: Final = 1 << 20

_WORD: Final = re.compile(r"[\w-]+")
_NOT_WORD: Final = re.compile(r"[^\w-]")
_GENERATED: Final = re.compile(r"(?=[a-z]*[0-9])(?=[0-9]*[a-z])[a-z0-9]{8,}\Z")
#: After ``id``/``ids``/``request_id``/``requestId`` (lower-cased): the key's value.
_ID_AFTER_KEY: Final = re.compile(r"""ids?["']?\s*[:=]\s*\[?\s*["']?([\w-]+)""")
_ID_AFTER_ASYNC: Final = re.compile(r"/async/([\w-]+)")
#: Keys whose value is a secret (looked for in lower-cased text), then that value.
_SECRET_KEYS: Final = ("bearer", "token", "secret", "passw", "apikey", "api_key", "api-key", "auth")
_SECRET_AFTER: Final = re.compile(
    r"""(?:bearer\s+|[a-z_-]*["']?\s*[:=]\s*["']?(?!bearer\s))([^\s"',;]+)"""
)
_LIST_PIECE: Final = re.compile(r"[^\n,;]+")
_BULLET: Final = re.compile(r"(?:[-*•]|\d{1,4}[.)])\s+")
_LIST_ITEM: Final = re.compile(r"[^\s,;:/\\=\"'`\[\](){}<>]+\Z")
_ASCII_LOWER: Final = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}


@dataclass(frozen=True)
class Candidate:
    """A word of the pasted text that is a valid id by the API's rule."""

    id: str
    likely: bool
    """Probably meant as an id (see the module docstring); else a plain word."""
    why: str
    """``"listed"``, ``"after an id key"``, ``"after /async/"``, ``"looks generated"``
    or ``"looks like a word"`` (the one reason that is not likely)."""
    count: int
    """How many times it appears (more than 1: a duplicate, followed once)."""
    known: bool
    """Already in history (the caller's ``known`` set): not followed again."""
    line: int
    """1-based line and column of its first appearance."""
    column: int


@dataclass(frozen=True)
class NotAnId:
    """A word that looks like an id but breaks the rule: shown with the reason."""

    word: str
    """The word, cut to ``WORD_PREVIEW`` characters."""
    reason: str
    """From :func:`~vessl_gui.core.follow.ids.id_problem`: ``"ids are lower case"``…"""
    suggestion: str | None
    """The lower-case form when that is a valid id (offer it), else None."""
    count: int
    line: int
    column: int


@dataclass(frozen=True)
class Picked:
    """What :func:`pick_ids` found in a text."""

    candidates: tuple[Candidate, ...] = ()
    """Every distinct valid id, in first-seen order."""
    rejected: tuple[NotAnId, ...] = ()
    """Words that look like ids but are not, in first-seen order."""
    as_list: bool = False
    """The whole input was a list of items (each item is then likely)."""
    more: int = 0
    """Distinct candidates beyond the ``limit`` (not listed, so not followed)."""
    more_rejected: int = 0
    """Distinct rejected words beyond the ``limit`` (not listed)."""

    @property
    def ids(self) -> tuple[str, ...]:
        """All distinct candidates in first-seen order (likely or not, known or not)."""
        return tuple(c.id for c in self.candidates)

    @property
    def selected(self) -> tuple[str, ...]:
        """What the preview ticks at first: likely ids that are not in history yet."""
        return tuple(c.id for c in self.candidates if c.likely and not c.known)

    @property
    def duplicates(self) -> tuple[tuple[str, int], ...]:
        """(id, times seen) of each id seen more than once."""
        return tuple((c.id, c.count) for c in self.candidates if c.count > 1)

    @property
    def known(self) -> tuple[str, ...]:
        """Candidates already in history."""
        return tuple(c.id for c in self.candidates if c.known)

    @property
    def unlikely(self) -> tuple[str, ...]:
        """Candidates that look like plain words (listed unticked)."""
        return tuple(c.id for c in self.candidates if not c.likely)

    def summary(self) -> str:
        """One line for the preview, e.g. ``"2 new ids; 1 already in history; 1 repeated."``."""
        new = len(self.selected)
        parts = [f"{new} new id{_s(new)}" if new else "No new ids"]
        if self.known:
            parts.append(f"{len(self.known)} already in history")
        if self.duplicates:
            parts.append(f"{len(self.duplicates)} repeated")
        if self.unlikely:
            n = len(self.unlikely)
            parts.append(f"{n} word{_s(n)} that may not be an id (unticked)")
        if self.rejected or self.more_rejected:
            n = len(self.rejected) + self.more_rejected
            parts.append(f"{n} not valid id{_s(n)}")
        if self.more:
            parts.append(f"{self.more:,} more ids not listed")
        return "; ".join(parts) + "."


def pick_ids(text: str, known: frozenset[str] = frozenset(), *, limit: int = PICK_LIMIT) -> Picked:
    """The request ids in pasted ``text`` (any text), for the *Follow ids* preview.

    ``known`` holds the ids already in history (reported, not selected).  At
    most ``limit`` distinct candidates and ``limit`` distinct rejected words are
    listed, in first-seen order; the rest are counted.  Never raises on any text.
    """
    text = _blank_secrets(text)
    items = _list_items(text)
    if items is not None:
        counts: dict[str, int] = Counter(word for _, word in items)
        keyed: dict[str, str] = dict.fromkeys(counts, "listed")
    else:
        counts = _free_words(text)
        keyed = _keyed(text)
    found: dict[str, _Seen] = {}
    bad: dict[str, _Seen] = {}
    more = more_bad = 0
    for word, count in counts.items():
        if is_request_id(word):
            if len(found) >= limit:
                more += 1
                continue
            why = keyed.get(word) or ("looks generated" if _GENERATED.match(word) else "")
            found[word] = _Seen(bool(why), why or "looks like a word", count)
        elif word in keyed or _looks_like_bad_id(word):
            if len(bad) >= limit:
                more_bad += 1
                continue
            bad[word] = _Seen(False, id_problem(word), count, lower_case_suggestion(word))
    _locate(text, items, found, bad)
    candidates = tuple(
        Candidate(w, e.likely, e.why, e.count, w in known, e.line, e.column)
        for w, e in found.items()
    )
    rejected = tuple(
        NotAnId(cut_word(w), e.why, e.suggestion, e.count, e.line, e.column) for w, e in bad.items()
    )
    return Picked(candidates, rejected, items is not None, more, more_bad)


@dataclass
class _Seen:
    likely: bool
    why: str
    count: int
    suggestion: str | None = None
    line: int = 0
    column: int = 0


def _s(n: int) -> str:
    return "" if n == 1 else "s"


def _breathe() -> None:
    """Let the window's thread run (as ``core.outputs.breathing.breathe``, which this
    module cannot import: ``core.outputs`` loads after the first frame)."""
    time.sleep(0)


def _looks_like_bad_id(word: str) -> bool:
    """A free-text word worth explaining: one case, up to 32 characters, letters and
    digits (``98NLUX8B0EU6``, a 20-character hex string; not base64, not ``HTTP``)."""
    if len(word) > 2 * MAX_ID_LENGTH or not (word.isupper() or word.islower()):
        return False
    return _GENERATED.match(word.lower()) is not None


def _free_words(text: str) -> dict[str, int]:
    """Words of free text and their counts in first-seen order, ``_``/``-`` trimmed from
    their ends.  Found and counted in C, a window at a time; Python looks at each
    distinct word once."""
    counter: Counter[str] = Counter()
    pos, size = 0, len(text)
    while pos < size:
        end = min(size, pos + WINDOW)
        if end < size:
            gap = _NOT_WORD.search(text, end)  # never cut a word in two
            end = gap.start() if gap is not None else size
        counter.update(_WORD.findall(text, pos, end))
        pos = end
        _breathe()
    counts: dict[str, int] = {}
    for raw, n in counter.items():
        word = raw.strip("-_") if "-" in raw or "_" in raw else raw
        if word:
            counts[word] = counts.get(word, 0) + n
    return counts


def _locate(text: str, items: list[tuple[int, str]] | None, *listed: dict[str, _Seen]) -> None:
    """Set the line and column of each listed word's first appearance (one pass, which
    stops once every listed word is placed)."""
    pending = {w: e for d in listed for w, e in d.items()}
    if not pending:
        return
    lines = _Lines(text)
    found = ((m.start(), m.group()) for m in _WORD.finditer(text))
    words: Iterable[tuple[int, str]] = items if items is not None else found
    for start, raw in words:
        word = raw.strip("-_") if items is None else raw
        seen = pending.pop(word, None)
        if seen is not None:
            seen.line, seen.column = lines.at(start + raw.find(word))
            if not pending:
                return


class _Lines:
    """Line and column of increasing offsets, counting newlines once."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.line, self.line_start, self.scanned = 1, 0, 0

    def at(self, offset: int) -> tuple[int, int]:
        newlines = self.text.count("\n", self.scanned, offset)
        if newlines:
            self.line += newlines
            self.line_start = self.text.rfind("\n", self.scanned, offset) + 1
        self.scanned = offset
        return self.line, offset - self.line_start + 1


def _ascii_lower(text: str) -> str:
    """``text`` lower-cased, every offset kept (``str.lower`` lengthens a few non-ASCII
    letters, such as "İ"; then only A-Z are lowered)."""
    lower = text.lower()
    return lower if len(lower) == len(text) else text.translate(_ASCII_LOWER)


def _find_all(lower: str, needle: str) -> Iterator[int]:
    """Offsets of ``needle`` in ``lower``: ``str.find`` is fast, where a regular
    expression that starts with an alternation costs ~0.3 s for 6 MB."""
    i = lower.find(needle)
    while i >= 0:
        yield i
        i = lower.find(needle, i + 1)


def _keyed(text: str) -> dict[str, str]:
    """The words that follow an id key or ``/async/`` anywhere, with that reason."""
    lower = _ascii_lower(text)
    keyed: dict[str, str] = {}
    for i in _find_all(lower, "id"):
        if i and lower[i - 1].isalnum() and not lower.endswith("request", 0, i):
            continue  # "paid", "valid": not a key
        m = _ID_AFTER_KEY.match(lower, i)
        if m is not None:
            keyed.setdefault(text[m.start(1) : m.end(1)].strip("-_"), "after an id key")
    for i in _find_all(lower, "/async/"):
        m = _ID_AFTER_ASYNC.match(lower, i)
        if m is not None:
            keyed.setdefault(text[m.start(1) : m.end(1)].strip("-_"), "after /async/")
    return keyed


def _blank_secrets(text: str) -> str:
    """``text`` with the value after ``Bearer``/``token:``/``password=``… turned into
    spaces (same length, so every offset holds)."""
    lower = _ascii_lower(text)
    spans: list[tuple[int, int]] = []
    for key in _SECRET_KEYS:
        for i in _find_all(lower, key):
            m = _SECRET_AFTER.match(lower, i if key == "bearer" else i + len(key))
            if m is not None:
                spans.append(m.span(1))
    if not spans:
        return text
    pieces: list[str] = []
    last = 0
    for start, end in sorted(spans):
        start = max(start, last)
        if end > start:
            pieces += (text[last:start], " " * (end - start))
            last = end
    pieces.append(text[last:])
    return "".join(pieces)


def _list_items(text: str) -> list[tuple[int, str]] | None:
    """(offset, item) when the whole text is a list: one item a line, or comma/semicolon-
    separated, or a JSON array of strings; bullets and quotes around items allowed."""
    lo, hi = 0, len(text)
    while lo < hi and text[lo].isspace():
        lo += 1
    while hi > lo and text[hi - 1].isspace():
        hi -= 1
    if hi - lo >= 2 and text[lo] == "[" and text[hi - 1] == "]":
        lo, hi = lo + 1, hi - 1
    items: list[tuple[int, str]] = []
    for m in _LIST_PIECE.finditer(text, lo, hi):
        item = m.group()
        start = m.start() + len(item) - len(item.lstrip())
        item = item.strip()
        if not item:
            continue
        bullet = _BULLET.match(item)
        if bullet is not None:
            start += bullet.end()
            item = item[bullet.end() :]
        if len(item) >= 2 and item[0] == item[-1] and item[0] in "\"'`":
            start += 1
            item = item[1:-1]
        if not _LIST_ITEM.match(item):
            return None
        items.append((start, item))
    return items or None
