"""Import from curl, curl's options: data options, clusters, --url, headers, tokens."""

from __future__ import annotations

import pytest

from vessl_gui.core.snippets.curl_import import parse_curl

BASE = "https://serve-api.vessl.ai/api/v1/services/my-svc"


@pytest.mark.parametrize(
    "option", ["-d", "--data", "--data-raw", "--data-binary", "--data-ascii", "--json"]
)
def test_data_options(option):
    got = parse_curl(
        f"curl -X POST {BASE}/async -H 'Content-Type: application/json' "
        f'{option} \'{{"path": "/v1/x", "data": {{"n": 1.0}}}}\''
    )
    assert got.kind == "create" and got.problems == ()
    assert (got.base_url, got.method, got.path, got.data) == (BASE, "POST", "/v1/x", '{"n": 1.0}')


def test_attached_short_options_and_clusters():
    got = parse_curl(
        f"curl -sSL -XPOST -H'Authorization: Bearer t0k' -d'{{\"data\":[]}}' {BASE}/async"
    )
    assert got.problems == () and got.data == "[]" and got.token == "t0k"


def test_url_option_and_trailing_slashes():
    got = parse_curl(f"curl --url {BASE}/async/ --json '{{\"data\": null}}'")
    assert got.kind == "create" and got.base_url == BASE and got.data == "null"


def test_browser_copy_as_curl():
    text = (
        f"curl '{BASE}/async' \\\n"
        "  -H 'accept: */*' \\\n"
        "  -H 'accept-language: en-US,en;q=0.9' \\\n"
        "  -H 'authorization: Bearer eyJhbGciOi.J9' \\\n"
        "  -H 'content-type: application/json' \\\n"
        "  -H 'origin: https://app.vessl.ai' \\\n"
        "  -H 'sec-fetch-mode: cors' \\\n"
        "  -H 'user-agent: Mozilla/5.0' \\\n"
        '  --data-raw \'{"method":"POST","path":"/gen","data":{"prompt":"hi"}}\' \\\n'
        "  --compressed"
    )
    got = parse_curl(text)
    assert got.problems == ()
    assert got.token == "eyJhbGciOi.J9"
    assert (got.method, got.path, got.data) == ("POST", "/gen", '{"prompt":"hi"}')


@pytest.mark.parametrize(
    "header",
    [
        "Authorization: Bearer ${TOKEN}",
        "Authorization: Bearer $TOKEN",
        "Authorization: Bearer <token>",
        "Authorization: Bearer ...",
        "Authorization: Bearer ${TOKEN:?set it}",
    ],
)
def test_placeholders_are_not_tokens(header):
    got = parse_curl(f"curl {BASE}/async -H '{header}' -d '{{\"data\":1}}'")
    assert got.token is None
    got = parse_curl(f'curl {BASE}/async -H "{header}" -d \'{{"data":1}}\'')
    assert got.token is None


def test_oauth2_bearer_option_and_the_token_stays_out_of_problems():
    got = parse_curl(f"curl {BASE}/async --oauth2-bearer s3cret-tok -H 'X-Other: s3cret-tok'")
    assert got.token == "s3cret-tok"
    assert got.problems and not any("s3cret" in p for p in got.problems)


def test_an_invalid_token_is_reported_without_its_value():
    got = parse_curl(f"curl {BASE}/async -H 'Authorization: Bearer a\u00e9b' -d '{{\"data\":1}}'")
    assert got.token is None
    assert got.problems == ("the Bearer token in the command is not a valid token (not imported)",)
