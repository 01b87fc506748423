"""Two history rows compared for the *Compare* view: fields, request data, output, images.

:func:`compare_entries` is a plain function for a worker thread: it parses and
analyses both outputs (:func:`vessl_gui.core.outputs.analyze`, the details
pane's own analysis: display text, images, generated texts) unless the caller
passes analyses it already has, then diffs.  Measured on a 2-core machine:

* two 5.6 MB JSON outputs of 60 000 objects differing in 3 places: ~1.1 s, of
  which the two analyses take ~1.0 s (``parse_json`` and ``find_outputs``,
  about 40 % of it the cyclic garbage collector walking the new trees) and the
  diff ~0.1 s; with the analyses passed in, ~0.1 s;
* two 4.6 MB image outputs: 16 ms; two 5 MB texts differing in 4 places: 34 ms.

See :mod:`.json_diff` and :mod:`.text_diff` for the rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from vessl_gui.core.compare.json_diff import CHANGE_LIMIT, JsonDiff, json_diff
from vessl_gui.core.compare.text_diff import LINE_LIMIT, TextDiff, text_diff
from vessl_gui.core.models import HistoryEntry
from vessl_gui.core.outputs import Analysis, FoundImage, analyze, parse_json

PartMode = Literal["same", "json", "text", "missing"]


@dataclass(frozen=True)
class PartDiff:
    """How one part of the two rows (request data, or output) differs."""

    mode: PartMode
    """``same`` (identical text), ``json`` (see :attr:`json`), ``text`` (see
    :attr:`text`), ``missing`` (a side has none: :attr:`note` says which)."""
    json: JsonDiff | None = None
    text: TextDiff | None = None
    note: str = ""
    """Why this mode, or what the diff does not show (e.g. same JSON, other spacing)."""

    @property
    def changes(self) -> int:
        """Changes found (JSON), or lines added plus removed (text)."""
        if self.json is not None:
            return self.json.total
        if self.text is not None:
            return self.text.added + self.text.removed
        return 0

    def summary(self) -> str:
        if self.mode == "same":
            return "Identical"
        if self.mode == "missing":
            return self.note
        diff: JsonDiff | TextDiff | None = self.json if self.json is not None else self.text
        detail = diff.summary() if diff is not None else ""
        return detail + (f" ({self.note})" if self.note else "")


@dataclass(frozen=True)
class FieldChange:
    """A plain field that differs: method, path, service, state, status code…"""

    name: str
    left: str
    right: str


@dataclass(frozen=True)
class ImagePair:
    """The images at one JSON path of the two outputs, for side-by-side display."""

    path: str
    left: FoundImage | None
    right: FoundImage | None
    same: bool
    """Both there, and their base64 is the same."""


@dataclass(frozen=True)
class Comparison:
    """Everything the *Compare* view shows about two history rows."""

    left_row: int
    right_row: int
    fields: tuple[FieldChange, ...]
    data: PartDiff
    output: PartDiff
    left_output: Analysis
    """The left output as the details pane reads it (``display`` text for the
    side-by-side panes, ``images``, ``texts``)."""
    right_output: Analysis
    images: tuple[ImagePair, ...] = field(default=())
    """Images paired by JSON path, in the left's order then the right's."""

    def summary(self) -> str:
        """One line for the view's header."""
        parts = [f"Request data: {self.data.summary()}", f"Output: {self.output.summary()}"]
        if self.images:
            left = sum(p.left is not None for p in self.images)
            right = sum(p.right is not None for p in self.images)
            differ = sum(not p.same for p in self.images)
            parts.append(f"Images: {left} left, {right} right, {differ} different")
        if self.fields:
            parts.append("Also different: " + ", ".join(f.name for f in self.fields))
        return ". ".join(parts) + "."


def compare_entries(
    left: HistoryEntry,
    right: HistoryEntry,
    *,
    left_analysis: Analysis | None = None,
    right_analysis: Analysis | None = None,
    limit: int = CHANGE_LIMIT,
    line_limit: int = LINE_LIMIT,
) -> Comparison:
    """Compare two history rows: their fields, request data, outputs and images.

    Request data: a JSON diff when both parse, else a text diff.  Output: a JSON
    diff of ``output`` when both rows have it, else a text diff of ``raw_output``.
    ``left_analysis``/``right_analysis``: the rows' :func:`~vessl_gui.core.outputs.analyze`
    results when the caller has them (they are most of the cost).
    """
    a_out = left_analysis or analyze(left.output_json, left.raw_output)
    b_out = right_analysis or analyze(right.output_json, right.raw_output)
    return Comparison(
        left.row_id,
        right.row_id,
        _fields(left, right),
        _data_diff(left.data, right.data, limit, line_limit),
        _output_diff(left, right, a_out, b_out, limit, line_limit),
        a_out,
        b_out,
        _image_pairs(a_out.images, b_out.images),
    )


def _fields(left: HistoryEntry, right: HistoryEntry) -> tuple[FieldChange, ...]:
    def text(value: object) -> str:
        return "" if value is None else str(value)

    pairs = (
        ("service", left.base_url, right.base_url),
        ("method", left.method, right.method),
        ("path", left.path, right.path),
        ("state", left.state, right.state),
        ("status code", left.status_code, right.status_code),
        ("fail reason", left.fail_reason, right.fail_reason),
    )
    return tuple(FieldChange(n, text(a), text(b)) for n, a, b in pairs if a != b)


def _data_diff(a: str, b: str, limit: int, line_limit: int) -> PartDiff:
    if a == b:
        return PartDiff("same", note="" if a.strip() else "Neither row has request data.")
    if not a.strip() or not b.strip():
        side = "left" if not a.strip() else "right"
        return PartDiff("missing", note=f"The {side} row has no request data (a followed id).")
    va, vb = _parse(a), _parse(b)
    if va is not _NOT_JSON and vb is not _NOT_JSON:
        diff = json_diff(va, vb, limit=limit)
        return PartDiff("json", json=diff, note=_spacing_note(a, b) if diff.equal else "")
    side = "left" if va is _NOT_JSON else "right"
    return PartDiff(
        "text",
        text=text_diff(a, b, limit=line_limit),
        note=f"compared as text: the {side} data is not JSON",
    )


def _output_diff(
    left: HistoryEntry,
    right: HistoryEntry,
    a_out: Analysis,
    b_out: Analysis,
    limit: int,
    line_limit: int,
) -> PartDiff:
    raw_a, raw_b = left.raw_output, right.raw_output
    if left.output_json is not None and left.output_json == right.output_json and raw_a == raw_b:
        return PartDiff("same")
    if a_out.has_value and b_out.has_value:
        diff = json_diff(a_out.value, b_out.value, limit=limit)
        note = _spacing_note(raw_a or "", raw_b or "") if diff.equal else ""
        return PartDiff("json", json=diff, note=note)
    if raw_a is None or raw_b is None:
        if raw_a is None and raw_b is None:
            return PartDiff(
                "missing", note=f"Neither row has an output yet ({_states(left, right)})."
            )
        entry = left if raw_a is None else right
        side = "left" if raw_a is None else "right"
        return PartDiff("missing", note=f"The {side} row has no output yet ({entry.state}).")
    if raw_a == raw_b:
        return PartDiff("same")
    note = ""
    if a_out.has_value != b_out.has_value:
        side = "left" if b_out.has_value else "right"
        note = f"compared as text: the {side} output is not JSON"
    return PartDiff("text", text=text_diff(raw_a, raw_b, limit=line_limit), note=note)


def _states(left: HistoryEntry, right: HistoryEntry) -> str:
    return left.state if left.state == right.state else f"{left.state} and {right.state}"


def _spacing_note(a: str, b: str) -> str:
    """When the JSON is the same but the texts are not (or only key order differs)."""
    return "the same JSON, written differently (spacing, key order or escapes)" if a != b else ""


def _image_pairs(
    left: tuple[FoundImage, ...], right: tuple[FoundImage, ...]
) -> tuple[ImagePair, ...]:
    by_path = {image.path: image for image in right}
    pairs: list[ImagePair] = []
    for image in left:
        other = by_path.pop(image.path, None)
        pairs.append(
            ImagePair(image.path, image, other, other is not None and _same_image(image, other))
        )
    pairs += [ImagePair(path, None, image, False) for path, image in by_path.items()]
    return tuple(pairs)


def _same_image(a: FoundImage, b: FoundImage) -> bool:
    """The same format and the same base64 (compared in C)."""
    if a.format != b.format or len(a.text) - a.start != len(b.text) - b.start:
        return False
    return a.text[a.start :] == b.text[b.start :]


class _NotJson:
    pass


_NOT_JSON = _NotJson()


def _parse(text: str) -> object:
    try:
        return parse_json(text)
    except (ValueError, RecursionError):
        return _NOT_JSON
