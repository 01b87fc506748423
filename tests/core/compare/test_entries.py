"""Two history rows compared: fields, request data, outputs, images."""

from __future__ import annotations

import dataclasses
import json

from vessl_gui.core.compare import Comparison, FieldChange, compare_entries
from vessl_gui.core.models import HistoryEntry
from vessl_gui.core.outputs import analyze
from vessl_gui.emulator.model import demo_model


def row(
    row_id: int = 1,
    *,
    data: str = '{"prompt": "p"}',
    raw: str | None = '{"text": "hi"}',
    json_output: bool = True,
    **fields: object,
) -> HistoryEntry:
    entry = HistoryEntry(
        row_id=row_id,
        created_at=0.0,
        state="completed",
        base_url="http://127.0.0.1:1/svc",
        method="POST",
        path="/predict",
        data=data,
        status_code=200,
        raw_output=raw,
        output_json=raw if json_output else None,
    )
    return dataclasses.replace(entry, **fields)


def test_identical_rows() -> None:
    cmp = compare_entries(row(1), row(2))
    assert (cmp.left_row, cmp.right_row) == (1, 2)
    assert cmp.fields == ()
    assert cmp.data.mode == cmp.output.mode == "same"
    assert cmp.data.changes == cmp.output.changes == 0
    assert cmp.summary() == "Request data: Identical. Output: Identical."


def test_request_data_and_output_json_diffs() -> None:
    left = row(1, data='{"prompt": "cat", "steps": 10}', raw='{"text": "a cat", "n": 1}')
    right = row(
        2, data='{"prompt": "dog", "steps": 10, "seed": 3}', raw='{"text": "a dog", "n": 1.0}'
    )
    cmp = compare_entries(left, right)
    assert cmp.data.mode == "json"
    assert [(c.kind, c.path) for c in cmp.data.json.changes] == [
        ("changed", "prompt"),
        ("added", "seed"),
    ]
    assert cmp.output.mode == "json"
    assert [(c.path, c.note) for c in cmp.output.json.changes] == [
        ("text", ""),
        ("n", "the same number, written differently"),
    ]
    assert cmp.summary() == (
        "Request data: 2 changes: 1 added, 1 changed. Output: 2 changes: 2 changed."
    )


def test_same_json_written_differently_is_noted() -> None:
    cmp = compare_entries(
        row(1, data='{"a": 1, "b": 2}', raw='{"x": [1, 2]}'),
        row(2, data='{"b":2,"a":1}', raw='{\n  "x": [1,2]\n}'),
    )
    assert cmp.data.mode == cmp.output.mode == "json"
    assert cmp.data.changes == cmp.output.changes == 0
    assert cmp.output.note == "the same JSON, written differently (spacing, key order or escapes)"
    assert cmp.output.summary() == (
        "No differences (the same JSON, written differently (spacing, key order or escapes))"
    )


def test_data_that_is_not_json_is_compared_as_text() -> None:
    cmp = compare_entries(row(1, data='{"a": 1}'), row(2, data='{"a": {{value}}}'))
    assert cmp.data.mode == "text"
    assert cmp.data.note == "compared as text: the right data is not JSON"
    assert cmp.data.text is not None and cmp.data.text.added == 1


def test_followed_rows_have_no_request_data() -> None:
    cmp = compare_entries(row(1, data=""), row(2))
    assert cmp.data.mode == "missing"
    assert cmp.data.summary() == "The left row has no request data (a followed id)."
    both = compare_entries(row(1, data=""), row(2, data=""))
    assert both.data.mode == "same" and both.data.note == "Neither row has request data."


def test_text_outputs() -> None:
    cmp = compare_entries(
        row(1, raw="hello\nworld\n", json_output=False),
        row(2, raw="hello\nthere\n", json_output=False),
    )
    assert cmp.output.mode == "text"
    assert cmp.output.text is not None
    assert [(line.tag, line.text) for line in cmp.output.text.hunks[0].lines] == [
        (" ", "hello"),
        ("-", "world"),
        ("+", "there"),
    ]
    assert cmp.left_output.texts[0].text == "hello\nworld\n"  # what the pane shows
    same = compare_entries(row(1, raw="x", json_output=False), row(2, raw="x", json_output=False))
    assert same.output.mode == "same"


def test_one_json_output_and_one_text_output() -> None:
    cmp = compare_entries(
        row(1, raw='{"a": 1}'), row(2, raw="Internal Server Error", json_output=False)
    )
    assert cmp.output.mode == "text"
    assert cmp.output.note == "compared as text: the right output is not JSON"


def test_rows_without_output() -> None:
    pending = row(2, raw=None, state="pending", status_code=None)
    cmp = compare_entries(row(1), pending)
    assert cmp.output.mode == "missing"
    assert cmp.output.note == "The right row has no output yet (pending)."
    assert FieldChange("state", "completed", "pending") in cmp.fields
    assert FieldChange("status code", "200", "") in cmp.fields
    neither = compare_entries(dataclasses.replace(pending, row_id=1, state="in_progress"), pending)
    assert neither.output.note == "Neither row has an output yet (in_progress and pending)."


def test_fields_that_differ() -> None:
    cmp = compare_entries(
        row(1),
        row(
            2,
            method="PUT",
            path="/v2",
            base_url="http://h/other",
            state="failed",
            status_code=500,
            fail_reason="boom",
        ),
    )
    assert [f.name for f in cmp.fields] == [
        "service",
        "method",
        "path",
        "state",
        "status code",
        "fail reason",
    ]
    assert cmp.fields[-1] == FieldChange("fail reason", "", "boom")
    assert cmp.summary().endswith(
        "Also different: service, method, path, state, status code, fail reason."
    )


def image_row(row_id: int, prompt: str, path: str = "/image/32x24") -> HistoryEntry:
    raw = demo_model("POST", path, {"prompt": prompt}).raw_output
    return row(row_id, raw=raw)


def test_images_are_paired_by_path() -> None:
    same = compare_entries(image_row(1, "cat"), image_row(2, "cat"))
    assert [(p.path, p.same) for p in same.images] == [("image", True), ("images[0]", True)]
    other = compare_entries(image_row(1, "cat"), image_row(2, "dog"))
    assert [(p.path, p.same) for p in other.images] == [("image", False), ("images[0]", False)]
    assert other.output.mode == "json"
    assert {c.path for c in other.output.json.changes} >= {"image", "images[0]"}
    assert "Images: 2 left, 2 right, 2 different" in other.summary()
    assert all(len(c.old) < 600 for c in other.output.json.changes)


def test_images_only_on_one_side() -> None:
    cmp = compare_entries(image_row(1, "cat"), row(2))
    assert [(p.path, p.left is not None, p.right is not None) for p in cmp.images] == [
        ("image", True, False),
        ("images[0]", True, False),
    ]
    rev = compare_entries(row(1), image_row(2, "cat"))
    assert [(p.left is None, p.right is not None) for p in rev.images] == [(True, True)] * 2


def test_analyses_the_caller_has_are_used() -> None:
    left, right = row(1, raw='{"a": 1}'), row(2, raw='{"a": 2}')
    a, b = analyze(left.output_json, left.raw_output), analyze(right.output_json, right.raw_output)
    cmp = compare_entries(left, right, left_analysis=a, right_analysis=b)
    assert cmp.left_output is a and cmp.right_output is b
    assert cmp.output.changes == 1


def test_caps_are_passed_on() -> None:
    raw_a = json.dumps({f"k{i}": i for i in range(100)})
    raw_b = json.dumps({f"k{i}": -i for i in range(100)})
    cmp = compare_entries(row(1, raw=raw_a), row(2, raw=raw_b), limit=5)
    assert cmp.output.json is not None
    assert len(cmp.output.json.changes) == 5 and cmp.output.json.total == 99
    text = compare_entries(
        row(1, raw="\n".join(map(str, range(100))), json_output=False),
        row(2, raw="\n".join(map(str, range(100, 200))), json_output=False),
        line_limit=10,
    )
    assert text.output.text is not None and text.output.text.more_lines == 190


def test_big_outputs() -> None:
    items = [{"id": i, "name": f"item {i}", "score": i / 7, "ok": True} for i in range(20_000)]
    left = json.dumps({"data": items})
    items[5_000]["name"] = "changed"
    right = json.dumps({"data": items})
    cmp = compare_entries(row(1, raw=left), row(2, raw=right))
    assert isinstance(cmp, Comparison)
    assert [c.path for c in cmp.output.json.changes] == ["data[5000].name"]
    assert cmp.left_output.display.shortened  # the side-by-side text is bounded
