"""references(): where the {{name}} are, found in the raw text (strings' values only)."""

from __future__ import annotations

import json
import time

import pytest

from vessl_gui.core.text import position
from vessl_gui.core.variables.scan import Reference, references


def names(data: str, path: str = "/") -> list[str]:
    return [r.name for r in references(path, data)]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ('{"q": "{{a}}"}', ["a"]),
        ('{"q": "x{{a}}y{{b}}z", "r": ["{{c}}", 1, {"s": "{{d}}"}]}', ["a", "b", "c", "d"]),
        ('"{{top}}"', ["top"]),
        ('["{{a}}", "{{a}}"]', ["a", "a"]),
        ('{"{{key}}": "{{value}}"}', ["value"]),  # keys never count
        ('{"{{key}}" \n\t : 1, "k": "{{v}}"}', ["v"]),
        ('{"a": {{x}}}', []),  # not in a string (and not valid JSON)
        ("[1, 2.0, true, null]", []),
        ('{"q": "{{ a }}", "r": "{{}}", "s": "{{1a}}", "t": "{{a-b}}", "u": "{{"}', []),
        ('{"q": "{{{a}}}"}', ["a"]),  # { + {{a}} + }
        ('{"q": "\\u007b{a}}", "r": "{\\u007ba}}"}', []),  # the escape that sends {{a}} as is
        ('{"q": "\\"{{a}}\\"", "r": "\\\\{{b}}"}', ["a", "b"]),
        ('{"q": "\\\\\\"{{a}}"}', ["a"]),  # \\ \" then the reference
        ('{"q": "a\\"b", "r": "{{c}}"}', ["c"]),  # an escaped quote does not end the string
        ('{"q": "\\\\", "r": "{{c}}"}', ["c"]),  # an escaped backslash does not escape the quote
        ('{"q": "{{_}}", "r": "{{A_1}}", "s": "{{' + "x" * 100 + '}}"}', ["_", "A_1", "x" * 100]),
        ('{"q": "{{na\\u006de}}"}', []),  # a reference is found in the raw text
        ('{"é": "日本 {{a}} 🎉", "b": "{{b}}"}', ["a", "b"]),
    ],
)
def test_which_references_count(data: str, expected: list[str]) -> None:
    assert names(data) == expected


def test_the_path_counts_anywhere_and_comes_first() -> None:
    refs = references("/v1/{{model}}/x{{n}}?q={{q}}", '{"a": "{{d}}"}')
    assert [(r.name, r.field, r.offset, r.line, r.column) for r in refs] == [
        ("model", "path", 4, 1, 5),
        ("n", "path", 15, 1, 16),
        ("q", "path", 23, 1, 24),
        ("d", "data", 7, 1, 8),
    ]
    assert refs[0].end == 13 and refs[0].text == "{{model}}"


def test_positions_are_the_validations() -> None:
    data = '{\n  "a": "{{x}}",\n\n  "b": ["é", "{{y}} {{z}}"],\r\n "c": "{{w}}"\n}'
    for r in references("/", data):
        assert (r.line, r.column) == position(data, r.offset)
        assert data[r.offset : r.end] == r.text


def test_any_text_is_accepted() -> None:
    for text in ['{"a": "{{x}}', '"{{a}}" "', '\\"{{a}}"', '{"a": "b\n{{c}}"}', '"', "{{", ""]:
        for r in references(text, text):
            assert text[r.offset : r.end] == r.text
    assert names('{"a": "{{x}}') == []  # an unterminated string holds nothing
    assert names('{"ok": "{{a}}", "bad": "x\n "{{b}}"}') == ["a", "b"]  # quote pairs of a line


def test_records() -> None:
    r = Reference("a", "data", 3, 1, 4)
    assert r == Reference("a", "data", 3, 1, 4) and r.end == 8


def _big(every: int, **dumps: object) -> str:
    items = [
        {
            "id": i,
            "name": f"item {i} {{{{v{i % 5}}}}}" if (i + 1) % every == 0 else f"item {i}",
            "text": 'say "hi"\\n',
            "tags": ["a", "b"],
            "score": 1.5,
        }
        for i in range(40_000)
    ]
    return json.dumps({"items": items, "last": "{{v1}}"}, **dumps)  # type: ignore[arg-type]


@pytest.mark.parametrize("shape", ["minified", "pretty"])
def test_five_megabytes(shape: str) -> None:
    """A 5 MB data (the UI runs this on a thread): measured 5-40 ms, 2 cores shared."""
    dumps = {"separators": (",", ":")} if shape == "minified" else {"indent": 2}
    data = _big(40, **dumps)
    data = data + " " * max(0, 5 * 2**20 - len(data))
    start = time.perf_counter()
    refs = references("/", data)
    took = time.perf_counter() - start
    assert len(refs) == 1001
    assert refs[-1].name == "v1" and data[refs[-1].offset - 1] == '"'
    assert took < 1.0, f"{took * 1000:.0f} ms"  # generous: the machine is shared
