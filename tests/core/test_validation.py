"""Every validation rule of the foundation issue, on the core alone (no Qt)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vessl_gui.core.errors import ValidationError
from vessl_gui.core.models import RequestDraft
from vessl_gui.core.text import offset_of, position
from vessl_gui.core.validation import (
    MAX_TIMEOUT,
    MIN_TIMEOUT,
    ca_bundle_problem,
    check_json,
    check_unicode,
    fail,
    normalize_base_url,
    normalize_method,
    normalize_path,
    normalize_timeout,
    normalize_token,
    validate_draft,
    validate_request,
)

TYPICAL = "https://serve-api.dev2.vssl.ai/api/v1/services/abc123"


def field_of(exc: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return [f.field for f in exc.value.fields]


# -- base URL ------------------------------------------------------------------


def test_typical_base_url_accepted_as_is() -> None:
    assert normalize_base_url(TYPICAL) == TYPICAL
    assert normalize_base_url("https://serve-api.vessl.ai/api/v1/services/x") == (
        "https://serve-api.vessl.ai/api/v1/services/x"
    )


@pytest.mark.parametrize(
    "text",
    [TYPICAL + "/", "  " + TYPICAL + "  ", "\n" + TYPICAL + "//\n", "\t" + TYPICAL + "/ "],
)
def test_base_url_whitespace_and_trailing_slash_removed(text: str) -> None:
    assert normalize_base_url(text) == TYPICAL


def test_base_url_keeps_port_and_http() -> None:
    assert normalize_base_url("http://127.0.0.1:8080/api/") == "http://127.0.0.1:8080/api"
    assert normalize_base_url("HTTPS://Example.COM/x") == "https://example.com/x"


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("", "required"),
        ("   ", "required"),
        ("serve-api.vessl.ai/api", "https://"),
        ("ftp://host/x", "https://"),
        ("https://", "no host"),
        ("https:///path", "no host"),
        (TYPICAL + "?a=1", "query"),
        (TYPICAL + "?", "query"),
        (TYPICAL + "#frag", "fragment"),
        ("https://user:pw@host/x", "user name"),
        ("https://host/a b", "spaces"),
        ("https://host:99999/x", "not a valid URL"),
    ],
)
def test_bad_base_urls(text: str, needle: str) -> None:
    with pytest.raises(ValidationError) as exc:
        normalize_base_url(text)
    assert field_of(exc) == ["base_url"]
    assert needle in exc.value.fields[0].message


# -- method --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "POST"),
        ("  ", "POST"),
        ("post", "POST"),
        ("get", "GET"),
        (" Patch ", "PATCH"),
        ("PROPFIND", "PROPFIND"),
        ("x-custom!", "X-CUSTOM!"),
        ("M~1", "M~1"),
    ],
)
def test_methods(text: str, expected: str) -> None:
    assert normalize_method(text) == expected


@pytest.mark.parametrize("text", ["PO ST", "GET\n1", "GE(T", "GET/", "MÉTHODE", 'A"B'])
def test_bad_methods(text: str) -> None:
    with pytest.raises(ValidationError) as exc:
        normalize_method(text)
    assert field_of(exc) == ["method"]


# -- path ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "/"),
        ("  ", "/"),
        ("/", "/"),
        ("predictions/my-model", "/predictions/my-model"),
        ("/v1/completions", "/v1/completions"),
        ("/v2/models/m/infer?x=1&y=%20", "/v2/models/m/infer?x=1&y=%20"),
        (" /trim ", "/trim"),
        ("/ünï", "/ünï"),
    ],
)
def test_paths(text: str, expected: str) -> None:
    assert normalize_path(text) == expected


@pytest.mark.parametrize("text", ["/a b", "/a\tb", "/a\nb", "/a\x00b"])
def test_bad_paths(text: str) -> None:
    with pytest.raises(ValidationError) as exc:
        normalize_path(text)
    assert field_of(exc) == ["path"]


# -- token ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("abc", "abc"),
        ("  abc\n", "abc"),
        ("\r\nabc.DEF-123_~\r\n", "abc.DEF-123_~"),
        ("Bearer abc", "abc"),
        ("bearer   abc ", "abc"),
    ],
)
def test_tokens(text: str, expected: str) -> None:
    assert normalize_token(text) == expected


@pytest.mark.parametrize("text", ["", "  \n ", "ab cd", "ab\ncd", "tökën", "Bearer "])
def test_bad_tokens(text: str) -> None:
    with pytest.raises(ValidationError) as exc:
        normalize_token(text)
    assert field_of(exc) == ["token"]


def test_token_never_in_error_message() -> None:
    secret = "sekrit value-123"
    with pytest.raises(ValidationError) as exc:
        normalize_token(secret)
    assert secret not in str(exc.value)
    assert "sekrit" not in str(exc.value)


# -- data ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        '{"question": "How are you?"}',
        "[1, 2, 3]",
        '"just a string"',
        "42",
        "-0.5e-3",
        "true",
        "false",
        "null",
        "  {}  ",
        "[]",
        '{"a": {"a": 1}, "b": [{"a": 2}, {"a": 3}]}',
    ],
)
def test_any_json_value_is_valid(text: str) -> None:
    assert check_json(text) is None


def test_data_sent_byte_exact() -> None:
    data = '{"z": 1.0, "a": 1e400, "big": 1180591620717411303424, "ü": "日本", "e": "\\u00e9"}'
    req = validate_request(TYPICAL, "post", "x", "\n  " + data + "\n")
    assert req.data == data
    body = req.body().decode("utf-8")
    assert body.endswith('"data": ' + data + "}")
    parsed = json.loads(body)
    assert parsed["method"] == "POST" and parsed["path"] == "/x"
    assert list(parsed["data"]) == ["z", "a", "big", "ü", "e"]


def test_huge_integer_survives() -> None:
    digits = "7" * 10_000
    req = validate_request(TYPICAL, "", "", "[" + digits + "]")
    assert digits.encode() in req.body()


@pytest.mark.parametrize(
    ("text", "line", "column", "needle"),
    [
        ('{"a": 1,\n "b": }', 2, 7, "Expecting value"),
        ('{"a": 1,}', 1, 9, "trailing comma"),
        ("{'a': 1}", 1, 2, "double quotes"),
        ('{"a": 1} x', 1, 10, "Extra data"),
        ('{"a": NaN}', 1, 7, "NaN"),
        ("[1,\n  -Infinity]", 2, 3, "Infinity"),
        ('{"x": "NaN is fine in a string", "y": Infinity}', 1, 39, "Infinity"),
        ('{"a": 1,\n  "a": 2}', 2, 3, "duplicate key"),
        ('{"o": {"k": 1}, "p": {"k": 2, "k": 3}}', 1, 31, "duplicate key"),
        ("", None, None, "required"),
        ("   \n", None, None, "required"),
    ],
)
def test_bad_json_with_position(
    text: str, line: int | None, column: int | None, needle: str
) -> None:
    problem = check_json(text)
    assert problem is not None
    assert problem.field == "data"
    assert needle in problem.message
    assert (problem.line, problem.column) == (line, column)


@pytest.mark.parametrize(
    ("text", "line", "column", "name"),
    [
        ('{"n": {{count}}}', 1, 7, "{{count}}"),
        ("[1,\n  {{a}}]", 2, 3, "{{a}}"),
        ("{{a}}", 1, 1, "{{a}}"),
        ('{"a": {{b}}', 1, 7, "{{b}}"),
    ],
)
def test_a_variable_outside_a_string_says_so(text: str, line: int, column: int, name: str) -> None:
    problem = check_json(text)
    assert problem is not None and (problem.line, problem.column) == (line, column)
    assert problem.message == (
        f"{name} is outside a string: variables are replaced only inside JSON strings "
        f'(write "{name}" to send its value as a string)'
    )
    assert check_json('{"n": "{{count}}"}') is None
    other = check_json('{"a": x{{b}}}')
    assert other is not None and other.message == "Expecting value"


def test_same_key_in_different_objects_is_fine() -> None:
    assert check_json('[{"a": 1}, {"a": 2}, {"b": {"a": 3}}]') is None


def test_lone_surrogate_is_rejected() -> None:
    problem = check_json('"\ud800"')
    assert problem is not None and "Unicode" in problem.message
    # ...but the escaped form is plain valid JSON text.
    assert check_json('"\\ud800"') is None


def test_position_round_trip() -> None:
    text = "ab\ncde\n\nf"
    for offset in range(len(text) + 1):
        line, col = position(text, offset)
        assert offset_of(text, line, col) == offset


# -- rules shared by services and settings ------------------------------------


def test_fail_names_the_field_and_position() -> None:
    with pytest.raises(ValidationError) as exc:
        fail("file", "bad", 2, 5)
    [f] = exc.value.fields
    assert (f.field, f.message, f.line, f.column) == ("file", "bad", 2, 5)


def test_invalid_unicode_is_named_with_its_label() -> None:
    check_unicode("name", "Service name", "fine é 日本")
    with pytest.raises(ValidationError) as exc:
        check_unicode("name", "Service name", "x\udc80")
    assert exc.value.fields[0].field == "name"
    assert exc.value.fields[0].message == (
        "Service name contains invalid Unicode (an unpaired surrogate character)"
    )
    for check, text, label in (
        (normalize_base_url, "https://host/\udc80", "Base URL"),
        (normalize_path, "/\udc80", "Path"),
    ):
        with pytest.raises(ValidationError) as exc:
            check(text)
        assert exc.value.fields[0].message.startswith(f"{label} contains invalid Unicode")


def test_the_timeout_limit_is_an_hour_for_connect_and_read() -> None:
    assert MIN_TIMEOUT == 0.1 and MAX_TIMEOUT == 3600.0
    for name in ("connect_timeout", "read_timeout"):
        assert normalize_timeout(name, MIN_TIMEOUT) == 0.1
        assert normalize_timeout(name, MAX_TIMEOUT) == 3600.0
        assert normalize_timeout(name, "90") == 90.0
    with pytest.raises(ValidationError) as exc:
        normalize_timeout("connect_timeout", 3600.5)
    assert exc.value.fields[0].field == "connect_timeout"
    assert exc.value.fields[0].message == "Connect timeout must be 0.1 to 3600 seconds"
    with pytest.raises(ValidationError) as exc:
        normalize_timeout("read_timeout", "soon")
    assert exc.value.fields[0].message == "Read timeout must be a number of seconds"


@pytest.mark.parametrize("value", [0, 0.09, -1, 3601, float("nan"), float("inf")])
def test_timeouts_out_of_range(value: float) -> None:
    with pytest.raises(ValidationError) as exc:
        normalize_timeout("read_timeout", value)
    assert field_of(exc) == ["read_timeout"]


def test_a_ca_bundle_must_be_a_pem_file(tmp_path: Path) -> None:
    import certifi

    assert ca_bundle_problem(certifi.where()) is None
    missing = tmp_path / "missing.pem"
    assert ca_bundle_problem(str(missing)) == f"CA bundle {missing} is not a file"
    assert ca_bundle_problem(str(tmp_path)) == f"CA bundle {tmp_path} is not a file"
    text = tmp_path / "notes.pem"
    text.write_text("just some text\n")
    assert (ca_bundle_problem(str(text)) or "").startswith(
        f"CA bundle {text} is not a PEM certificate file ("
    )


# -- the whole draft -------------------------------------------------------------


def test_draft_names_every_bad_field() -> None:
    draft = RequestDraft(base_url="nope", method="a b", path="/x y", data="{", token=" ")
    with pytest.raises(ValidationError) as exc:
        validate_draft(draft)
    assert field_of(exc) == ["base_url", "method", "path", "data", "token"]
    assert exc.value.for_field("data") is not None
    assert exc.value.for_field("nothing") is None


def test_valid_draft_keeps_token_apart() -> None:
    draft = RequestDraft(TYPICAL + "/", "", "", '{"q": 1}', " tok123\n")
    valid = validate_draft(draft)
    assert valid.token == "tok123"
    assert valid.request.method == "POST" and valid.request.path == "/"
    assert "tok123" not in repr(valid) and "tok123" not in repr(draft)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None)
@given(json_values, st.sampled_from([None, 2]))
def test_any_generated_json_value_is_valid_and_round_trips(
    value: object, indent: int | None
) -> None:
    text = json.dumps(value, indent=indent, ensure_ascii=False)
    assert check_json(text) is None
    req = validate_request(TYPICAL, "", "", text)
    assert json.loads(req.body())["data"] == value


@settings(max_examples=300, deadline=None)
@given(st.text(), st.text(), st.text(), st.text(), st.text())
def test_any_text_gives_request_or_field_errors(
    base: str, method: str, path: str, data: str, token: str
) -> None:
    try:
        valid = validate_draft(RequestDraft(base, method, path, data, token))
    except ValidationError as exc:
        assert exc.fields
        assert {f.field for f in exc.fields} <= {"base_url", "method", "path", "data", "token"}
    else:
        assert json.loads(valid.request.body())["path"].startswith("/")


def test_data_checked_skips_only_the_json_parse() -> None:
    draft = RequestDraft("http://127.0.0.1:9", "POST", "/predict", '  {"a": 1}\n', "tok")
    valid = validate_draft(draft, data_checked=True)
    assert valid.request.data == '{"a": 1}' == validate_draft(draft).request.data
    with pytest.raises(ValidationError) as info:  # the other fields are still checked
        validate_draft(RequestDraft("ftp://x", "POST", "/", "[1]", ""), data_checked=True)
    assert {f.field for f in info.value.fields} == {"base_url", "token"}
