"""Aligning two sequences of lines with bounded work: equal runs, then Myers' diff.

difflib's ``SequenceMatcher`` is what one reaches for, but it is slow on big
inputs: 1.3 s for two 600 000-line texts that differ in three lines (and
quadratic without ``autojunk``).  Outputs that differ in a few places are the
usual case, so here:

* :func:`equal_run` / :func:`equal_run_back` measure an equal run by comparing
  ever larger slices (``a[i:i+k] == b[j:j+k]`` is one C call), so a run of
  600 000 equal lines costs ~20 slice comparisons, not 600 000 Python steps;
* :func:`myers` is Myers' O((N+M)·D) diff (D = lines added plus removed), its
  diagonals followed with :func:`equal_run`; it gives up past ``max_edits``
  (the work grows as D²);
* :func:`align_lines` puts them together: Myers on the whole differing middle
  (quick when few lines differ, however long: 20 ms for 600 000 lines with 4
  changes), else difflib when the middle is small and its work estimate low,
  else Myers a window of :data:`WINDOW` lines at a time, looking further for a
  long block only one side has when a window cannot be aligned, within a work
  budget; past it, the rest is one coarse block.

Opcodes are difflib's: ``(tag, i1, i2, j1, j2)`` with tag ``equal``,
``replace``, ``delete`` or ``insert``; ``a[i1:i2]`` becomes ``b[j1:j2]``.
"""

from __future__ import annotations

import difflib
import math
from collections import Counter
from collections.abc import Sequence
from typing import Final

Opcode = tuple[str, int, int, int, int]

#: Myers' diff gives up past this many lines added plus removed (~50 ms of work).
MAX_EDITS: Final = 400
#: Middles longer than this are aligned a window at a time (see :func:`align_lines`).
#: Small windows keep dense changes cheap: Myers' work per line grows as the window.
WINDOW: Final = 500
#: When a window cannot be aligned, a block only one side has is looked for this far…
LOOKAHEAD: Final = 100_000
#: …as the place where the other side's next this many lines are found.
RESYNC: Final = 3
#: Work allowed for the windows of one alignment, in Myers steps (~1 µs each).
BUDGET: Final = 300_000
#: difflib aligns a middle (of at most WINDOW lines) when it would look at no more
#: than this many pairs of equal lines: its work (~0.25 µs a pair).
DIFFLIB_PAIRS: Final = 1_000_000


def equal_run(
    a: Sequence[object], b: Sequence[object], i: int = 0, j: int = 0, most: int | None = None
) -> int:
    """How many items are equal from ``a[i]`` and ``b[j]`` on (at most ``most``; slices
    compared in C)."""
    most = min(len(a) - i, len(b) - j) if most is None else min(len(a) - i, len(b) - j, most)
    if most <= 0 or a[i] != b[j]:
        return 0
    lo, step = 1, 1
    while lo < most:
        hi = min(most, lo + step)
        if a[i + lo : i + hi] != b[j + lo : j + hi]:
            break
        lo, step = hi, step * 2
    else:
        return most
    hi = min(most, lo + step)  # the first difference is in [lo, hi)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if a[i + lo : i + mid] == b[j + lo : j + mid]:
            lo = mid
        else:
            hi = mid
    return lo


def equal_run_back(
    a: Sequence[object], b: Sequence[object], i: int, j: int, most: int | None = None
) -> int:
    """How many items are equal going back from ``a[i-1]`` and ``b[j-1]`` (at most ``most``)."""
    most = min(i, j) if most is None else min(i, j, most)
    if most <= 0 or a[i - 1] != b[j - 1]:
        return 0
    lo, step = 1, 1
    while lo < most:
        hi = min(most, lo + step)
        if a[i - hi : i - lo] != b[j - hi : j - lo]:
            break
        lo, step = hi, step * 2
    else:
        return most
    hi = min(most, lo + step)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if a[i - mid : i - lo] == b[j - mid : j - lo]:
            lo = mid
        else:
            hi = mid
    return lo


def myers(
    a: Sequence[object], b: Sequence[object], max_edits: int = MAX_EDITS
) -> list[Opcode] | None:
    """A shortest edit script from ``a`` to ``b`` as opcodes, or None past ``max_edits``."""
    n, m = len(a), len(b)
    off = max_edits + 1
    v = [0] * (2 * off + 1)  # v[off + k]: furthest x on diagonal k
    trace: list[list[int]] = []  # v[off-d-1 : off+d+2] before each round d
    for d in range(max_edits + 1):
        trace.append(v[off - d - 1 : off + d + 2])
        for k in range(-d, d + 1, 2):
            if k == -d or (k != d and v[off + k - 1] < v[off + k + 1]):
                x = v[off + k + 1]  # down: b[y] inserted
            else:
                x = v[off + k - 1] + 1  # right: a[x-1] deleted
            y = x - k
            if x < n and y < m:
                x += equal_run(a, b, x, y)
            v[off + k] = x
            if x >= n and x - k >= m:
                return _opcodes(_backtrack(trace, n, m))
    return None


def _backtrack(trace: list[list[int]], n: int, m: int) -> list[Opcode]:
    """The moves of Myers' search, from its trace, as single-step opcodes, in order."""
    moves: list[Opcode] = []
    x, y = n, m
    for d in range(len(trace) - 1, -1, -1):
        v, base = trace[d], d + 1  # v[base + k]
        k = x - y
        if d == 0:
            if x:
                moves.append(("equal", 0, x, 0, y))
            break
        if k == -d or (k != d and v[base + k - 1] < v[base + k + 1]):
            prev_x = v[base + k + 1]
            prev_y = prev_x - (k + 1)
            mid_x, mid_y = prev_x, prev_y + 1
            step: Opcode = ("insert", prev_x, prev_x, prev_y, prev_y + 1)
        else:
            prev_x = v[base + k - 1]
            prev_y = prev_x - (k - 1)
            mid_x, mid_y = prev_x + 1, prev_y
            step = ("delete", prev_x, prev_x + 1, prev_y, prev_y)
        if x > mid_x:
            moves.append(("equal", mid_x, x, mid_y, y))
        moves.append(step)
        x, y = prev_x, prev_y
    moves.reverse()
    return moves


def _opcodes(moves: list[Opcode]) -> list[Opcode]:
    """Steps merged: runs of deletes and inserts between equal runs become one
    ``delete``, ``insert`` or ``replace``, and equal runs in a row one ``equal``."""
    out: list[Opcode] = []
    pending: Opcode | None = None  # the changes since the last equal run, as one span
    for tag, i1, i2, j1, j2 in moves:
        if tag == "equal":
            if pending is not None:
                out.append(pending)
                pending = None
            if i2 == i1:
                continue
            if out and out[-1][0] == "equal":  # two equal runs in a row: one
                out[-1] = ("equal", out[-1][1], i2, out[-1][3], j2)
            else:
                out.append((tag, i1, i2, j1, j2))
            continue
        if pending is None:
            pending = (tag, i1, i2, j1, j2)
            continue
        _, p1, p2, q1, q2 = pending
        p2, q2 = max(p2, i2), max(q2, j2)
        kind = "delete" if q1 == q2 else "insert" if p1 == p2 else "replace"
        pending = (kind, p1, p2, q1, q2)
    if pending is not None:
        out.append(pending)
    return out


def edits(ops: list[Opcode]) -> int:
    """Items removed plus added by ``ops``."""
    return sum(i2 - i1 + j2 - j1 for tag, i1, i2, j1, j2 in ops if tag != "equal")


def align_lines(a: Sequence[object], b: Sequence[object]) -> tuple[list[Opcode], bool]:
    """Opcodes from ``a`` to ``b``, and whether they are exact (False: some part is one
    coarse ``replace`` block because aligning it would cost too much).

    The equal start and end are set aside (slices compared in C); the middle goes
    to :func:`myers` (quick when few lines differ, however long).  When more differ,
    a middle of up to :data:`WINDOW` lines a side goes to difflib if
    :func:`difflib_is_quick`, else it is one block; a longer one is aligned a window
    at a time: Myers on the next :data:`WINDOW` lines of each side, keeping the
    changes in the first half (the window's end may be mis-aligned), until
    :data:`BUDGET` is spent; a window Myers gives up on, and the rest once the
    budget is spent, are blocks.
    """
    start = equal_run(a, b)
    end = equal_run_back(a, b, len(a), len(b), min(len(a), len(b)) - start)
    a_hi, b_hi = len(a) - end, len(b) - end
    ops: list[Opcode] = [("equal", 0, start, 0, start)] if start else []
    exact = True
    mid_a, mid_b = a[start:a_hi], b[start:b_hi]
    if not mid_a or not mid_b:
        if mid_a or mid_b:
            ops.append(("insert" if mid_b else "delete", start, a_hi, start, b_hi))
    else:
        found = myers(mid_a, mid_b, MAX_EDITS)  # quick when few lines differ, however long
        small = len(mid_a) <= WINDOW and len(mid_b) <= WINDOW
        if found is None and small and difflib_is_quick(mid_a, mid_b):
            matcher = difflib.SequenceMatcher(None, mid_a, mid_b)
            found = [(t, i1, i2, j1, j2) for t, i1, i2, j1, j2 in matcher.get_opcodes()]
        if found is not None:
            ops += [
                (t, i1 + start, i2 + start, j1 + start, j2 + start) for t, i1, i2, j1, j2 in found
            ]
        elif small:
            ops.append(("replace", start, a_hi, start, b_hi))
            exact = False
        else:
            middle, exact = _windowed(a, b, start, a_hi, start, b_hi)
            ops += middle
    if end:
        ops.append(("equal", a_hi, len(a), b_hi, len(b)))
    return _opcodes(ops), exact


def difflib_is_quick(a: Sequence[object], b: Sequence[object]) -> bool:
    """difflib's work, estimated: the pairs of equal lines it looks at (lines in more
    than 1 % of ``b`` are junk to it when ``b`` has 200 lines or more)."""
    counts = Counter(b)
    popular = len(b) // 100 + 1 if len(b) >= 200 else len(b) + 1
    pairs = sum(n for line in a if (n := counts.get(line, 0)) <= popular)
    return pairs <= DIFFLIB_PAIRS


def _resync(
    a: Sequence[object], b: Sequence[object], i: int, a_hi: int, j: int, b_hi: int
) -> Opcode | None:
    """A block only one side has, from ``a[i]``/``b[j]`` on: the nearest place within
    :data:`LOOKAHEAD` where the other side's next :data:`RESYNC` lines are found."""
    found: list[Opcode] = []
    at = _find_lines(b, j + 1, min(b_hi, j + LOOKAHEAD), a, i, a_hi)
    if at is not None:
        found.append(("insert", i, i, j, at))
    at = _find_lines(a, i + 1, min(a_hi, i + LOOKAHEAD), b, j, b_hi)
    if at is not None:
        found.append(("delete", i, at, j, j))
    return min(found, key=lambda op: op[2] - op[1] + op[4] - op[3]) if found else None


def _find_lines(
    seq: Sequence[object], start: int, stop: int, probe: Sequence[object], p: int, p_hi: int
) -> int | None:
    """Where ``probe[p:p+RESYNC]`` first appears in ``seq[start:stop]`` (``list.index``
    searches in C; at most 1 000 false starts are tried)."""
    count = min(RESYNC, p_hi - p)
    if count <= 0:
        return None
    for _ in range(1_000):
        try:
            at = seq.index(probe[p], start, stop)
        except ValueError:
            return None
        if equal_run(seq, probe, at, p, count) == count:
            return at
        start = at + 1
    return None


def _windowed(
    a: Sequence[object], b: Sequence[object], i: int, a_hi: int, j: int, b_hi: int
) -> tuple[list[Opcode], bool]:
    """Opcodes for ``a[i:a_hi]`` / ``b[j:b_hi]``, a window at a time (see :func:`align_lines`)."""
    ops: list[Opcode] = []
    budget, exact = BUDGET, True
    while i < a_hi and j < b_hi:
        run = equal_run(a, b, i, j, min(a_hi - i, b_hi - j))
        if run:
            ops.append(("equal", i, i + run, j, j + run))
            i, j = i + run, j + run
            continue
        wa, wb = min(a_hi, i + WINDOW), min(b_hi, j + WINDOW)
        allow = min(MAX_EDITS, WINDOW // 2, math.isqrt(2 * budget))
        found = myers(a[i:wa], b[j:wb], allow) if allow else None
        if found is None:
            if not allow:
                break
            budget -= allow * allow // 2
            block = _resync(a, b, i, a_hi, j, b_hi)
            if block is not None:  # lines only one side has (a long insertion)
                ops.append(block)
                i, j = block[2], block[4]
                continue
            exact = False  # a very different stretch: half a window as one block
            half_a, half_b = min(a_hi - i, WINDOW // 2), min(b_hi - j, WINDOW // 2)
            ops.append(("replace", i, i + half_a, j, j + half_b))
            i, j = i + half_a, j + half_b
            continue
        budget -= edits(found) ** 2 // 2 + 1
        last = wa >= a_hi and wb >= b_hi
        for n, (t, i1, i2, j1, j2) in enumerate(found):
            if n and not last and (i1 > WINDOW // 2 or j1 > WINDOW // 2):
                break  # the window's end may be mis-aligned: align again from here
            ops.append((t, i1 + i, i2 + i, j1 + j, j2 + j))
        i, j = ops[-1][2], ops[-1][4]
    if i < a_hi or j < b_hi:
        tag = "replace" if i < a_hi and j < b_hi else "delete" if i < a_hi else "insert"
        ops.append((tag, i, a_hi, j, b_hi))
        exact = exact and tag != "replace"
    return ops, exact
