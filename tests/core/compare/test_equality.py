"""Strict equality of parsed JSON values: what == conflates, the bytes tell apart."""

from __future__ import annotations

import math
from typing import Any

import pytest

from vessl_gui.core.compare.equality import loose_equal, same_number, strictly_equal, value_bytes


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (1, 1.0),
        (1, True),
        (0, False),
        (0.0, False),
        (-0.0, 0.0),
        ([1], [True]),
        ({"a": 1}, {"a": 1.0}),
    ],
)
def test_what_equals_says_is_equal_the_bytes_do_not(a: Any, b: Any) -> None:
    assert a == b
    assert value_bytes(a) != value_bytes(b)
    assert strictly_equal([(a, b)]) == []


def test_equal_values_give_equal_bytes_whatever_is_shared() -> None:
    shared = "x" * 100
    a = {"k": [shared, shared], "n": None}
    b = {"k": ["x" * 100, "".join(["x"] * 100)], "n": None}  # the same text, other objects
    assert value_bytes(a) == value_bytes(b)
    assert strictly_equal([(a, b), (1, 1), ("s", "s")]) == [0, 1, 2]


def test_a_batch_that_disagrees_is_checked_pair_by_pair() -> None:
    pairs: list[tuple[Any, Any]] = [([1], [1]), ([1], [1.0]), ({"a": True}, {"a": True})]
    assert strictly_equal(pairs) == [0, 2]


def test_key_order_counts_in_bytes() -> None:
    assert value_bytes({"a": 1, "b": 2}) != value_bytes({"b": 2, "a": 1})


def test_too_deep_to_write_or_compare() -> None:
    deep: Any = 1
    for _ in range(5_000):
        deep = [deep]
    with pytest.raises(ValueError):
        value_bytes(deep)
    assert strictly_equal([(deep, deep)]) == []  # the caller walks them
    other: Any = 1
    for _ in range(5_000):
        other = [other]
    assert loose_equal(deep, other) is False  # == would raise RecursionError
    assert loose_equal([1], [1.0]) is True


@pytest.mark.parametrize(
    ("x", "y", "same"),
    [
        (1, 1, True),
        (1, 1.0, False),
        (1.5, 1.5, True),
        (-0.0, 0.0, False),
        (math.nan, math.nan, True),
        (math.inf, math.inf, True),
        (math.inf, -math.inf, False),
        (10**30, 10**30, True),
        (2, 3, False),
    ],
)
def test_same_number(x: float, y: float, same: bool) -> None:
    assert same_number(x, y) is same
