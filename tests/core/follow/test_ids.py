"""The id rule explained, and the strict ``--follow ID[,ID…]`` reading."""

from __future__ import annotations

import argparse
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vessl_gui.core.follow import (
    MAX_ID_LENGTH,
    FollowArgError,
    cut_word,
    id_problem,
    is_request_id,
    lower_case_suggestion,
    parse_follow_arg,
)

ids = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=16)


@pytest.mark.parametrize("word", ["98nlux8b0eu6", "a", "0", "z" * 16, "0123456789abcdef"])
def test_valid_ids(word: str) -> None:
    assert is_request_id(word)
    assert id_problem(word) == ""


@pytest.mark.parametrize(
    "word",
    ["", "abc\n", "abc ", " abc", "A", "a" * 17, "abc-def", "abc_def", "é", "١٢٣", "ａｂｃ", "a.b"],
)
def test_invalid_ids(word: str) -> None:
    assert not is_request_id(word)
    assert id_problem(word)


@pytest.mark.parametrize(
    ("word", "problem"),
    [
        ("", "it is empty"),
        ("98NLUX8B0EU6", "ids are lower case"),
        ("a" * 17, "ids are at most 16 characters (this has 17)"),
        ("abc-def", "ids use only a-z and 0-9 (found '-')"),
        ("Abc-déf", "ids are lower case; ids use only a-z and 0-9 (found '-', 'é')"),
        ("ABCDEFGHIJKLMNOPQ", "ids are lower case; ids are at most 16 characters (this has 17)"),
        ("a!b@c#d$e%f", "ids use only a-z and 0-9 (found '!', '#', '$', '%', '@')"),
        (
            "a!b@c#d$e%f^",
            "ids use only a-z and 0-9 (found '!', '#', '$', '%', '@', …)",  # 5 of 6 shown
        ),
        ("abc\n", "ids use only a-z and 0-9 (found '\\n')"),
    ],
)
def test_id_problem_says_why(word: str, problem: str) -> None:
    assert id_problem(word) == problem


def test_id_problem_is_quick_on_a_huge_word() -> None:
    assert id_problem("x" * 5_000_000 + "Y") == (
        "ids are lower case; ids are at most 16 characters (this has 5,000,001)"
    )


def test_lower_case_suggestion() -> None:
    assert lower_case_suggestion("98NLUX8B0EU6") == "98nlux8b0eu6"
    assert lower_case_suggestion("98nlux8b0eu6") is None  # nothing to change
    assert lower_case_suggestion("A" * 17) is None  # still not an id
    assert lower_case_suggestion("AB-C") is None


def test_cut_word() -> None:
    assert cut_word("abc") == "abc"
    assert cut_word("x" * 40) == "x" * 40
    assert cut_word("x" * 41) == "x" * 39 + "…"


def test_parse_follow_arg_reads_ids() -> None:
    assert parse_follow_arg("98nlux8b0eu6") == ("98nlux8b0eu6",)
    assert parse_follow_arg("b,a,b, c ,a") == ("b", "a", "c")  # repeats once, spaces ignored
    assert parse_follow_arg(" 98nlux8b0eu6 ") == ("98nlux8b0eu6",)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "--follow needs at least one request id, e.g. --follow 98nlux8b0eu6"),
        ("  ", "--follow needs at least one request id, e.g. --follow 98nlux8b0eu6"),
        ("a,,b", "--follow: item 2 of 3 is empty (separate ids with single commas)"),
        ("a,b,", "--follow: item 3 of 3 is empty (separate ids with single commas)"),
        (",", "--follow: item 1 of 2 is empty (separate ids with single commas)"),
        (
            "a,98NLUX8B0EU6",
            "--follow: '98NLUX8B0EU6' is not a request id: ids are lower case"
            " (did you mean 98nlux8b0eu6?)",
        ),
        ("a b", "--follow: 'a b' is not a request id: ids use only a-z and 0-9 (found ' ')"),
        ("a;b", "--follow: 'a;b' is not a request id: ids use only a-z and 0-9 (found ';')"),
        (
            "x" * 50,
            f"--follow: '{'x' * 39}…' is not a request id: ids are at most 16 characters"
            " (this has 50)",
        ),
    ],
)
def test_parse_follow_arg_names_the_bad_item(value: str, message: str) -> None:
    with pytest.raises(FollowArgError) as caught:
        parse_follow_arg(value)
    assert str(caught.value) == message
    assert isinstance(caught.value, ValueError)


def test_argparse_shows_the_message(capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser(prog="vessl-gui")
    parser.add_argument("--follow", type=parse_follow_arg, metavar="ID[,ID…]")
    assert parser.parse_args(["--follow", "a,b"]).follow == ("a", "b")
    with pytest.raises(SystemExit):
        parser.parse_args(["--follow", "a,B"])
    err = capsys.readouterr().err
    assert "argument --follow: --follow: 'B' is not a request id: ids are lower case" in err
    assert "(did you mean b?)" in err


@given(st.lists(ids, min_size=1, max_size=30), st.sampled_from([",", ", ", " ,"]))
@settings(max_examples=200, deadline=None)
def test_any_list_of_ids_is_read_back(items: list[str], comma: str) -> None:
    assert parse_follow_arg(comma.join(items)) == tuple(dict.fromkeys(items))


@given(st.text(max_size=60))
@settings(max_examples=300, deadline=None)
def test_any_value_gives_ids_or_a_message(value: str) -> None:
    try:
        got = parse_follow_arg(value)
    except FollowArgError as e:
        assert str(e).startswith("--follow")
        bad = [i.strip() for i in value.split(",") if not is_request_id(i.strip())]
        assert bad or not value.strip()
    else:
        assert got and all(is_request_id(i) for i in got)
        assert len(set(got)) == len(got)


@given(st.text(max_size=30))
@settings(max_examples=300, deadline=None)
def test_id_problem_is_empty_exactly_for_ids(word: str) -> None:
    assert (id_problem(word) == "") == is_request_id(word)
    assert is_request_id(word) == (
        0 < len(word) <= MAX_ID_LENGTH
        and all(c in "abcdefghijklmnopqrstuvwxyz0123456789" for c in word)
    )


def test_the_package_is_light() -> None:
    """The command line reads --follow before the first frame: no core.outputs, no uuid."""
    code = (
        "import sys, vessl_gui.core.follow\n"
        "print(sorted(m for m in ('vessl_gui.core.outputs', 'uuid', 'ssl', 'PySide6')"
        " if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
