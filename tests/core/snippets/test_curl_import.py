"""Import from curl: every form the issue names, and everything it must refuse to guess."""

from __future__ import annotations

import json
import time

import pytest

from vessl_gui.core.models import AsyncRequest
from vessl_gui.core.snippets.code import curl_create, curl_output
from vessl_gui.core.snippets.curl_import import parse_curl

BASE = "https://serve-api.vessl.ai/api/v1/services/my-svc"

# The API page's example exactly as published, prompt included.
PAGE = """\
$ echo '
{
    "method": "POST",
    "path": "/predictions/my-model",
    "data": {
        "question": "How are you?"
    }
}' | curl \\
    -H "Authorization: Bearer ${TOKEN}" \\
    "${BASE_URL}/async" \\
    --json @-
"""


def test_the_api_page_example():
    got = parse_curl(PAGE)
    assert got.kind == "create"
    assert got.method == "POST" and got.path == "/predictions/my-model"
    assert got.data == '{\n        "question": "How are you?"\n    }'
    assert got.token is None  # ${TOKEN} is a placeholder, not a token
    assert got.base_url is None
    assert got.problems == (
        "the URL uses ${BASE_URL}, which the pasted text does not set, so the base URL "
        "is not known",
    )


def test_the_api_page_example_with_base_url_and_token_set_first():
    text = f"export BASE_URL={BASE}\nTOKEN=abc.DEF-123\n" + PAGE
    got = parse_curl(text)
    assert got.kind == "create" and got.problems == ()
    assert got.base_url == BASE
    assert got.token == "abc.DEF-123"


def test_d_at_stdin_strips_newlines_like_curl():
    got = parse_curl(f"echo '{{\"data\":\n[1,\n2]}}' | curl {BASE}/async -d @-")
    assert got.data == "[1,2]"
    got = parse_curl(f"echo '{{\"data\":\n[1,\n2]}}' | curl {BASE}/async --data-binary @-")
    assert got.data == "[1,\n2]"


def test_body_defaults_method_and_path():
    got = parse_curl(f"curl {BASE}/async --json '{{\"data\": {{}}}}'")
    assert (got.method, got.path, got.data) == ("POST", "/", "{}")


def test_bare_urls():
    assert parse_curl(f"  {BASE}/  \n").base_url == BASE
    got = parse_curl(f"{BASE}/async")
    assert (got.kind, got.base_url, got.problems) == ("url", BASE, ())
    got = parse_curl(f"'{BASE}/async/98nlux8b0eu6/output'")
    assert (got.kind, got.base_url, got.request_id) == ("output", BASE, "98nlux8b0eu6")
    got = parse_curl("HTTP://Example.COM:8080/a/b/")
    assert got.base_url == "http://example.com:8080/a/b"


def test_output_command_is_reported():
    got = parse_curl(curl_output(BASE, "abc123"))
    assert (got.kind, got.base_url, got.request_id) == ("output", BASE, "abc123")
    assert got.problems == ("this command reads the output of request abc123; it creates nothing",)


def test_round_trip_of_our_own_create_with_token():
    r = AsyncRequest(BASE, "PUT", "/a'b", '{"x": "$(rm -rf /)"}')
    got = parse_curl(curl_create(r, token="s3cr3t'$"))
    assert (got.kind, got.base_url, got.method, got.path, got.data) == (
        "create",
        BASE,
        "PUT",
        "/a'b",
        r.data,
    )
    assert got.token == "s3cr3t'$" and got.problems == ()
    assert "s3cr3t" not in repr(got)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("curl 'https://x.io/async", "a ' quote opened at line 1, column 6 is never closed"),
        ('curl "https://x.io/async', 'a " quote opened at line 1, column 6 is never closed'),
        ("curl $'abc", "a $' quote opened at line 1, column 6 is never closed"),
        ("curl https://x.io/async -d $(cat f)", "the command substitution $(cat f) is not run"),
        ("curl `which x`", "the command substitution `which x` is not run"),
        ("cat <<E | curl h/async -d @-\n$(date)\nE", "the command substitution $(date) is not"),
        ("curl https://x.io/async -d $(cat f", "a $( opened at line 1, column 28 is never closed"),
        ("curl https://x.io/async -d `cat f", "a ` opened at line 1, column 28 is never closed"),
        ("curl ${B}/async/${ID}/output", "the request id in the URL is not a VESSL request id"),
        ("(curl https://x.io/async)", "sub-shells with ( … ) cannot be read"),
        ("hello world", "no curl command or URL found"),
        ("", "no curl command or URL found"),
        ("curl -s", "the curl command has no URL"),
        ("curl https://x.io/async --frobnicate -d '{\"data\":1}'", "unknown curl option"),
        ("curl https://x.io/async -Z -d '{\"data\":1}'", "unknown curl option -Z"),
        ("curl https://x.io/async -d", "curl option -d is missing its value"),
        ("curl https://x.io/async -d @body.json", "the data is read from the file 'body.json'"),
        ("curl https://x.io/async -d @-", "nothing is piped in"),
        ("curl https://x.io/async -d @- < f.json", "from a file (< file)"),
        ("jq . f | curl https://x.io/async -d @-", "cannot tell what `jq` writes into curl"),
        ('curl https://x.io/async -d \'{"method": "POST"}\'', 'has no "data" field'),
        ("curl https://x.io/async -d '[1]'", "is not a JSON object"),
        ("curl https://x.io/async -d '{\"data\": 1,}'", "not valid JSON: line 1, column 12"),
        ("curl https://x.io/async -d '{\"data\": NaN}'", "data: line 1, column 1: NaN"),
        ('curl https://x.io/async -d \'{"data": 1, "data": 2}\'', "the field 'data' twice"),
        ('curl https://x.io/async -d \'{"data": 1, "x": 2}\'', "unknown field 'x'"),
        ('curl https://x.io/async -d \'{"data": 1, "path": 2}\'', '"path" is not a string'),
        ("curl https://x.io/async", "no request body"),
        ("curl -X GET https://x.io/async -d '{\"data\":1}'", "-X GET: a create call is a POST"),
        ("curl https://x.io/other -d '{\"data\":1}'", "does not end in /async"),
        ("curl 'https://x.io/async?a=1' -d '{\"data\":1}'", "query string or fragment"),
        ("curl ftp://x.io/async -d '{\"data\":1}'", "must start with https://"),
        ("curl https://x.io/async -k -d '{\"data\":1}'", "-k turns off TLS"),
        ("curl https://x.io/async -u me:pw -d '{\"data\":1}'", "-u: user name and password"),
        ("curl https://x.io/async -F a=b", "form fields (-F) are not supported"),
        ("curl https://x.io/async -H 'X-Trace: 1' -d '{\"data\":1}'", "header 'X-Trace'"),
        ("curl https://x.io/async -H 'Content-Type: text/plain' -d '{\"data\":1}'", "not JSON"),
        ("curl https://x.io/async -H 'nocolon' -d '{\"data\":1}'", "without 'Name: value'"),
        (
            "curl https://x.io/async -H 'Authorization: Basic eA==' -d '{\"data\":1}'",
            "not a Bearer",
        ),
        ("curl https://x.io/async -d '{\"data\":1}' -d '{\"x\":2}'", "several data options"),
        ("curl https://x.io/async https://y.io/async -d '{\"data\":1}'", "several URLs"),
        (
            "curl https://x.io/async -d '{\"data\":1}'\ncurl https://y.io/async",
            "only the first curl command",
        ),
        ("ls -la\ncurl https://x.io/async -d '{\"data\":1}'", "the command `ls` is not curl"),
        ('cat <<EOF | curl https://x.io/async -d @-\n{"data": 1}\n', "not closed by a EOF"),
        ("curl https://x.io/async/abc/output -d '{\"data\":1}'", "an output request has no body"),
        ("curl -X DELETE https://x.io/async/abc/output", "the output URL is read with GET"),
        ("curl https://x.io/async --cacert ca.pem -d '{\"data\":1}'", "CA bundle"),
    ],
)
def test_problems_are_reported_not_guessed(text, problem):
    got = parse_curl(text)
    assert any(problem in p for p in got.problems), got.problems


def test_a_5_mb_payload_copied_as_curl_imports_back_quickly():
    rows = [{"k": "it's $x `y` \\n é", "n": i} for i in range(130_000)]
    big = json.dumps(rows, ensure_ascii=False)
    assert len(big.encode("utf-8")) > 5_000_000
    r = AsyncRequest(BASE, "POST", "/", big)
    start = time.perf_counter()
    text = curl_create(r)
    got = parse_curl(text)
    elapsed = time.perf_counter() - start
    assert got.problems == () and got.data == big
    assert elapsed < 10.0, elapsed  # ~0.4 s on a 2-core box


def test_a_stray_token_line_is_not_repeated_in_problems():
    got = parse_curl(f"sk-9f8e7d6c5b4a\ncurl {BASE}/async -d '{{\"data\":1}}'")
    assert got.problems == ("a command is not curl (ignored)",)
    got = parse_curl(f"sk-9f8e7d6c5b4a | curl {BASE}/async -d @-")
    assert got.problems == (
        "cannot tell what the command before the | writes into curl: paste the JSON itself",
    )
