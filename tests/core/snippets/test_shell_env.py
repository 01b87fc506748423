"""Import from curl, the shell's variables and what a pipe writes into curl."""

from __future__ import annotations

from vessl_gui.core.snippets.curl_import import parse_curl

BASE = "https://serve-api.vessl.ai/api/v1/services/my-svc"


def test_unquoted_heredoc_expands_variables_it_knows():
    text = f'X=42\ncat <<EOF | curl {BASE}/async --json @-\n{{"data": [$X, "$Y"]}}\nEOF\n'
    got = parse_curl(text)
    assert got.data == '[42, "$Y"]'
    assert got.problems == ("the data uses $Y, which the pasted text does not set (kept as typed)",)


def test_here_string_and_printf_and_echo_forms():
    for source in (
        f"curl {BASE}/async --json @- <<< '{{\"data\": 3}}'",
        f"printf '%s\\n' '{{\"data\": 3}}' | curl {BASE}/async --json @-",
        f"echo -n '{{\"data\": 3}}' | curl {BASE}/async --data-binary @-",
        f"echo '{{\"data\":' '3}}' | curl {BASE}/async -d @-",
    ):
        got = parse_curl(source)
        assert got.problems == (), source
        assert got.data == "3", source


def test_only_an_unquoted_name_equals_is_an_assignment():
    text = "'B=https://h.io/s'\nB=https://ok.io/s\nX'Y'=1\ncurl \"$B/async\" -d '{\"data\":1}'"
    got = parse_curl(text)
    assert got.base_url == "https://ok.io/s"
    assert got.problems == (
        "a command is not curl (ignored)",
        "a command is not curl (ignored)",
    )
