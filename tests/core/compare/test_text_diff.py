"""The line diff of non-JSON outputs: hunks, line endings, long lines, caps, big texts."""

from __future__ import annotations

import difflib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vessl_gui.core.compare import (
    LINE_PREVIEW,
    DiffLine,
    Hunk,
    TextDiff,
    align,
    split_lines,
    text_diff,
)

LETTERS = "abcdefghij"


def numbered(n: int) -> list[str]:
    return [f"line {i}" for i in range(1, n + 1)]


def test_identical_texts() -> None:
    diff = text_diff("a\nb\n", "a\nb\n")
    assert diff == TextDiff((), 0, 0, 2, 2, True, 0, "")
    assert diff.same_lines and diff.summary() == "No differences"
    assert text_diff("", "").same_lines


def test_hunks_with_context() -> None:
    left = "\n".join(numbered(10)) + "\n"
    right_lines = numbered(10)
    right_lines[2] = "LINE 3"
    right_lines[8] = "LINE 9"
    right = "\n".join([*right_lines, "line 11"]) + "\n"
    diff = text_diff(left, right, context=1)
    assert [h.header for h in diff.hunks] == ["@@ -2,3 +2,3 @@", "@@ -8,3 +8,4 @@"]
    assert diff.hunks[0].lines == (
        DiffLine(" ", 2, 2, "line 2"),
        DiffLine("-", 3, None, "line 3", 1),
        DiffLine("+", None, 3, "LINE 3", 1),
        DiffLine(" ", 4, 4, "line 4"),
    )
    assert [(line.tag, line.text) for line in diff.hunks[1].lines] == [
        (" ", "line 8"),
        ("-", "line 9"),
        ("+", "LINE 9"),
        (" ", "line 10"),
        ("+", "line 11"),
    ]
    assert (diff.added, diff.removed, diff.left_lines, diff.right_lines) == (3, 2, 10, 11)
    assert diff.summary() == "3 lines added, 2 removed (2 places)"
    # close changes share a hunk
    assert len(text_diff(left, right, context=3).hunks) == 1


def test_the_same_hunks_as_difflib_unified_diff() -> None:
    a = [f"{i % 7} {i}" for i in range(200)]
    b = a[:]
    b[20:25] = ["new"]
    b.insert(120, "added")
    del b[180]
    diff = text_diff("\n".join(a), "\n".join(b))
    ours = [h.header for h in diff.hunks]
    theirs = [
        line.strip() for line in difflib.unified_diff(a, b, lineterm="") if line.startswith("@@")
    ]
    assert ours == theirs


def test_insertions_and_deletions_only() -> None:
    diff = text_diff("a\nb\n", "a\nx\nb\n")
    assert diff.hunks == (
        Hunk(
            1,
            2,
            1,
            3,
            (DiffLine(" ", 1, 1, "a"), DiffLine("+", None, 2, "x"), DiffLine(" ", 2, 3, "b")),
        ),
    )
    assert text_diff("", "a\nb").hunks[0].header == "@@ -0,0 +1,2 @@"
    assert text_diff("a\nb", "").hunks[0].header == "@@ -1,2 +0,0 @@"


def test_line_endings_and_the_final_newline_are_notes() -> None:
    diff = text_diff("x\r\ny\r\n", "x\ny\n")
    assert diff.same_lines
    assert diff.note == "line endings differ: CR LF on the left, LF on the right"
    assert diff.summary() == (
        "No differences in the lines (line endings differ: CR LF on the left, LF on the right)"
    )
    assert text_diff("x\ny", "x\ny\n").note == "only the right text ends with a newline"
    assert text_diff("x\ry", "x\ny").note == "line endings differ: CR on the left, LF on the right"
    assert text_diff("a", "b").note == ""


def test_split_lines() -> None:
    assert split_lines("") == ([], False)
    assert split_lines("a") == (["a"], False)
    assert split_lines("a\n") == (["a"], True)
    assert split_lines("a\r\nb\rc\u2029d\n\n") == (["a", "b", "c", "d", ""], True)


def test_long_lines_are_shown_around_the_first_difference() -> None:
    left = "p" * 1_000_000 + "X" + "q" * 1_000_000
    right = "p" * 1_000_000 + "Y" + "q" * 1_000_000
    diff = text_diff(left, right)
    minus, plus = diff.hunks[0].lines
    assert minus.column == plus.column == 1_000_001
    assert minus.clipped and plus.clipped
    assert "X" in minus.text and "Y" in plus.text
    assert minus.text.startswith("⟪999,900 characters⟫…")
    assert minus.text.endswith("…⟪999,601 more characters⟫")  # 2,000,001 - 999,900 - 500
    assert len(minus.text) < LINE_PREVIEW + 60
    short = text_diff("ab", "ax").hunks[0].lines
    assert short[0].column == 2 and not short[0].clipped


def test_unicode_lines() -> None:
    diff = text_diff("héllo\n世界\n🎉", "héllo\n世間\n🎉")
    assert [(line.tag, line.text, line.column) for line in diff.hunks[0].lines[1:3]] == [
        ("-", "世界", 2),
        ("+", "世間", 2),
    ]


def test_limit_lists_some_lines_and_counts_the_rest() -> None:
    left = "\n".join(numbered(1000))
    right = "\n".join(line + "!" for line in numbered(1000))
    diff = text_diff(left, right, limit=50)
    assert sum(len(h.lines) for h in diff.hunks) == 50
    assert diff.more_lines == 2000 - 50
    assert (diff.added, diff.removed) == (1000, 1000)


def test_too_different_texts_are_one_block(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(align, "MAX_EDITS", 4)
    monkeypatch.setattr(align, "DIFFLIB_PAIRS", 0)
    diff = text_diff("a\nb\nc\nd\ne", "e\nd\nc\nb\na")
    assert not diff.exact
    assert diff.summary() == (
        "5 lines added, 5 removed (1 place); too different to align line by line"
    )


def test_two_big_texts_that_differ_in_a_few_places() -> None:
    lines = [f"{i:07d} the model said something about item {i}" for i in range(100_000)]
    other = lines[:]
    other[10] = "different"
    other[50_000] += "!"
    del other[70_000]
    other.insert(90_000, "inserted")
    diff = text_diff("\n".join(lines), "\n".join(other))
    assert diff.exact
    assert (diff.added, diff.removed, len(diff.hunks)) == (3, 3, 4)
    assert [line.text for line in diff.hunks[1].lines if line.tag == "+"] == [other[50_000]]


def test_unrelated_big_texts_stay_bounded() -> None:
    left = "\n".join(f"a{i}" for i in range(100_000))
    right = "\n".join(f"b{i}" for i in range(100_000))
    diff = text_diff(left, right)
    assert not diff.exact
    assert sum(len(h.lines) for h in diff.hunks) == 2_000
    assert diff.more_lines == 200_000 - 2_000
    shown = diff.hunks[0].lines  # both sides of the block, not only the removed lines
    assert [line.tag for line in shown] == ["-"] * 1_000 + ["+"] * 1_000
    assert (shown[0].left, shown[999].left, shown[1000].right) == (1, 1000, 1)


@given(
    st.lists(st.sampled_from(LETTERS), max_size=30),
    st.lists(st.sampled_from(LETTERS), max_size=30),
    st.integers(0, 4),
)
@settings(max_examples=300, deadline=None)
def test_hunks_rebuild_the_right_text(a: list[str], b: list[str], context: int) -> None:
    diff = text_diff("\n".join(a), "\n".join(b), context=context)
    rebuilt: list[str] = []
    pos = 0  # next left line (0-based) not yet copied
    for hunk in diff.hunks:
        start = hunk.left_start - 1 if hunk.left_count else hunk.left_start
        rebuilt += a[pos:start]
        for line in hunk.lines:
            if line.tag != "-":
                rebuilt.append(line.text)
        pos = start + hunk.left_count
        assert sum(line.tag != "+" for line in hunk.lines) == hunk.left_count
        assert sum(line.tag != "-" for line in hunk.lines) == hunk.right_count
    rebuilt += a[pos:]
    assert rebuilt == b
    assert diff.added == sum(line.tag == "+" for h in diff.hunks for line in h.lines)
    assert diff.same_lines == (a == b)
