"""A structural diff of two JSON values: what was added, removed or changed, by JSON path.

Rules (what counts as a difference):

* Objects are compared by key; key order is not a difference (JSON objects
  are unordered, and two servers rarely write keys in the same order).  Keys of
  the left value come first, in its order, then keys only the right one has.
* Arrays are aligned by content: their items' bytes (:mod:`.equality`) go
  through the line aligner of :mod:`.align` (equal runs, Myers' diff, windows),
  so items inserted or removed anywhere are reported as ``added``/``removed``,
  not every later index as changed.  Items the aligner pairs (a ``replace``)
  are compared inside; an item that moved keeps its left path in
  :attr:`Change.old_path`.  (Too deep to write as bytes: by index.)
* A change of type (number → string, object → array, ``true`` → ``1``) is a
  ``changed`` with a note naming both types.
* Numbers are compared by value *and* by how they are written: ``1`` and
  ``1.0`` (or ``-0.0`` and ``0.0``) are a ``changed`` noted "the same number,
  written differently", because the bytes differ and a strict client may care.
  ``1e2`` and ``100.0`` parse alike and are not told apart.  ``NaN`` equals ``NaN``.
* A whole added or removed subtree is one change.

Cost: subtrees that are equal are recognised in C (``==``, then ``marshal.dumps``
of a batch to tell ``1`` from ``1.0`` and ``true`` from ``1``, which ``==``
does not; arrays are aligned on the same bytes); only the paths that differ are
walked in Python.  Two 5.6 MB outputs of 60 000 objects that differ in three
places: ~0.1 s on a 2-core machine (it was 0.46 s with ``json.dumps`` and a
Python loop over every item).  At most ``limit`` changes are listed with
previews (the rest are counted) and at most ``max_nodes`` pairs of values are
walked (beyond that :attr:`JsonDiff.complete` is False and the counts are lower
bounds).
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from typing import Any, Final, Literal

from vessl_gui.core.compare.align import align_lines
from vessl_gui.core.compare.equality import loose_equal, same_number, strictly_equal, value_bytes
from vessl_gui.core.outputs import PathPart, breathe, format_path, shorten

ChangeKind = Literal["added", "removed", "changed"]

#: Changes listed with their previews by default (the rest are only counted).
CHANGE_LIMIT: Final = 1_000
#: Pairs of values walked at most by default (a bound on the work).
MAX_NODES: Final = 2_000_000
#: A value's preview is about this many characters.
PREVIEW: Final = 200
#: Equal-looking siblings are confirmed with one ``marshal.dumps`` this many at a time.
_BATCH: Final = 512


@dataclass(frozen=True)
class Change:
    """One difference between the left (old) and the right (new) value."""

    path: str
    """Where, in the app's path notation (``choices[0].text``; ``""`` is the root).
    An added item's path is in the right value, a removed one's in the left."""
    kind: ChangeKind
    old: str
    """Preview of the left value as JSON, shortened (``""`` when added)."""
    new: str
    """Preview of the right value as JSON, shortened (``""`` when removed)."""
    note: str = ""
    """Why a ``changed`` is one when the previews may not show it: ``"number → string"``,
    ``"the same number, written differently"``."""
    parts: tuple[PathPart, ...] = ()
    """:attr:`path` as parts, for :func:`vessl_gui.core.outputs.value_at`."""
    old_path: str = ""
    """Where the left value is: :attr:`path`, except for an array item that moved
    (items were added or removed before it); ``""`` when added."""


@dataclass(frozen=True)
class JsonDiff:
    """What :func:`json_diff` found."""

    changes: tuple[Change, ...] = ()
    """The first ``limit`` changes, in document order."""
    total: int = 0
    """All changes found (``len(changes)`` plus those only counted)."""
    added: int = 0
    removed: int = 0
    changed: int = 0
    complete: bool = True
    """False when the walk stopped at ``max_nodes``: the counts are then lower bounds."""

    @property
    def equal(self) -> bool:
        return self.complete and self.total == 0

    @property
    def more(self) -> int:
        """Changes found but not listed."""
        return self.total - len(self.changes)

    def summary(self) -> str:
        """``"No differences"`` or ``"3 changes: 1 added, 1 removed, 1 changed"``."""
        if self.equal:
            return "No differences"
        kinds = (("added", self.added), ("removed", self.removed), ("changed", self.changed))
        counts = [f"{n:,} {kind}" for kind, n in kinds if n]
        plus = "" if self.complete else "+"
        lead = f"{self.total:,}{plus} change{'' if self.total == 1 else 's'}"
        tail = "" if self.complete else " (stopped early: too many to walk)"
        return f"{lead}: {', '.join(counts)}{tail}"


def json_kind(value: Any) -> str:
    """The JSON type of a parsed value: null, boolean, number, string, array or object."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def preview(value: Any, width: int = PREVIEW) -> str:
    """A short one-line JSON text of ``value``: long strings shortened, at most 10 items
    of an array/object and 3 levels shown, about ``width`` characters (bounded work)."""

    def cut(node: Any, depth: int) -> Any:
        if isinstance(node, str):
            return shorten(node, width) if len(node) > width else node
        if isinstance(node, list | dict) and depth >= 3:
            return f"⟪{len(node):,} {'items' if isinstance(node, list) else 'keys'}⟫"
        if isinstance(node, list):
            out = [cut(v, depth + 1) for v in node[:10]]
            if len(node) > 10:
                out.append(f"⟪{len(node) - 10:,} more items⟫")
            return out
        if isinstance(node, dict):
            d: dict[str, Any] = {}
            for i, (k, v) in enumerate(node.items()):
                if i == 10:
                    d["⟪…⟫"] = f"⟪{len(node) - 10:,} more keys⟫"
                    break
                d[shorten(k, width) if len(k) > width else k] = cut(v, depth + 1)
            return d
        return node

    text = json.dumps(cut(value, 0), ensure_ascii=False)
    return text if len(text) <= 2 * width else text[: 2 * width] + "…"


def json_diff(
    left: Any, right: Any, *, limit: int = CHANGE_LIMIT, max_nodes: int = MAX_NODES
) -> JsonDiff:
    """The structural differences from ``left`` to ``right`` (parsed JSON values, e.g.
    from :func:`vessl_gui.core.outputs.parse_json`), listed in document order.

    A plain function for a worker thread: it breathes while it walks and its work is
    bounded by ``max_nodes``; see the module docstring for the rules.
    """
    found = _Found(limit)
    # a task is a pair to compare (left, right, parts, left parts) or a ready Change;
    # tasks are pushed in reverse so that they pop in document order
    stack: list[_Task] = [(left, right, (), ())]
    walked = 0
    while stack:
        task = stack.pop()
        if isinstance(task, Change):
            found.add(task)
            continue
        walked += 1
        if walked > max_nodes:
            return found.result(complete=False)
        if walked & 1023 == 0:
            breathe()
        x, y, parts, old_parts = task
        kx, ky = json_kind(x), json_kind(y)
        if kx == ky == "object":
            pairs = [(v, y.get(k, _MISSING), k, k) for k, v in x.items()]
            pairs += [(_MISSING, v, k, k) for k, v in y.items() if k not in x]
            stack.extend(reversed(_pair_tasks(pairs, parts, old_parts, found.full)))
        elif kx == ky == "array":
            pairs = _array_pairs(x, y)
            stack.extend(reversed(_pair_tasks(pairs, parts, old_parts, found.full)))
        elif kx != ky:
            found.add(_change("changed", x, y, parts, old_parts, f"{kx} → {ky}", found.full))
        elif not (same_number(x, y) if kx == "number" else x == y):
            note = "the same number, written differently" if kx == "number" and x == y else ""
            found.add(_change("changed", x, y, parts, old_parts, note, found.full))
    return found.result(complete=True)


#: A pair to compare (left, right, path parts in the right, in the left) or a Change.
_Task = tuple[Any, Any, tuple[PathPart, ...], tuple[PathPart, ...]] | Change
#: Two values under a parent: (left, right, key in the right, key in the left).
_Pair = tuple[Any, Any, PathPart, PathPart]


class _Found:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.changes: list[Change] = []
        self.counts = {"added": 0, "removed": 0, "changed": 0}

    @property
    def full(self) -> bool:
        return len(self.changes) >= self.limit

    def add(self, change: Change) -> None:
        self.counts[change.kind] += 1
        if not self.full:
            self.changes.append(change)

    def result(self, *, complete: bool) -> JsonDiff:
        c = self.counts
        total = c["added"] + c["removed"] + c["changed"]
        return JsonDiff(
            tuple(self.changes), total, c["added"], c["removed"], c["changed"], complete
        )


def _change(
    kind: ChangeKind,
    old: Any,
    new: Any,
    parts: tuple[PathPart, ...],
    old_parts: tuple[PathPart, ...],
    note: str,
    bare: bool,
) -> Change:
    """A Change; ``bare`` (the list is full, it is only counted): no path, no previews."""
    if bare:
        return Change("", kind, "", "")
    path = format_path(parts)
    return Change(
        path,
        kind,
        "" if kind == "added" else preview(old),
        "" if kind == "removed" else preview(new),
        note,
        parts,
        "" if kind == "added" else path if old_parts == parts else format_path(old_parts),
    )


class _Missing:
    def __repr__(self) -> str:
        return "<missing>"


_MISSING: Final = _Missing()


def _array_pairs(x: list[Any], y: list[Any]) -> list[_Pair]:
    """The items of two arrays paired: the equal start and end set aside, the middle
    aligned by content (the items' bytes), else by index when an item is too deep."""
    n, m = len(x), len(y)
    start = _equal_run(x, y, 0, 1, min(n, m))
    end = _equal_run(x, y, -1, -1, min(n, m) - start)
    # the equal start and end are only loosely equal (==): they are still compared strictly
    pairs: list[_Pair] = _zip(x, y, 0, 0, start)
    tail = _zip(x, y, n - end, m - end, end)
    a_hi, b_hi = n - end, m - end
    blocks = _align(x[start:a_hi], y[start:b_hi]) if start < a_hi and start < b_hi else None
    if blocks is None:  # by index, the longer one's rest added or removed
        common = min(a_hi, b_hi) - start
        blocks = [("replace", 0, common, 0, common), ("delete", common, a_hi - start, 0, 0)]
        blocks.append(("insert", 0, 0, common, b_hi - start))
    for tag, i1, i2, j1, j2 in blocks:
        if tag == "equal":
            continue  # equal bytes: strictly equal
        both = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        pairs += _zip(x, y, start + i1, start + j1, both)
        lo, hi = start + i1 + both, start + i2
        pairs += zip(x[lo:hi], itertools.repeat(_MISSING), range(lo, hi), range(lo, hi))
        lo, hi = start + j1 + both, start + j2
        pairs += zip(itertools.repeat(_MISSING), y[lo:hi], range(lo, hi), range(lo, hi))
    return pairs + tail


def _zip(x: list[Any], y: list[Any], i: int, j: int, count: int) -> list[_Pair]:
    """``count`` pairs ``(x[i+k], y[j+k], j+k, i+k)``, built in C."""
    return list(
        zip(
            x[i : i + count],
            y[j : j + count],
            range(j, j + count),
            range(i, i + count),
            strict=True,
        )
    )


def _align(a: list[Any], b: list[Any]) -> list[tuple[str, int, int, int, int]] | None:
    """Opcodes aligning two arrays by their items' bytes (:func:`.equality.value_bytes`) with
    :func:`.align.align_lines`, or None when an item is too deep."""
    keys: list[list[bytes]] = [[], []]
    try:
        for side, items in zip(keys, (a, b), strict=True):
            for start in range(0, len(items), 4096):
                side += [value_bytes(v) for v in items[start : start + 4096]]
                breathe()
    except (RecursionError, ValueError):
        return None
    return align_lines(keys[0], keys[1])[0]


def _equal_run(x: list[Any], y: list[Any], first: int, step: int, most: int) -> int:
    """How many items from index ``first`` on (``step`` ±1) are ``==`` (loosely) in both."""
    i = 0
    while i < most and loose_equal(x[first + i * step], y[first + i * step]):
        i += 1
        if i & 1023 == 0:
            breathe()
    return i


def _pair_tasks(
    pairs: list[_Pair], parts: tuple[PathPart, ...], old_parts: tuple[PathPart, ...], bare: bool
) -> list[_Task]:
    """Tasks for the pairs that differ, in order: added/removed become Changes, pairs
    that are strictly equal are dropped (containers in batches, see
    :func:`.equality.strictly_equal`)."""
    kept: list[_Pair | Change | None] = []
    maybe: list[tuple[int, Any, Any]] = []  # (index in kept, a, b): == but may differ in type
    for n, pair in enumerate(pairs):
        a, b, key, old_key = pair
        if a is _MISSING:
            kept.append(_change("added", None, b, (*parts, key), (), "", bare))
            continue
        if b is _MISSING:
            here = (*old_parts, old_key)
            kept.append(_change("removed", a, None, here, here, "", bare))
            continue
        if a is b:
            continue
        kind = type(a)
        if kind is type(b):
            if kind is dict or kind is list:
                if loose_equal(a, b):
                    maybe.append((len(kept), a, b))
            elif kind is float:
                if same_number(a, b):
                    continue
            elif a == b:  # str, int, bool, None: == is exact within one type
                continue
        kept.append(pair)
        if n & 4095 == 4095:
            breathe()
    for start in range(0, len(maybe), _BATCH):
        batch = maybe[start : start + _BATCH]
        for i in strictly_equal([(a, b) for _, a, b in batch]):
            kept[batch[i][0]] = None
        if start & (8 * _BATCH - 1) == 0:
            breathe()
    tasks: list[_Task] = []
    same = old_parts == parts
    for task in kept:
        if task is None or isinstance(task, Change):
            if task is not None:
                tasks.append(task)
            continue
        a, b, key, old_key = task
        here = (*parts, key)
        tasks.append((a, b, here, here if same and key == old_key else (*old_parts, old_key)))
    return tasks
