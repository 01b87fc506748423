"""Request ids picked out of pasted text or a command line, for *Follow ids…*.

VESSL has no list endpoint: a request made with curl, a script or by a
colleague becomes visible once its id is given to the app.  An id is what the
API promises (``^[a-z0-9]{1,16}$``, :data:`~vessl_gui.core.models.REQUEST_ID_RE`).

Two ways to paste:

* **one id a line** (every non-blank line is one word, quotes and a trailing
  comma allowed): each line must be an id; a line that is not is reported with
  its number and why;
* **any text** (a curl answer, a log, a URL…): the words that match the pattern
  are picked, except the words before a ``:`` or ``=`` (keys such as ``"id":``)
  and, of a URL, all but the id after ``/async/``.  A word without a digit, or
  without a letter (``pending``, ``200``), may be a word of the text rather than
  an id: it is returned apart (``maybe``), for the user to add.

Each id is returned once (the repeats are reported).  Which ids the history has
already is the store's to say (``HistoryStore.known_request_ids``).
"""

from __future__ import annotations

import re
from typing import Final

from vessl_gui.core.models import REQUEST_ID_RE
from vessl_gui.core.records import record

_WORD: Final = re.compile(r"[A-Za-z0-9_.\-]+")
_URL: Final = re.compile(r"https?://[^\s\"'<>]+")
_ASYNC_ID: Final = re.compile(r"/async/([a-z0-9]{1,16})(?=[/?#]|$)")
_LABEL: Final = re.compile(r"[\"']?\s*[:=]")
_LINE_QUOTES: Final = "\"'`,;"


@record
class IdProblem:
    """A line of a one-id-a-line paste that is not an id."""

    line: int
    text: str
    reason: str

    def describe(self) -> str:
        return f"line {self.line}: {self.reason}"


@record
class PickedIds:
    """What a paste holds: the ids (in order, each once), the words that may be ids,
    the repeats, and the lines that are not ids."""

    ids: tuple[str, ...]
    maybe: tuple[str, ...] = ()
    """Words of free text that match the pattern but look like words (no digit or no
    letter): followed only if the user adds them."""
    duplicates: tuple[str, ...] = ()
    """Ids given more than once (each listed once)."""
    problems: tuple[IdProblem, ...] = ()
    """One-id-a-line pastes only."""


def why_not_an_id(word: str) -> str | None:
    """Why ``word`` is not a request id (a sentence), or None when it is one."""
    if REQUEST_ID_RE.match(word):
        return None
    if not word:
        return "an id cannot be empty"
    if len(word) > 16:
        return f"{word[:20]!r} is longer than an id (1 to 16 characters)"
    if REQUEST_ID_RE.match(word.lower()):
        return f"{word!r} has capital letters: ids are lower case"
    return f"{word!r} is not an id (lower-case letters and digits only)"


def pick_ids(text: str) -> PickedIds:
    """The ids of a pasted text (see the module's docstring for the two ways)."""
    lines = [(n, line.strip().strip(_LINE_QUOTES).strip()) for n, line in _numbered(text)]
    lines = [(n, word) for n, word in lines if word]
    if lines and all(_WORD.fullmatch(word) for _, word in lines):
        return _one_a_line(lines)
    return _free_text(text)


def parse_follow_arg(value: str) -> list[str]:
    """The ids of ``--follow ID[,ID…]`` (commas and/or spaces between), each once;
    ValueError naming the first that is not an id."""
    ids: list[str] = []
    for word in re.split(r"[,\s]+", value.strip()):
        if not word:
            continue
        reason = why_not_an_id(word)
        if reason is not None:
            raise ValueError(reason)
        ids.append(word)
    if not ids:
        raise ValueError("--follow needs at least one request id")
    return list(dict.fromkeys(ids))


def _numbered(text: str) -> list[tuple[int, str]]:
    return list(enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1))


def _one_a_line(lines: list[tuple[int, str]]) -> PickedIds:
    ids: list[str] = []
    problems: list[IdProblem] = []
    for number, word in lines:
        reason = why_not_an_id(word)
        if reason is None:
            ids.append(word)
        else:
            problems.append(IdProblem(number, word, reason))
    unique, repeats = _once(ids)
    return PickedIds(unique, (), repeats, tuple(problems))


def _free_text(text: str) -> PickedIds:
    ids: list[str] = []
    maybe: list[str] = []
    rest: list[str] = []
    last = 0
    for url in _URL.finditer(text):  # of a URL, only the id after /async/
        rest.append(text[last : url.start()])
        last = url.end()
        ids.extend(m.group(1) for m in _ASYNC_ID.finditer(url.group()))
    rest.append(text[last:])
    for chunk in rest:
        for m in _WORD.finditer(chunk):
            word = m.group()
            if not REQUEST_ID_RE.match(word) or _LABEL.match(chunk, m.end()):
                continue
            looks_generated = any(c.isdigit() for c in word) and any(c.isalpha() for c in word)
            (ids if looks_generated else maybe).append(word)
    unique, repeats = _once(ids)
    seen = set(unique)
    maybe_unique = tuple(w for w in dict.fromkeys(maybe) if w not in seen)
    return PickedIds(unique, maybe_unique, repeats)


def _once(ids: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    seen: dict[str, int] = {}
    for rid in ids:
        seen[rid] = seen.get(rid, 0) + 1
    return tuple(seen), tuple(rid for rid, n in seen.items() if n > 1)
