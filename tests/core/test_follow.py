"""Ids picked out of a paste (one a line, or any text) and out of --follow."""

from __future__ import annotations

import pytest

from vessl_gui.core.follow import IdProblem, PickedIds, parse_follow_arg, pick_ids, why_not_an_id


def test_one_id_a_line_is_strict_and_says_which_lines_are_not() -> None:
    text = '98nlux8b0eu6\n\n  "abc123",\r\nABC123\nabc123\nmy-model\n' + "a" * 17 + "\nzz\n"
    picked = pick_ids(text)
    assert picked.ids == ("98nlux8b0eu6", "abc123", "zz")
    assert picked.duplicates == ("abc123",) and picked.maybe == ()
    assert [(p.line, p.text) for p in picked.problems] == [
        (4, "ABC123"), (6, "my-model"), (7, "a" * 17),
    ]  # fmt: skip
    assert "capital letters" in picked.problems[0].reason
    assert "lower-case letters and digits only" in picked.problems[1].reason
    assert "longer than an id" in picked.problems[2].reason
    assert picked.problems[0].describe().startswith("line 4: ")
    assert pick_ids("onlyletters") == PickedIds(("onlyletters",))  # a line is an id


def test_any_text_picks_the_ids_and_leaves_keys_and_urls_out() -> None:
    text = (
        "$ curl -X POST https://serve-api.vessl.ai/api/v1/services/demo/async -d '{\"data\": 1}'\n"
        '{"id": "98nlux8b0eu6"}\n'
        "then GET https://serve-api.vessl.ai/api/v1/services/demo/async/x7y8z9/output said\n"
        '{"status": "pending", "status_code": 200}, id=k3j4 again 98nlux8b0eu6'
    )
    picked = pick_ids(text)
    assert picked.ids == ("x7y8z9", "98nlux8b0eu6", "k3j4")  # (the URLs' ids come first)
    assert picked.duplicates == ("98nlux8b0eu6",)
    assert "id" not in picked.ids + picked.maybe  # "id=", "id": keys, not ids
    assert set(picked.maybe) >= {"curl", "then", "said", "pending", "200", "again"}
    assert not {"status", "status_code", "data", "demo", "services"} & set(picked.maybe)
    assert picked.problems == ()


def test_nothing_to_pick() -> None:
    assert pick_ids("") == PickedIds(())
    assert pick_ids("  \n\t\n") == PickedIds(())
    assert pick_ids("Hello, World!").ids == ()


def test_follow_argument() -> None:
    assert parse_follow_arg("abc123,def456, abc123 x1") == ["abc123", "def456", "x1"]
    with pytest.raises(ValueError, match="capital letters"):
        parse_follow_arg("abc123,BAD1")
    with pytest.raises(ValueError, match="at least one"):
        parse_follow_arg(" , ")
    assert why_not_an_id("") == "an id cannot be empty"
    assert why_not_an_id("abc") is None
    assert IdProblem(1, "x", "y").describe() == "line 1: y"
