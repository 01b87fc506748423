"""Two history rows compared: a structural JSON diff, a bounded line diff, side by side.

For the *Compare* view (select two history rows → *Compare*).  Everything here
is a plain function a worker thread runs, with bounded work on 5 MB outputs.

* :mod:`.json_diff`: :func:`json_diff`, what was added, removed or changed
  between two JSON values, by JSON path (``choices[0].text``).
* :mod:`.equality`: strict equality of parsed JSON values in C (``1`` is not
  ``1.0`` nor ``true``, which ``==`` says they are).
* :mod:`.align`: aligning two sequences of lines with bounded work (equal runs
  compared in C, Myers' diff, difflib when small, coarse blocks past a budget).
* :mod:`.text_diff`: :func:`text_diff`, a line diff in hunks for non-JSON text.
* :mod:`.entries`: :func:`compare_entries`, two :class:`~vessl_gui.core.models.HistoryEntry`
  rows compared: fields, request data, output, images paired by path.

This package imports :mod:`vessl_gui.core.outputs`, which is loaded only after the
window's first frame: import it when the view opens, not at start-up.
"""

from __future__ import annotations

from vessl_gui.core.compare.align import Opcode, align_lines, equal_run, equal_run_back, myers
from vessl_gui.core.compare.entries import (
    Comparison,
    FieldChange,
    ImagePair,
    PartDiff,
    PartMode,
    compare_entries,
)
from vessl_gui.core.compare.json_diff import (
    CHANGE_LIMIT,
    MAX_NODES,
    PREVIEW,
    Change,
    ChangeKind,
    JsonDiff,
    json_diff,
    json_kind,
    preview,
)
from vessl_gui.core.compare.text_diff import (
    LINE_LIMIT,
    LINE_PREVIEW,
    DiffLine,
    Hunk,
    TextDiff,
    split_lines,
    text_diff,
)

__all__ = [
    "CHANGE_LIMIT",
    "LINE_LIMIT",
    "LINE_PREVIEW",
    "MAX_NODES",
    "PREVIEW",
    "Change",
    "ChangeKind",
    "Comparison",
    "DiffLine",
    "FieldChange",
    "Hunk",
    "ImagePair",
    "JsonDiff",
    "Opcode",
    "PartDiff",
    "PartMode",
    "TextDiff",
    "align_lines",
    "compare_entries",
    "equal_run",
    "equal_run_back",
    "json_diff",
    "json_kind",
    "myers",
    "preview",
    "split_lines",
    "text_diff",
]
