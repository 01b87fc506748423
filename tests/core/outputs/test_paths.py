"""JSON paths: written, read back, refused when malformed, followed."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vessl_gui.core import outputs as o


@pytest.mark.parametrize(
    ("parts", "path"),
    [
        ([], ""),
        (["choices", 0, "text"], "choices[0].text"),
        ([0, "a"], "[0].a"),
        (["a b", 2], '["a b"][2]'),
        (["x", "1st"], 'x["1st"]'),
        (["é"], '["é"]'),
        (['q"]', "\\"], '["q\\"]"]["\\\\"]'),
        (["_ok", "A9"], "_ok.A9"),
        ([""], '[""]'),
    ],
)
def test_paths_are_written_and_read_back(parts: list[o.PathPart], path: str) -> None:
    assert o.format_path(parts) == path
    assert o.parse_path(path) == parts


@given(st.lists(st.one_of(st.integers(0, 10**6), st.text(max_size=8)), max_size=6))
@settings(max_examples=200, deadline=None)
def test_any_path_round_trips(parts: list[o.PathPart]) -> None:
    assert o.parse_path(o.format_path(parts)) == parts


@pytest.mark.parametrize("bad", [".a", "a..b", "a[", "a[x]", "a b", '["a"', "[-1]", "a.[0]"])
def test_malformed_paths_are_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        o.parse_path(bad)


def test_value_at_says_what_is_wrong() -> None:
    value = {"a": [1, {"b": 2}]}
    assert o.value_at(value, ["a", 1, "b"]) == 2
    with pytest.raises(TypeError):
        o.value_at(value, ["a", "b"])
    with pytest.raises(IndexError):
        o.value_at(value, ["a", 5])
