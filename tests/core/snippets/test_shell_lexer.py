"""Import from curl, the shell lexer: quoting, continuations, here-documents, substitutions."""

from __future__ import annotations

from vessl_gui.core.snippets.curl_import import parse_curl

BASE = "https://serve-api.vessl.ai/api/v1/services/my-svc"


def test_line_continuations_crlf_and_comments():
    text = (
        "# create one\r\n"
        f"curl \\\r\n  --request POST \\\r\n  '{BASE}/async' \\\r\n"
        '  --data-raw \'{"data": {"a":\r\n 1}}\'   # trailing comment\r\n'
    )
    got = parse_curl(text)
    assert got.problems == ()
    assert got.data == '{"a":\r\n 1}'  # whitespace inside the quotes is kept exactly


def test_double_quotes_and_escapes():
    # In double quotes \" \$ \\ are escapes; any other backslash stays.
    got = parse_curl(f'curl "{BASE}/async" -d ' + r'"{\"data\": \"\$x \\\\ \u00e9\"}"')
    assert got.problems == ()
    assert got.data == r'"$x \\ \u00e9"'


def test_ansi_c_quotes():
    got = parse_curl(f'curl {BASE}/async --json $\'{{"data": "it\\\'s\\\\n\\u00e9"}}\'')
    assert got.problems == ()
    assert got.data == '"it\'s\\né"'


def test_unquoted_backslash_escapes():
    got = parse_curl(f'curl {BASE}/async -d {{\\"data\\":\\ 1}}')
    assert got.problems == () and got.data == "1"


def test_quoted_heredoc_is_literal():
    text = (
        f'cat <<\'EOF\' | curl {BASE}/async --json @-\n{{"data": {{"home": "$HOME \\\\"}}}}\nEOF\n'
    )
    got = parse_curl(text)
    assert got.problems == ()
    assert got.data == '{"home": "$HOME \\\\"}'


def test_heredoc_on_curl_itself_with_tab_stripping():
    text = f'curl {BASE}/async --json @- <<-END\n\t{{"data": 2}}\n\tEND\n'
    got = parse_curl(text)
    assert got.problems == () and got.data == "2"


def test_command_substitutions_are_never_run_and_do_not_spoil_the_rest():
    text = (
        'TOKEN=$(vessl token --name "a(b)")\n'
        f'curl -H "Authorization: Bearer $TOKEN" {BASE}/async -d "{{\\"data\\": \\"`date`\\"}}"'
    )
    got = parse_curl(text)
    assert (got.kind, got.base_url, got.data, got.token) == ("create", BASE, '"`date`"', None)
    assert got.problems == (
        'the command substitution $(vessl token --name "a(b)") is not run (paste its result)',
        "the command substitution `date` is not run (paste its result)",
    )


def test_redirections_and_pipes_after_curl_are_harmless():
    got = parse_curl(f"curl -s {BASE}/async -d '{{\"data\":1}}' 2>&1 > out.json | jq .id")
    assert got.problems == () and got.data == "1"
