"""The structural JSON diff: paths, kinds, types, numbers, arrays, caps and bounds."""

from __future__ import annotations

import copy
import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vessl_gui.core.compare import PREVIEW, Change, JsonDiff, json_diff, json_kind, preview
from vessl_gui.core.outputs import parse_json, parse_path, value_at


def kinds(diff: JsonDiff) -> list[tuple[str, str]]:
    return [(c.kind, c.path) for c in diff.changes]


def test_equal_values() -> None:
    value = {"a": [1, 2.5, {"b": None, "c": True}], "d": "x"}
    diff = json_diff(value, copy.deepcopy(value))
    assert diff.equal and diff.total == 0 and diff.changes == ()
    assert diff.summary() == "No differences"
    assert json_diff(None, None).equal
    assert json_diff([], []).equal and json_diff({}, {}).equal


def test_nested_objects_in_document_order() -> None:
    left = {"a": 1, "b": {"c": "x", "d": [1, 2]}, "gone": True, "z": 0}
    right = {"new": 1, "z": 0, "b": {"d": [1, 2], "c": "y", "e": {}}, "a": 1}
    diff = json_diff(left, right)
    assert kinds(diff) == [
        ("changed", "b.c"),
        ("added", "b.e"),
        ("removed", "gone"),
        ("added", "new"),
    ]
    assert [(c.old, c.new) for c in diff.changes] == [
        ('"x"', '"y"'),
        ("", "{}"),
        ("true", ""),
        ("", "1"),
    ]
    assert (diff.added, diff.removed, diff.changed, diff.total) == (2, 1, 1, 4)
    assert diff.summary() == "4 changes: 2 added, 1 removed, 1 changed"


def test_key_order_is_not_a_difference() -> None:
    assert json_diff({"a": 1, "b": [1.0, True]}, {"b": [1.0, True], "a": 1}).equal


def test_a_whole_subtree_added_or_removed_is_one_change() -> None:
    diff = json_diff({"a": {"big": list(range(1000))}}, {"b": {"big": list(range(1000))}})
    assert kinds(diff) == [("removed", "a"), ("added", "b")]
    assert diff.changes[0].old.startswith('{"big": [0, 1, 2')


@pytest.mark.parametrize(
    ("left", "right", "note"),
    [
        (1, "1", "number → string"),
        (None, False, "null → boolean"),
        (True, 1, "boolean → number"),
        (0, False, "number → boolean"),
        ({"a": 1}, [1], "object → array"),
        ([], {}, "array → object"),
        ("x", None, "string → null"),
        ([1], 1, "array → number"),
    ],
)
def test_type_changes_are_changed_with_a_note(left: Any, right: Any, note: str) -> None:
    diff = json_diff({"k": left}, {"k": right})
    assert diff.changes == (
        Change("k", "changed", json.dumps(left), json.dumps(right), note, ("k",), "k"),
    )


def test_bools_and_numbers_are_told_apart_inside_equal_looking_containers() -> None:
    # == says these are equal; the diff does not
    diff = json_diff({"a": [1, 0, 2]}, {"a": [True, False, 2.0]})
    assert [(c.path, c.note) for c in diff.changes] == [
        ("a[0]", "number → boolean"),
        ("a[1]", "number → boolean"),
        ("a[2]", "the same number, written differently"),
    ]
    assert [(c.old, c.new) for c in diff.changes][2] == ("2", "2.0")


@pytest.mark.parametrize(
    ("left", "right", "note"),
    [
        (1, 1.0, "the same number, written differently"),
        (-0.0, 0.0, "the same number, written differently"),
        (10**20, 1e20, "the same number, written differently"),
        (1, 2, ""),
        (0.1, 0.2, ""),
        (10**30, 10**30 + 1, ""),
    ],
)
def test_numbers(left: float, right: float, note: str) -> None:
    diff = json_diff([left], [right])
    assert [(c.kind, c.note) for c in diff.changes] == [("changed", note)]


def test_nan_and_infinity_equal_themselves() -> None:
    left = parse_json('{"a": NaN, "b": Infinity, "c": [-Infinity, NaN]}')
    right = parse_json('{"a": NaN, "b": Infinity, "c": [-Infinity, NaN]}')
    assert json_diff(left, right).equal
    assert not json_diff(math.inf, -math.inf).equal
    assert json_diff(math.nan, 1.0).changes[0].old == "NaN"


def test_same_parse_different_spelling_is_equal() -> None:
    assert json_diff(parse_json("[1e2, 0.50]"), parse_json("[100.0, 0.5]")).equal


def test_arrays_of_different_length() -> None:
    assert kinds(json_diff([1, 2, 3], [1, 2, 3, 4, 5])) == [("added", "[3]"), ("added", "[4]")]
    assert kinds(json_diff([1, 2, 3], [1])) == [("removed", "[1]"), ("removed", "[2]")]
    assert kinds(json_diff([1, 2, 3], [0, 1, 2, 3])) == [("added", "[0]")]
    assert kinds(json_diff([1, 2, 3, 4], [1, 4])) == [("removed", "[1]"), ("removed", "[2]")]
    assert kinds(json_diff([], [1])) == [("added", "[0]")]
    assert kinds(json_diff([1], [])) == [("removed", "[0]")]


def test_arrays_are_aligned_by_content() -> None:
    # one item dropped at the front and one added at the end: not 100 changes
    diff = json_diff(list(range(100)), list(range(1, 101)))
    assert kinds(diff) == [("removed", "[0]"), ("added", "[99]")]
    # insertions in two places and an item changed in between
    left = [{"id": 1, "v": 1}, {"id": 2, "v": 2}, {"id": 3, "v": 3}, {"id": 4}]
    right = [
        {"id": 0},
        {"id": 1, "v": 1},
        {"id": 2, "v": 20},
        {"id": 3, "v": 3},
        {"id": 3.5},
        {"id": 4},
    ]
    diff = json_diff(left, right)
    assert [(c.kind, c.path, c.old_path) for c in diff.changes] == [
        ("added", "[0]", ""),
        ("changed", "[2].v", "[1].v"),  # the item moved from [1] to [2]
        ("added", "[4]", ""),
    ]


def test_moved_items_keep_both_paths() -> None:
    left = {"items": [{"a": [1, 2]}, {"b": 1}]}
    right = {"items": [{"x": 0}, {"a": [1, 2]}, {"b": 1.0}]}
    change = json_diff(left, right).changes[-1]
    assert (change.path, change.old_path) == ("items[2].b", "items[1].b")
    assert value_at(left, parse_path(change.old_path)) == 1
    assert value_at(right, list(change.parts)) == 1.0


def test_unicode_and_escaped_keys_in_paths() -> None:
    left = {"é k": {"a b": [0, {'"q': 1}]}, "ключ": {"\n": 1}, "": {"x.y": 1}, "_ok1": 1}
    right = {"é k": {"a b": [0, {'"q': 2}]}, "ключ": {"\n": 2}, "": {"x.y": 2}, "_ok1": 2}
    diff = json_diff(left, right)
    assert [c.path for c in diff.changes] == [
        '["é k"]["a b"][1]["\\"q"]',
        '["ключ"]["\\n"]',
        '[""]["x.y"]',
        "_ok1",
    ]
    for c in diff.changes:
        assert parse_path(c.path) == list(c.parts)
        assert value_at(right, list(c.parts)) == 2


def test_huge_strings_are_compared_and_previewed_short() -> None:
    big = "x" * 5_000_000
    diff = json_diff({"s": big, "t": big}, {"s": big, "t": big[:-1] + "y"})
    assert kinds(diff) == [("changed", "t")]
    change = diff.changes[0]
    assert len(change.old) < 3 * PREVIEW and "more characters" in change.old
    assert json_diff({"s": big}, {"s": "x" * 5_000_000}).equal


def test_previews() -> None:
    assert preview("é") == '"é"'
    assert preview(None) == "null"
    assert preview(list(range(20))) == '[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, "⟪10 more items⟫"]'
    assert preview({f"k{i}": i for i in range(12)}).endswith('"⟪…⟫": "⟪2 more keys⟫"}')
    assert preview([[[["deep"]]]]) == '[[["⟪1 items⟫"]]]'
    long = preview([{"k": "v" * 100}] * 100)
    assert len(long) <= 2 * PREVIEW + 1 and long.endswith("…")


def test_limit_lists_some_and_counts_all() -> None:
    left = {f"k{i}": i for i in range(50)}
    right = {f"k{i}": -i - 1 for i in range(50)}
    right["extra"] = 1
    diff = json_diff(left, right, limit=10)
    assert len(diff.changes) == 10 and diff.total == 51 and diff.more == 41
    assert (diff.added, diff.changed) == (1, 50)
    assert diff.complete
    assert [c.path for c in diff.changes] == [f"k{i}" for i in range(10)]


def test_max_nodes_bounds_the_walk() -> None:
    left = [[i] for i in range(1000)]
    right = [[-i - 1] for i in range(1000)]
    diff = json_diff(left, right, max_nodes=100)
    assert not diff.complete and not diff.equal
    assert 0 < diff.total < 1000
    assert diff.summary().endswith("(stopped early: too many to walk)")
    assert "+ change" in diff.summary()


def test_deep_nesting_does_not_break() -> None:
    def deep(n: int, leaf: Any) -> Any:
        value = leaf
        for _ in range(n):
            value = [value]
        return value

    diff = json_diff(deep(3000, 1), deep(3000, 2))  # == and marshal give up: walked
    assert diff.total == 1
    assert diff.changes[0].path == "[0]" * 3000
    assert json_diff(deep(3000, 1), deep(3000, 1)).equal


def test_two_big_outputs_that_differ_in_three_places() -> None:
    items = [{"id": i, "name": f"item {i}", "score": i / 7, "ok": True} for i in range(20_000)]
    left = {"data": items, "meta": {"n": 20_000}}
    right = copy.deepcopy(left)
    right["data"][100]["score"] = 1
    right["data"][10_000]["name"] = "x"
    right["data"][19_999]["ok"] = 1
    diff = json_diff(left, right)
    assert [(c.path, c.note) for c in diff.changes] == [
        ("data[100].score", ""),
        ("data[10000].name", ""),
        ("data[19999].ok", "boolean → number"),
    ]


def test_json_kind() -> None:
    assert [json_kind(v) for v in (None, True, 1, 1.5, "s", [], {})] == [
        "null",
        "boolean",
        "number",
        "number",
        "string",
        "array",
        "object",
    ]


# -- properties ----------------------------------------------------------------

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.sampled_from([0.0, -0.0, 1.0, 2.5]),
    st.sampled_from(["", "a", "b", "é"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5), st.dictionaries(st.sampled_from("abcd"), inner, max_size=4)
    ),
    max_leaves=20,
)


def strict_equal(a: Any, b: Any) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(strict_equal(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(strict_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float):
        return math.copysign(1, a) == math.copysign(1, b) and a == b
    return bool(a == b)


@given(values, values)
@settings(max_examples=500, deadline=None)
def test_the_diff_is_empty_exactly_for_strictly_equal_values(left: Any, right: Any) -> None:
    diff = json_diff(left, right)
    assert diff.equal == strict_equal(left, right)
    assert json_diff(left, copy.deepcopy(left)).equal
    assert diff.total == diff.added + diff.removed + diff.changed == len(diff.changes)


@given(values, values)
@settings(max_examples=500, deadline=None)
def test_every_change_points_at_real_values(left: Any, right: Any) -> None:
    for c in json_diff(left, right).changes:
        assert parse_path(c.path) == list(c.parts)
        if c.kind == "removed":
            assert c.old_path == c.path and c.new == ""
            assert c.old == preview(value_at(left, list(c.parts)))
            continue
        new = value_at(right, list(c.parts))
        assert c.new == preview(new)
        if c.kind == "added":
            assert c.old == "" and c.old_path == ""
        else:
            old = value_at(left, parse_path(c.old_path))
            assert c.old == preview(old)
            assert not strict_equal(old, new)
            assert not (
                isinstance(old, dict | list)
                and isinstance(new, dict | list)
                and type(old) is type(new)
            )  # containers are looked into


@given(
    st.dictionaries(st.sampled_from("abcdefg"), values, max_size=6),
    st.dictionaries(st.sampled_from("abcdefg"), values, max_size=6),
)
@settings(max_examples=300, deadline=None)
def test_object_changes_rebuild_the_right_value(
    left: dict[str, Any], right: dict[str, Any]
) -> None:
    """Objects only (no arrays at the top): applying the top-level changes gives ``right``."""
    rebuilt = copy.deepcopy(left)
    for c in json_diff(left, right).changes:
        key = c.parts[0]
        assert isinstance(key, str)
        if c.kind == "removed" and len(c.parts) == 1:
            del rebuilt[key]
        else:
            rebuilt[key] = copy.deepcopy(right[key])
    assert strict_equal(rebuilt, right)
