"""Batch files: JSON Lines or a JSON array, items byte-exact with their place, every problem."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vessl_gui.core.batch import (
    MAX_BATCH_BYTES,
    BatchFileError,
    BatchItem,
    BatchProblem,
    load_batch,
    read_batch,
)
from vessl_gui.core.errors import ValidationError
from vessl_gui.core.text import offset_of


def _error(text: str) -> BatchFileError:
    with pytest.raises(BatchFileError) as caught:
        read_batch(text, "in.jsonl")
    assert isinstance(caught.value, ValidationError)  # handled as any bad input
    return caught.value


def test_json_lines_items_keep_their_text_and_place() -> None:
    text = '{"a": 1}\n\n   \n  [1,  2]  \r\n"Grüße 👋"\t\n{"s": "x\u2028y"}\nnull'
    source = read_batch(text, "in.jsonl")
    assert (source.name, source.kind, source.problems) == ("in.jsonl", "jsonl", ())
    assert source.items == (
        BatchItem('{"a": 1}', 1, 1),
        BatchItem("[1,  2]", 4, 3),  # inner whitespace kept, outer (and CR) dropped
        BatchItem('"Grüße 👋"', 5, 1),
        BatchItem('{"s": "x\u2028y"}', 6, 1),  # U+2028 inside a string is not a line break
        BatchItem("null", 7, 1),
    )
    assert source.texts == [i.text for i in source.items]
    assert source.summary() == "5 requests"


def test_each_bad_line_is_a_problem_with_its_place() -> None:
    text = (
        '{"ok": 1}\n'
        '  {"a": NaN}\n'
        '{"a": 1, "a": 2}\n'
        "{'single': 1}\n"
        '{"a": 1} {"b": 2}\n'
        "[Infinity]\n"
        '{"a": "\ud800"}\n'
        '{"ok": 2}\n'
    )
    source = read_batch(text, "in.jsonl")
    assert source.texts == ['{"ok": 1}', '{"ok": 2}']
    assert [(p.line, p.column) for p in source.problems] == [
        (2, 9), (3, 10), (4, 2), (5, 10), (6, 2), (7, 8),
    ]  # fmt: skip
    reasons = [p.reason for p in source.problems]
    assert "NaN is not valid JSON" in reasons[0]
    assert "duplicate key" in reasons[1]
    assert "property name" in reasons[2] and "single quotes" in reasons[2]
    assert "Extra data" in reasons[3]
    assert "Infinity" in reasons[4]
    assert "invalid Unicode" in reasons[5]
    assert source.problems[0].describe().startswith("line 2, column 9: NaN")
    assert source.summary() == "2 requests, 6 invalid lines (not sent)"


def test_a_json_array_keeps_each_elements_source_span() -> None:
    text = (
        '\n [ { "a" : 1 },\r\n  {"b": [1,\n    2]} ,"s", 1.50e3,\n'
        '  {"x": NaN}, {"k": 1, "k": 2} ]\n'
    )
    source = read_batch(text, "in.json")
    assert source.kind == "array"
    assert source.items == (
        BatchItem('{ "a" : 1 }', 2, 4),  # not re-serialised
        BatchItem('{"b": [1,\n    2]}', 3, 3),
        BatchItem('"s"', 4, 10),
        BatchItem("1.50e3", 4, 15),  # the number as written
    )
    assert source.problems == (
        BatchProblem(5, 9, "NaN is not valid JSON (use null or a string)"),
        BatchProblem(5, 24, 'duplicate key "k" in the same object (the first would be lost)'),
    )
    assert source.summary() == "4 requests, 2 invalid items (not sent)"


def test_what_counts_as_an_array_file() -> None:
    assert read_batch("[1, 2, 3]", "f").texts == ["1", "2", "3"]  # one line: still an array
    lines = read_batch("[1, 2]\n[3, 4]\n", "f")  # one array a line: JSON Lines
    assert (lines.kind, lines.texts) == ("jsonl", ["[1, 2]", "[3, 4]"])
    mixed = read_batch('[1]\n{"a": 1}\nbad', "f")
    assert (mixed.kind, mixed.texts, len(mixed.problems)) == ("jsonl", ["[1]", '{"a": 1}'], 1)


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        ('[\n  {"a": 1},\n  {"b": 2}\n', 4, 1, "not closed"),
        ('[\n  {"a": 1},,\n]', 2, 12, "Expecting value"),
        ('[\n  {"a": 1},\n]', 3, 1, "trailing comma"),
        ('[\n  {"a": 1}\n  {"b": 2}\n]', 3, 3, "','"),
        ("[\n  1\n] extra", 3, 3, "Extra data"),
        ("[\n  {'a': 1}\n]", 2, 4, "property name"),
    ],
)
def test_an_array_with_a_syntax_error_says_where(
    text: str, line: int, column: int, words: str
) -> None:
    error = _error(text)
    problem = error.fields[0]
    assert (problem.field, problem.line, problem.column) == ("file", line, column)
    assert "not a valid JSON array" in problem.message and words in problem.message


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "is empty"),
        ("  \n\r\n\t", "is empty"),
        ("\ufeff", "is empty"),
        (" [ ] ", "empty JSON array"),
    ],
)
def test_empty_files_are_refused(text: str, words: str) -> None:
    assert words in _error(text).fields[0].message


def test_a_file_without_a_valid_item_lists_every_problem() -> None:
    error = _error("nope\n\n{'a': 1}\n")
    assert [(p.line, p.column) for p in error.problems] == [(1, 1), (3, 2)]
    field = error.fields[0]
    assert (field.line, field.column) == (1, 1)
    assert "no valid JSON line" in field.message and "(and 1 more)" in field.message
    array = _error("[NaN, Infinity]")
    assert len(array.problems) == 2 and "no valid JSON item" in array.fields[0].message


def test_one_pretty_printed_value_is_not_read_line_by_line() -> None:
    error = _error('{\n  "prompt": "hi",\n  "n": 1\n}\n')
    assert "one JSON value over several lines" in error.fields[0].message


def test_load_batch_reads_a_file_by_its_name(tmp_path: Path) -> None:
    path = tmp_path / "prompts.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"a": 1}\r\n{"a": 2}\r\n')  # a BOM, CR LF
    source = load_batch(path)
    assert (source.name, source.texts) == ("prompts.jsonl", ['{"a": 1}', '{"a": 2}'])
    assert source.items[0] == BatchItem('{"a": 1}', 1, 1)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (
            '{"a": "é"}\n{"b": "'.encode() + b"\xff" + b'"}\n',
            "not UTF-8 text (byte 0xff at offset 19)",
        ),
        ('{"a": 1}'.encode("utf-16"), "UTF-16"),
        (b"  \n", "empty"),
        (b"[]", "empty JSON array"),
    ],
)
def test_load_batch_says_why_a_file_is_refused(tmp_path: Path, content: bytes, words: str) -> None:
    path = tmp_path / "in.jsonl"
    path.write_bytes(content)
    with pytest.raises(BatchFileError) as caught:
        load_batch(path)
    assert words in caught.value.fields[0].message
    assert caught.value.fields[0].message.startswith("in.jsonl ")


def test_load_batch_refuses_missing_folders_and_large_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(BatchFileError, match=r"missing\.jsonl cannot be read"):
        load_batch(tmp_path / "missing.jsonl")
    with pytest.raises(BatchFileError, match="folder"):
        load_batch(tmp_path)
    path = tmp_path / "big.jsonl"
    path.write_bytes(b'{"a": 1}\n' * 10)
    monkeypatch.setattr("vessl_gui.core.json_files.MAX_OPEN_BYTES", 50)
    with pytest.raises(BatchFileError, match="more than the 50 bytes limit"):
        load_batch(path)
    assert MAX_BATCH_BYTES >= 64 * 1024 * 1024  # tens of MB go


_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda kids: (
        st.lists(kids, max_size=3) | st.dictionaries(st.text(max_size=5), kids, max_size=3)
    ),
    max_leaves=8,
)
_SPACE = st.text(alphabet=" \t", max_size=3)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(_VALUES, _SPACE, _SPACE, st.booleans()), min_size=1, max_size=8))
def test_any_values_round_trip_byte_exact(rows: list[tuple[Any, str, str, bool]]) -> None:
    texts = [json.dumps(v, ensure_ascii=ascii_) for v, _, _, ascii_ in rows]
    jsonl = "\n".join(f"{a}{t}{b}" for t, (_, a, b, _) in zip(texts, rows, strict=True))
    array = (
        "[" + ",\n".join(f"{a}{t}{b}" for t, (_, a, b, _) in zip(texts, rows, strict=True)) + "]"
    )
    one_array = len(rows) == 1 and isinstance(rows[0][0], list)  # then the file is an array
    for text in (array,) if one_array else (jsonl, array):
        source = read_batch(text, "f")
        assert source.texts == texts and source.problems == ()
        for item in source.items:  # each item is where it says, as written
            at = offset_of(text, item.line, item.column)
            assert text[at : at + len(item.text)] == item.text


def test_ten_thousand_lines_are_read_quickly() -> None:
    lines = [
        json.dumps({"prompt": f"Write a haiku about item {i}", "max_tokens": 64})
        for i in range(10_000)
    ]
    for text in ("\n".join(lines) + "\n", "[\n" + ",\n".join(lines) + "\n]\n"):
        t = time.perf_counter()
        source = read_batch(text, "f")
        elapsed = time.perf_counter() - t
        assert len(source.items) == 10_000 and source.texts[-1] == lines[-1]
        assert elapsed < 3.0, elapsed  # ~0.12-0.16 s measured; generous for a loaded machine
