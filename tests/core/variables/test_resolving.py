"""resolve(): the text sent, the text history keeps, and every problem with its place."""

from __future__ import annotations

import json

import pytest

from vessl_gui.core.errors import ValidationError
from vessl_gui.core.models import AsyncRequest
from vessl_gui.core.variables.model import Variable
from vessl_gui.core.variables.resolving import json_fragment, resolve, resolve_request

MODEL = Variable("model", "llama-3")
KEY = Variable("api_key", 'k"e\\y\n', secret=True)
ODD = Variable("odd", 'quote " backslash \\ tab \t nul \x00 del \x7f é 日本 🎉 \u2028')


def test_no_reference_is_the_identity() -> None:
    path, data = "/p", '{"a": [1.0, 1e400, 123456789012345678901234567890], "b": "{{ x }}"}'
    r = resolve(path, data, [MODEL])
    assert r.path is path and r.data is data
    assert r.history_path is path and r.history_data is data
    assert r.secrets == frozenset() and r.references == () and r.error is None
    r.check()


def test_values_are_json_escaped_in_data_and_inserted_as_is_in_the_path() -> None:
    data = '{"m": "use {{model}}", "k": "{{api_key}}", "o": ["{{odd}}"], "n": 1.0}'
    r = resolve("/v1/{{model}}", data, [MODEL, KEY, ODD])
    assert r.error is None
    assert r.path == "/v1/llama-3" == r.history_path
    assert r.data == (
        '{"m": "use llama-3", "k": "k\\"e\\\\y\\n", "o": ["'
        + json_fragment(ODD.value)
        + '"], "n": 1.0}'
    )
    assert json.loads(r.data) == {"m": "use llama-3", "k": KEY.value, "o": [ODD.value], "n": 1.0}
    assert "é 日本 🎉" in r.data  # non-ASCII is kept, not \\u-escaped


def test_history_keeps_secret_references_and_flags_them() -> None:
    r = resolve("/{{api_key}}x", '{"k": "Bearer {{api_key}}", "m": "{{model}}"}', [MODEL, KEY])
    assert r.history_data == '{"k": "Bearer {{api_key}}", "m": "llama-3"}'
    assert r.history_path == "/{{api_key}}x"
    assert r.secrets == {"api_key"}
    assert KEY.value not in repr(r) and json_fragment(KEY.value) not in repr(r)
    assert r.error is not None  # a line break cannot go into a path
    [problem] = r.error.fields
    assert (problem.field, problem.line, problem.column) == ("path", 1, 2)
    assert "path cannot hold" in problem.message and 'k"e' not in problem.message


def test_json_fragment() -> None:
    assert json_fragment('a"b\\c\n\x01é') == 'a\\"b\\\\c\\n\\u0001é'
    assert json_fragment("") == ""
    assert json.loads('"' + json_fragment(ODD.value) + '"') == ODD.value


def test_unknown_variables_are_errors_with_their_first_place() -> None:
    data = '{\n  "a": "{{who}}",\n  "b": ["{{who}}", "{{Model}}", "{{model}}"]\n}'
    r = resolve("/{{where}}", data, [MODEL])
    assert r.error is not None
    fields = [(f.field, f.line, f.column) for f in r.error.fields]
    assert fields == [("path", 1, 2), ("data", 2, 9), ("data", 3, 21)]
    path, who, model = (f.message for f in r.error.fields)
    assert path.startswith("{{where}} is not a variable of this service")
    assert "%7B{where}}" in path
    assert "used 2 times" in who and "\\u007b{who}}" in who
    assert "did you mean {{model}}?" in model
    assert [(u.name, u.line) for u in r.unknown] == [
        ("where", 1),
        ("who", 2),
        ("who", 3),
        ("Model", 3),
    ]
    # Unknown references stay as they are, so a preview can still show the body.
    assert r.data == data.replace("{{model}}", "llama-3")
    assert r.path == "/{{where}}"
    with pytest.raises(ValidationError) as exc:
        r.check()
    assert exc.value is r.error
    assert "data: line 2, column 9: {{who}} is not a variable" in exc.value.message


def test_a_value_with_invalid_unicode_is_refused() -> None:
    r = resolve("/", '["{{s}}"]', [Variable("s", "\udc00")])
    assert r.error is not None and "invalid Unicode" in r.error.fields[0].message


def test_a_value_is_not_expanded_again() -> None:
    r = resolve("/", '["{{a}}"]', [Variable("a", "{{b}}"), Variable("b", "no")])
    assert r.data == '["{{b}}"]' and r.error is None


def test_keys_and_non_strings_are_left_alone() -> None:
    data = '{"{{model}}": "{{model}}", "n": 12345678901234567890, "f": 1e400}'
    assert (
        resolve("/", data, [MODEL]).data
        == '{"{{model}}": "llama-3", "n": 12345678901234567890, "f": 1e400}'
    )


def test_resolve_request() -> None:
    req = AsyncRequest("https://h.io/s", "PUT", "/v/{{model}}", '{"k": "{{api_key}}"}')
    done = resolve_request(req, [MODEL, KEY])
    assert done.wire == AsyncRequest(
        "https://h.io/s", "PUT", "/v/llama-3", '{"k": "k\\"e\\\\y\\n"}'
    )
    assert done.history == AsyncRequest(
        "https://h.io/s", "PUT", "/v/llama-3", '{"k": "{{api_key}}"}'
    )
    assert done.secrets == {"api_key"}
    assert 'k\\"e' not in repr(done)
    json.loads(done.wire.body())
    with pytest.raises(ValidationError, match="not a variable"):
        resolve_request(req, [MODEL])
