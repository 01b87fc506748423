"""Issue 4's chain: any JSON value survives format -> minify -> copy as curl -> import."""

from __future__ import annotations

import json

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from vessl_gui.core.jsonfmt import format_json, minify_json
from vessl_gui.core.models import AsyncRequest
from vessl_gui.core.snippets.code import curl_create
from vessl_gui.core.snippets.curl_import import parse_curl
from vessl_gui.core.variables import references

BASE = "https://serve-api.vessl.ai/api/v1/services/abc"

values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=25,
)


@settings(max_examples=200, deadline=None)
@given(values, st.sampled_from([None, 2]), st.booleans())
def test_any_value_survives_the_whole_chain(
    value: object, indent: int | None, ascii_: bool
) -> None:
    typed = json.dumps(value, indent=indent, ensure_ascii=ascii_)
    formatted = format_json(typed)
    minified = minify_json(formatted)
    assert minify_json(typed) == minified  # formatting only moved whitespace
    request = AsyncRequest(BASE, "POST", "/predictions/m", minified)
    assume(not references(request.path, request.data))  # {{name}}: see test_variables.py
    got = parse_curl(curl_create(request))
    assert got.kind == "create", got.problems
    assert got.base_url == BASE and got.path == "/predictions/m" and got.method == "POST"
    assert got.data == minified  # byte-exact, number text and escapes included
    assert json.loads(got.data) == value
