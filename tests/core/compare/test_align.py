"""Aligning sequences with bounded work: equal runs, Myers' diff, windows, budgets."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vessl_gui.core.compare import align
from vessl_gui.core.compare.align import (
    Opcode,
    align_lines,
    difflib_is_quick,
    edits,
    equal_run,
    equal_run_back,
    myers,
)

short = st.lists(st.sampled_from("abc"), max_size=14)


def lcs(a: Sequence[object], b: Sequence[object]) -> int:
    row = [0] * (len(b) + 1)
    for x in a:
        prev = 0
        for j, y in enumerate(b):
            cur = row[j + 1]
            row[j + 1] = prev + 1 if x == y else max(row[j + 1], row[j])
            prev = cur
    return row[-1]


def check(a: Sequence[object], b: Sequence[object], ops: list[Opcode]) -> None:
    """The opcodes cover both sequences in order and turn ``a`` into ``b``."""
    i = j = 0
    out: list[object] = []
    for tag, i1, i2, j1, j2 in ops:
        assert (i1, j1) == (i, j), ops
        assert tag in ("equal", "replace", "delete", "insert")
        if tag == "equal":
            assert list(a[i1:i2]) == list(b[j1:j2]) and i2 - i1 == j2 - j1
        elif tag == "delete":
            assert j1 == j2 and i2 > i1
        elif tag == "insert":
            assert i1 == i2 and j2 > j1
        else:
            assert i2 > i1 and j2 > j1
        out += b[j1:j2]
        i, j = i2, j2
    assert (i, j) == (len(a), len(b))
    assert out == list(b)


@given(short, short, st.integers(0, 14), st.integers(0, 14))
@settings(max_examples=300, deadline=None)
def test_equal_runs_match_a_plain_loop(a: list[str], b: list[str], i: int, j: int) -> None:
    i, j = min(i, len(a)), min(j, len(b))
    k = 0
    while i + k < len(a) and j + k < len(b) and a[i + k] == b[j + k]:
        k += 1
    assert equal_run(a, b, i, j) == k
    assert equal_run(a, b, i, j, 2) == min(k, 2)
    k = 0
    while i - k > 0 and j - k > 0 and a[i - k - 1] == b[j - k - 1]:
        k += 1
    assert equal_run_back(a, b, i, j) == k
    assert equal_run_back(a, b, i, j, 1) == min(k, 1)


def test_equal_runs_on_long_sequences_and_strings() -> None:
    a = list(range(1_000_000))
    b = [*a[:765_432], -1, *a[765_433:]]
    assert equal_run(a, b) == 765_432
    assert equal_run_back(a, b, len(a), len(b)) == 1_000_000 - 765_433
    assert equal_run("x" * 5_000_000 + "a", "x" * 5_000_000 + "b") == 5_000_000
    assert equal_run("abc", "abc") == 3
    assert equal_run("", "abc") == 0


@given(short, short)
@settings(max_examples=500, deadline=None)
def test_myers_is_a_shortest_edit_script(a: list[str], b: list[str]) -> None:
    ops = myers(a, b, 40)
    assert ops is not None
    check(a, b, ops)
    assert edits(ops) == len(a) + len(b) - 2 * lcs(a, b)


def test_myers_gives_up_past_max_edits() -> None:
    a, b = list("abcdef"), list("uvwxyz")
    assert myers(a, b, 11) is None
    ops = myers(a, b, 12)
    assert ops == [("replace", 0, 6, 0, 6)]
    assert myers([], [], 0) == []
    assert myers(["a"], ["a"], 0) == [("equal", 0, 1, 0, 1)]


def test_myers_on_600_000_lines_that_differ_in_four_places() -> None:
    a = [f"line {i}" for i in range(600_000)]
    b = a[:]
    b[100] = "changed"
    del b[400_000]
    b.insert(500_000, "new")
    ops = myers(a, b)
    assert ops is not None
    check(a, b, ops)
    assert [op[0] for op in ops if op[0] != "equal"] == ["replace", "delete", "insert"]


@given(short, short, st.sampled_from([1, 2, 3, 5, 8]), st.sampled_from([0, 3, 30, 10_000]))
@settings(max_examples=400, deadline=None)
def test_align_lines_always_gives_valid_opcodes(
    a: list[str], b: list[str], window: int, budget: int
) -> None:
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(align, "WINDOW", window)
        mp.setattr(align, "BUDGET", budget)
        mp.setattr(align, "MAX_EDITS", 2)
        ops, exact = align_lines(a, b)
    check(a, b, ops)
    if exact:  # not a coarse block: every replace pairs lines that differ somewhere
        assert edits(ops) >= len(a) + len(b) - 2 * lcs(a, b)
    # changes are merged: never two non-equal opcodes in a row, never two equal ones
    tags = [op[0] == "equal" for op in ops]
    assert all(x != y for x, y in itertools.pairwise(tags))


def test_align_lines_is_exact_when_few_lines_differ() -> None:
    a = [f"{i}" for i in range(50_000)]
    b = a[:]
    b[10], b[30_000] = "x", "y"
    ops, exact = align_lines(a, b)
    assert exact and edits(ops) == 4


def test_windows_keep_alignment_across_many_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(align, "MAX_EDITS", 50)  # 202 for one Myers run, ~22 a window
    a = [f"line {i}" for i in range(20_000)]
    b = a[:]
    for i in range(100, 20_000, 200):
        b[i] = f"changed {i}"
    del b[5_000]
    b.insert(15_000, "inserted")
    ops, exact = align_lines(a, b)
    check(a, b, ops)
    assert exact
    assert edits(ops) == 2 * 100 + 2


@pytest.mark.parametrize("where", ["insert", "delete"])
def test_a_long_block_only_one_side_has(where: str) -> None:
    a = [f"line {i}" for i in range(20_000)]
    b = [*a[:5_000], *(f"new {i}" for i in range(3_000)), *a[5_000:]]
    b[15_000] = "changed"
    if where == "delete":
        a, b = b, a
    ops, exact = align_lines(a, b)
    check(a, b, ops)
    assert exact
    assert [op[0] for op in ops if op[0] != "equal"] == [where, "replace"]
    assert edits(ops) == 3_002


def test_unrelated_texts_end_in_a_coarse_block_within_the_budget() -> None:
    a = [f"a{i}" for i in range(100_000)]
    b = [f"b{i}" for i in range(100_000)]
    ops, exact = align_lines(a, b)
    check(a, b, ops)
    assert not exact


def test_difflib_is_quick_estimates_its_work(monkeypatch: pytest.MonkeyPatch) -> None:
    many = [str(i % 150) for i in range(15_000)]  # each line 100 times: 1.5 M pairs
    assert not difflib_is_quick(many, many)
    assert difflib_is_quick([str(i) for i in range(15_000)], [str(i) for i in range(15_000)])
    popular = ["x"] * 15_000  # in more than 1 %: junk to difflib, no work
    assert difflib_is_quick(popular, popular)


def test_small_middles_fall_back_to_difflib(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(align, "MAX_EDITS", 1)
    a, b = list("abcdefgh"), list("axcyefzh")
    ops, exact = align_lines(a, b)
    check(a, b, ops)
    assert exact and edits(ops) == 6
