"""The variable name rule: identifiers that the shell, curl, httpx and our scripts do not own."""

from __future__ import annotations

import keyword

import pytest

from vessl_gui.core.variables.names import (
    ENVIRONMENT_NAMES,
    MAX_NAME,
    NAME_RE,
    SCRIPT_NAMES,
    SHELL_NAMES,
    TOOL_NAMES,
    name_problem,
)


@pytest.mark.parametrize(
    "name", ["model", "api_key", "_x", "X1", "a" * MAX_NAME, "prompt", "Path", "token", "class"]
)
def test_good_names(name: str) -> None:
    assert name_problem(name) is None


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("", "needs a name"),
        ("a" * (MAX_NAME + 1), "too long (65 characters, at most 64)"),
        ("1x", "not starting with a digit"),
        ("a-b", "letters A-Z"),
        ("a b", "letters A-Z"),
        ("é", "letters A-Z"),
        ("TOKEN", "used by the copied curl script"),
        ("BASE_URL", "used by the copied curl script"),
        ("PATH", "special to the shell"),
        ("path", "special to the shell"),  # zsh ties it to PATH
        ("history", "special to the shell"),  # zsh: an associative array
        ("status", "special to the shell"),  # zsh: read-only
        ("RANDOM", "special to the shell"),
        ("BASH_ENV", "special to bash"),
        ("ZSH_NAME", "special to zsh"),
        ("https_proxy", "read by curl or httpx"),
        ("SSLKEYLOGFILE", "read by curl or httpx"),
        ("SSL_CERT_FILE", "read by curl and httpx"),
        ("CURL_HOME", "read by curl"),
        ("PYTHONPATH", "read by Python"),
        ("HOME", "special to the shell"),
        ("USER", "nearly always set"),
        ("LC_ALL", "locale"),
        ("XDG_CONFIG_HOME", "desktop environment"),
    ],
)
def test_bad_names_say_why(name: str, says: str) -> None:
    problem = name_problem(name)
    assert problem is not None and says in problem, problem


def test_reserved_names_are_names_and_the_lists_do_not_overlap() -> None:
    lists = (SCRIPT_NAMES, SHELL_NAMES, TOOL_NAMES, ENVIRONMENT_NAMES)
    for names in lists:
        assert all(NAME_RE.fullmatch(n) for n in names)
    assert sum(len(n) for n in lists) == len(set().union(*lists))


def test_every_allowed_name_is_a_shell_word_and_a_python_string_key() -> None:
    # Python keywords are fine: copied code reads os.environ["class"], never a bare name.
    for name in keyword.kwlist:
        if NAME_RE.fullmatch(name):
            assert name_problem(name) is None
    assert name_problem("a1_B2") is None


def test_a_long_bad_name_is_shortened_in_the_message() -> None:
    problem = name_problem("x" * 500)
    assert problem is not None and len(problem) < 120
