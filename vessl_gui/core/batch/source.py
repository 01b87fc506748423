"""A batch file read into items: JSON Lines or a JSON array, each item checked as in the composer.

Two formats, told apart by the first character that is not whitespace:

* a **JSON array** (``[`` and the whole file is one valid array): each element
  is one ``data`` value;
* else **JSON Lines**: each line one ``data`` value; blank lines are skipped.

Each item keeps its exact text (for an array, the element's own span of the
file, never a re-serialisation; for a line, the line without the whitespace
around it, as the composer strips ``data``), and where it starts (1-based line
and column).  Every item is checked with the composer's rules
(:func:`vessl_gui.core.validation.check_json`: strict JSON, no NaN/Infinity, no
duplicate keys, no invalid Unicode); a bad item becomes a :class:`BatchProblem`
naming its line, column and reason, and is never sent.

A file that cannot be a batch at all raises :class:`BatchFileError` (a
``ValidationError`` of the field ``file``) with a position where there is one:
unreadable or not UTF-8 (:func:`load_batch` says where the first bad byte is),
empty, a JSON array with a syntax error, or no valid item (then with every
item's problem).

Bounded work, for a thread of the UI: linear in the file's size, each item
parsed once to be located (arrays) and once by the composer's check.  Measured
on a shared 2-core machine: 10 000 lines of ~80 bytes, ~115 ms as JSON Lines and
~160 ms as an array; a 19 MB file of 10 000 items, ~250 / ~330 ms; 10 000 bad
lines, ~210 ms.  At most :data:`MAX_BATCH_BYTES` are read.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from typing import Final, Literal

from vessl_gui.core.errors import FieldError, ValidationError
from vessl_gui.core.json_files import MAX_OPEN_BYTES, read_json_text
from vessl_gui.core.records import record
from vessl_gui.core.text import position
from vessl_gui.core.validation import check_json

#: The largest batch file read: the editor's limit (a batch of tens of MB is expected).
MAX_BATCH_BYTES: Final = MAX_OPEN_BYTES
_WS: Final = re.compile(r"[ \t\n\r]*")
_DECODER: Final = json.JSONDecoder()
_BOM: Final = "\ufeff"

BatchKind = Literal["jsonl", "array"]


@record
class BatchItem:
    """One ``data`` value of the file: its exact text and where it starts (1-based)."""

    text: str
    line: int
    column: int


@record
class BatchProblem:
    """An item that will not be sent: where it is (1-based) and why."""

    line: int
    column: int
    reason: str

    def describe(self) -> str:
        """``line 3, column 7: reason``."""
        return f"line {self.line}, column {self.column}: {self.reason}"


@record
class BatchSource:
    """A batch file read: its valid items in file order, and its bad ones' problems."""

    name: str
    """The file's name, as given (shown to the user)."""
    kind: BatchKind
    """``jsonl`` (one value a line) or ``array`` (a JSON array)."""
    items: tuple[BatchItem, ...]
    problems: tuple[BatchProblem, ...]
    """In file order; empty when every item is valid."""

    @property
    def texts(self) -> list[str]:
        """The items' texts, in file order (what ``HistoryStore.create_batch`` takes)."""
        return [item.text for item in self.items]

    def summary(self) -> str:
        """One sentence for the preview, e.g. ``120 requests, 3 invalid lines (not sent)``."""
        n, bad = len(self.items), len(self.problems)
        text = f"{n} request{'s' * (n != 1)}"
        if bad:
            unit = "line" if self.kind == "jsonl" else "item"
            text += f", {bad} invalid {unit}{'s' * (bad != 1)} (not sent)"
        return text


class BatchFileError(ValidationError):
    """The file cannot be a batch: the one problem of the field ``file`` (with a
    position where there is one), and ``problems``: each item's, when none is valid."""

    def __init__(
        self,
        message: str,
        line: int | None = None,
        column: int | None = None,
        problems: Sequence[BatchProblem] = (),
    ) -> None:
        super().__init__([FieldError("file", message, line, column)])
        self.problems: tuple[BatchProblem, ...] = tuple(problems)


def load_batch(path: str | os.PathLike[str]) -> BatchSource:
    """Read the file at ``path`` as a batch named by its file name.

    The file is read as the editor opens one (:func:`vessl_gui.core.json_files.read_json_text`:
    at most :data:`MAX_BATCH_BYTES`, UTF-8 with a BOM dropped); a file refused there
    (a folder, missing, too large, UTF-16, not UTF-8 with the offset of the first bad
    byte, blank) raises :class:`BatchFileError` with its reason, as does one that
    cannot be a batch (:func:`read_batch`).
    """
    name = os.path.basename(os.fspath(path))
    found = read_json_text(os.fspath(path))
    if found.problem is not None:
        raise BatchFileError(f"{name} cannot be read as a batch: {found.problem}")
    return read_batch(found.text, name)


def read_batch(text: str, name: str) -> BatchSource:
    """The items of a batch file's text (see the module's docstring for the rules).

    Raises :class:`BatchFileError`: an empty file, a JSON array with a syntax
    error (where), a file with no valid item (with each item's problem), or a
    single JSON value over several lines (it would be read one line at a time).
    """
    if text.startswith(_BOM):
        text = text[1:]
    if not text.strip():
        raise BatchFileError(f"{name} is empty: write one JSON value a line, or a JSON array")
    first = _WS.match(text)
    start = first.end() if first else 0
    if start < len(text) and text[start] == "[":
        found = _array_items(text, start)
        if isinstance(found, tuple):
            items, problems = found
            if not items and not problems:
                raise BatchFileError(f"{name} is an empty JSON array: no request to send")
            return _source(name, "array", items, problems)
        if _first_line_is_json(text, start):  # JSON Lines whose values are arrays
            return _lines_source(text, name)
        line, column = position(text, found.pos)
        raise BatchFileError(f"{name} is not a valid JSON array: {found.msg}", line, column)
    return _lines_source(text, name)


def _source(
    name: str, kind: BatchKind, items: list[BatchItem], problems: list[BatchProblem]
) -> BatchSource:
    if not items:
        unit = "line" if kind == "jsonl" else "item"
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise BatchFileError(
            f"{name} has no valid JSON {unit}: {problems[0].reason}{more}",
            problems[0].line if problems else None,
            problems[0].column if problems else None,
            problems,
        )
    return BatchSource(name, kind, tuple(items), tuple(problems))


def _check(text: str, line: int, column: int) -> BatchProblem | None:
    """The composer's check of one item starting at (line, column) of the file."""
    problem = check_json(text)
    if problem is None:
        return None
    at_line, at_col = problem.line or 1, problem.column or 1
    if at_line == 1:
        at_col += column - 1
    return BatchProblem(line + at_line - 1, at_col, problem.message)


def _lines_source(text: str, name: str) -> BatchSource:
    items: list[BatchItem] = []
    problems: list[BatchProblem] = []
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        column = len(line) - len(line.lstrip()) + 1
        problem = _check(stripped, number, column)
        if problem is None:
            items.append(BatchItem(stripped, number, column))
        else:
            problems.append(problem)
    if problems and "\n" in text.strip() and check_json(text) is None:
        raise BatchFileError(
            f"{name} is one JSON value over several lines, not one value a line: "
            "put each request's data on a line of its own, or the values in a JSON array",
            problems[0].line,
            problems[0].column,
        )
    return _source(name, "jsonl", items, problems)


def _first_line_is_json(text: str, start: int) -> bool:
    end = text.find("\n", start)
    return check_json(text[start : len(text) if end < 0 else end]) is None


def _array_items(
    text: str, start: int
) -> tuple[list[BatchItem], list[BatchProblem]] | json.JSONDecodeError:
    """Walk the array at ``start``: its elements' spans, checked; or the syntax error."""
    items: list[BatchItem] = []
    problems: list[BatchProblem] = []

    def skip(i: int) -> int:
        m = _WS.match(text, i)
        return m.end() if m else i

    def error(message: str, at: int) -> json.JSONDecodeError:
        return json.JSONDecodeError(message, text, at)

    def close(i: int) -> tuple[list[BatchItem], list[BatchProblem]] | json.JSONDecodeError:
        """At the closing ``]``: the items, unless something follows the array."""
        rest = skip(i + 1)
        if rest < len(text):
            return error("Extra data after the array (only one array is allowed)", rest)
        return items, problems

    i = skip(start + 1)
    if i < len(text) and text[i] == "]":
        return close(i)  # empty: refused by the caller, with its own message
    at = (start, *position(text, start))
    while True:
        try:
            _, end = _DECODER.raw_decode(text, i)
        except json.JSONDecodeError as e:
            return e
        except RecursionError:
            return error("JSON is nested too deeply", i)
        line, column = _next_pos(text, i, at)
        at = (i, line, column)
        span = text[i:end]
        problem = _check(span, line, column)
        if problem is None:
            items.append(BatchItem(span, line, column))
        else:
            problems.append(problem)
        i = skip(end)
        if i >= len(text):
            return error("Expecting ',' or ']' (the array is not closed)", i)
        if text[i] == "]":
            return close(i)
        if text[i] != ",":
            return error("Expecting ',' delimiter", i)
        i = skip(i + 1)
        if i < len(text) and text[i] == "]":
            return error("Expecting a value after ',' (a trailing comma?)", i)


def _next_pos(text: str, offset: int, last: tuple[int, int, int]) -> tuple[int, int]:
    """(line, column) of ``offset``, counted on from the last item's (offset, line,
    column): linear over the file, not quadratic as ``position`` from the start."""
    before, line, column = last
    breaks = text.count("\n", before, offset)
    if not breaks:
        return line, column + offset - before
    return line + breaks, offset - text.rfind("\n", before, offset)
