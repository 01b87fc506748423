"""Format and minify re-lay out JSON tokens: values, key order, number and string text untouched."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vessl_gui.core import jsonfmt
from vessl_gui.core.errors import ValidationError
from vessl_gui.core.jsonfmt import format_json, json_tokens, minify_json
from vessl_gui.core.validation import check_json

# -- strategies -------------------------------------------------------------------------

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
)


json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=8), children, max_size=5)
    ),
    max_leaves=25,
)

dump_styles = st.fixed_dictionaries(
    {
        "indent": st.sampled_from([None, 0, 1, 2, 4, "\t", "  "]),
        "separators": st.sampled_from([None, (",", ":"), (", ", ": "), (" , ", " : ")]),
        "ensure_ascii": st.booleans(),
    }
)

# JSON number texts exactly as the grammar allows them.
number_texts = st.from_regex(
    r"-?(0|[1-9][0-9]{0,25})(\.[0-9]{1,12})?([eE][+-]?[0-9]{1,4})?", fullmatch=True
)
# JSON string texts, escapes included (\/, \uXXXX, surrogate pairs...).
string_texts = st.lists(
    st.sampled_from(
        ["a", "é", "😀", " ", "\\n", "\\/", '\\"', "\\\\", "\\u00e9", "\\ud83d\\ude00", "\\t"]
    ),
    max_size=8,
).map(lambda parts: '"' + "".join(parts) + '"')
whitespace = st.text(alphabet=" \t\n\r", max_size=3)


def _pairs(text: str) -> Any:
    """The value with objects as lists of pairs, so key order counts in comparisons."""
    return json.loads(text, object_pairs_hook=list)


# -- properties ---------------------------------------------------------------------------


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(value=json_values, style=dump_styles, indent=st.sampled_from([0, 1, 2, 4, "\t"]))
def test_any_value_survives_format_then_minify(
    value: Any, style: dict[str, Any], indent: Any
) -> None:
    text = json.dumps(value, **style)
    formatted = format_json(text, indent)
    minified = minify_json(formatted)
    assert json.loads(formatted) == value
    assert json.loads(minified) == value
    assert _pairs(minified) == _pairs(text)  # key order kept
    assert minify_json(formatted) == minify_json(text)
    assert format_json(minified, indent) == formatted
    assert check_json(formatted) is None and check_json(minified) is None


@settings(max_examples=200)
@given(value=json_values, indent=st.sampled_from([0, 1, 2, 4, "\t"]))
def test_format_lays_out_like_json_dumps(value: Any, indent: Any) -> None:
    compact = json.dumps(value, separators=(",", ":"))
    assert format_json(compact, indent) == json.dumps(value, indent=indent)
    assert minify_json(json.dumps(value, indent=indent)) == compact


@settings(max_examples=200)
@given(
    numbers=st.lists(number_texts, min_size=1, max_size=8),
    strings=st.lists(string_texts, min_size=1, max_size=4),
    ws=st.lists(whitespace, min_size=30, max_size=30),
)
def test_number_and_string_texts_are_copied_verbatim(
    numbers: list[str], strings: list[str], ws: list[str]
) -> None:
    items = [*numbers, *strings]
    pieces = [ws[0], "["]
    for i, item in enumerate(items):
        if i:
            pieces.append(",")
        pieces += [ws[(2 * i + 1) % 30], item, ws[(2 * i + 2) % 30]]
    pieces += ["]", ws[-1]]
    text = "".join(pieces)
    assert check_json(text) is None
    for out in (format_json(text), format_json(text, 1), minify_json(text)):
        tokens = [t for t in json_tokens(out) if t not in "[],"]
        assert tokens == items


def test_the_documented_numbers_do_not_change() -> None:
    big = str(2**70)
    text = f'{{"z": 1.0, "a": 1e400, "m": {big}, "n": -0, "e": 1E+2, "s": "\\u00e9\\/x"}}'
    formatted = format_json(text)
    assert formatted == (
        "{\n"
        '    "z": 1.0,\n'
        '    "a": 1e400,\n'
        f'    "m": {big},\n'
        '    "n": -0,\n'
        '    "e": 1E+2,\n'
        '    "s": "\\u00e9\\/x"\n'
        "}"
    )
    assert minify_json(formatted) == (
        f'{{"z":1.0,"a":1e400,"m":{big},"n":-0,"e":1E+2,"s":"\\u00e9\\/x"}}'
    )


def test_strings_with_brackets_commas_and_whitespace_are_untouched() -> None:
    text = '{"a , b": "[1, 2] : {x}\\n  ", "t\\"q": ["  ", "\\\\"]}'
    assert minify_json(text) == '{"a , b":"[1, 2] : {x}\\n  ","t\\"q":["  ","\\\\"]}'
    assert json.loads(format_json(text)) == json.loads(text)


def test_empty_containers_and_scalars() -> None:
    assert format_json(" { } ") == "{}"
    assert format_json("[ [ ], { } ]", 2) == "[\n  [],\n  {}\n]"
    assert format_json("  42\n") == "42"
    assert minify_json(' "x" ') == '"x"'
    assert format_json("null") == "null"


@settings(max_examples=300)
@given(value=json_values, style=dump_styles, size=st.integers(min_value=1, max_value=40))
def test_slicing_at_token_boundaries_gives_the_same_tokens(
    value: Any, style: dict[str, Any], size: int
) -> None:
    # Big texts are tokenised in slices; with a tiny slice every text is "big".
    text = json.dumps(value, **style)
    whole = jsonfmt._TOKEN_RE.findall(text)
    saved = jsonfmt._SLICE
    jsonfmt._SLICE = size
    try:
        assert json_tokens(text) == whole
    finally:
        jsonfmt._SLICE = saved


def test_slicing_handles_long_strings_with_escapes_on_one_line() -> None:
    value = {"img": 'A\\",' * 200_000, "list": list(range(50_000)), "s": '"],{' * 1000}
    text = json.dumps(value, separators=(",", ":"))
    assert "\n" not in text and len(text) > 4 * jsonfmt._SLICE
    assert json_tokens(text) == jsonfmt._TOKEN_RE.findall(text)
    assert json.loads(format_json(text)) == value


def test_large_text_is_tokenised_in_slices_correctly() -> None:
    value = [{"k": i, "s": "x" * (i % 50), "f": i / 7} for i in range(20000)]
    pretty = json.dumps(value, indent=2)
    assert len(pretty) > 1_000_000
    assert minify_json(pretty) == json.dumps(value, separators=(",", ":"))
    assert format_json(minify_json(pretty), 2) == pretty


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "   ",
        '{"a": 1,}',
        "{'a': 1}",
        '{"a": NaN}',
        "[Infinity]",
        '{"a": 1, "a": 2}',
        "[1] [2]",
        '{"a": }',
        '"unterminated',
        "[1, 2",
    ],
)
def test_invalid_json_is_refused_with_check_json_error(bad: str) -> None:
    expected = check_json(bad)
    assert expected is not None
    for func in (format_json, minify_json, json_tokens):
        with pytest.raises(ValidationError) as info:
            func(bad)
        assert info.value.fields == (expected,)


def test_error_position_matches_check_json() -> None:
    bad = '{\n  "a": 1,\n  "b": }'
    with pytest.raises(ValidationError) as info:
        format_json(bad)
    field = info.value.fields[0]
    assert (field.field, field.line, field.column) == ("data", 3, 8)
    assert re.search(r"line 3, column 8", field.describe())
