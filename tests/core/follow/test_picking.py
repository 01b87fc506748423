"""Picking request ids out of any pasted text, for the *Follow ids* preview."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vessl_gui.core.follow import Candidate, Picked, is_request_id, pick_ids, picking
from vessl_gui.core.text import offset_of

ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
# generated-looking ids: 8-16 characters with a digit and a letter
gen_ids = st.builds(
    lambda d, a, rest: rest[:3] + d + rest[3:] + a,
    st.text("0123456789", min_size=1, max_size=3),
    st.text("abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=3),
    st.text(ALPHABET, min_size=6, max_size=10),
)


def cand(picked: Picked, rid: str) -> Candidate:
    return next(c for c in picked.candidates if c.id == rid)


def test_a_curl_answer() -> None:
    p = pick_ids('{"id": "98nlux8b0eu6"}')
    assert p.ids == ("id", "98nlux8b0eu6")
    assert p.selected == ("98nlux8b0eu6",)
    assert cand(p, "98nlux8b0eu6").why == "after an id key"
    assert cand(p, "id") == Candidate("id", False, "looks like a word", 1, False, 1, 3)
    assert not p.as_list
    assert p.summary() == "1 new id; 1 word that may not be an id (unticked)."


def test_a_log_line() -> None:
    line = (
        "2024-05-01T12:00:00 INFO created request 98nlux8b0eu6 (status=pending)"
        " trace 123e4567-e89b-12d3-a456-426614174000 status_code=200"
    )
    p = pick_ids(line)
    assert p.selected == ("98nlux8b0eu6",)
    assert cand(p, "98nlux8b0eu6").why == "looks generated"
    # no piece of the date, the UUID or status_code is a candidate; INFO is upper case
    assert set(p.ids) == {
        "00",
        "created",
        "request",
        "98nlux8b0eu6",
        "status",
        "pending",
        "trace",
        "200",
    }
    assert set(p.unlikely) == set(p.ids) - {"98nlux8b0eu6"}


def test_a_url_and_a_curl_command() -> None:
    text = (
        "curl -H 'Authorization: Bearer s3cr3tt0k3nvalue' "
        "https://serve-api.dev2.vssl.ai/api/v1/services/my-svc/async/abcdefghijkl/output"
    )
    p = pick_ids(text)
    assert p.selected == ("abcdefghijkl",)  # no digit, but after /async/
    assert cand(p, "abcdefghijkl").why == "after /async/"
    assert "dev2" in p.unlikely and "v1" in p.unlikely
    assert "s3cr3tt0k3nvalue" not in repr(p)


@pytest.mark.parametrize(
    "text",
    [
        "98nlux8b0eu6\n7xk2m1q9a0bc\nstatus\n",
        "98nlux8b0eu6, 7xk2m1q9a0bc, status",
        "98nlux8b0eu6;7xk2m1q9a0bc;status",
        '["98nlux8b0eu6", "7xk2m1q9a0bc", "status"]',
        "  - 98nlux8b0eu6\n  - 7xk2m1q9a0bc\n  - status\n",
        "1. 98nlux8b0eu6\n2. 7xk2m1q9a0bc\n3) status",
        "'98nlux8b0eu6'\r\n`7xk2m1q9a0bc`\r\n\r\n* status",
        "98nlux8b0eu6,\n7xk2m1q9a0bc,\nstatus,",
    ],
)
def test_lists_make_every_item_likely(text: str) -> None:
    p = pick_ids(text)
    assert p.as_list
    assert p.ids == p.selected == ("98nlux8b0eu6", "7xk2m1q9a0bc", "status")
    assert {c.why for c in p.candidates} == {"listed"}


def test_one_word_alone_is_a_list() -> None:
    assert pick_ids("status").selected == ("status",)
    assert pick_ids("  abc  \n").selected == ("abc",)


def test_a_sentence_is_not_a_list() -> None:
    p = pick_ids("please follow 98nlux8b0eu6 and abc")
    assert not p.as_list
    assert p.selected == ("98nlux8b0eu6",)
    assert "abc" in p.unlikely


def test_duplicates_and_known_ids() -> None:
    text = "98nlux8b0eu6\n7xk2m1q9a0bc\n98nlux8b0eu6\n98nlux8b0eu6\nzz11zz11zz11"
    p = pick_ids(text, known=frozenset({"7xk2m1q9a0bc", "other"}))
    assert p.ids == ("98nlux8b0eu6", "7xk2m1q9a0bc", "zz11zz11zz11")
    assert p.duplicates == (("98nlux8b0eu6", 3),)
    assert p.known == ("7xk2m1q9a0bc",)
    assert p.selected == ("98nlux8b0eu6", "zz11zz11zz11")
    assert p.summary() == "2 new ids; 1 already in history; 1 repeated."


def test_rejected_words_in_a_list() -> None:
    text = "98NLUX8B0EU6\nabcdefghijklmnopq\nabc-def\nabc_def\nnaïve\n98nlux8b0eu6\n98NLUX8B0EU6"
    p = pick_ids(text)
    assert p.as_list and p.ids == ("98nlux8b0eu6",)
    got = {(r.word, r.reason, r.suggestion, r.count, r.line) for r in p.rejected}
    assert got == {
        ("98NLUX8B0EU6", "ids are lower case", "98nlux8b0eu6", 2, 1),
        ("abcdefghijklmnopq", "ids are at most 16 characters (this has 17)", None, 1, 2),
        ("abc-def", "ids use only a-z and 0-9 (found '-')", None, 1, 3),
        ("abc_def", "ids use only a-z and 0-9 (found '_')", None, 1, 4),
        ("naïve", "ids use only a-z and 0-9 (found 'ï')", None, 1, 5),
    }
    assert p.rejected[0].word == "98NLUX8B0EU6"  # first-seen order
    assert p.summary() == "1 new id; 5 not valid ids."


def test_rejected_words_in_free_text() -> None:
    text = (
        "ids: 98NLUX8B0EU6 and 0123456789abcdef0123 (too long), HTTP ERROR, Hello World, "
        'base64 iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB, {"request_id": "NOT-AN-ID"}'
    )
    p = pick_ids(text)
    assert [(r.word, r.reason) for r in p.rejected] == [
        ("98NLUX8B0EU6", "ids are lower case"),
        ("0123456789abcdef0123", "ids are at most 16 characters (this has 20)"),
        ("NOT-AN-ID", "ids are lower case; ids use only a-z and 0-9 (found '-')"),
    ]
    assert p.rejected[0].suggestion == "98nlux8b0eu6"
    assert p.selected == ()


@pytest.mark.parametrize(
    "text",
    [
        '{"id":"abcdefghijkl"}',
        "request_id=abcdefghijkl",
        "requestId: abcdefghijkl",
        "REQUEST-ID: 'abcdefghijkl'",
        "id = abcdefghijkl",
        'ids: ["abcdefghijkl", "x"]',
        "GET /api/v1/services/s/async/abcdefghijkl/output",
    ],
)
def test_after_an_id_key_is_likely(text: str) -> None:
    assert "abcdefghijkl" in pick_ids(text).selected


@pytest.mark.parametrize(
    "text",
    ["paid: abcdefghijkl", "valid=abcdefghijkl", "uuid: abcdefghijkl", "the ids are abcdefghijkl"],
)
def test_a_key_that_only_ends_in_id_is_not_an_id_key(text: str) -> None:
    assert "abcdefghijkl" in pick_ids(text).unlikely


@pytest.mark.parametrize(
    "text",
    [
        "Authorization: Bearer abc123def456",
        "authorization: bearer abc123def456",
        "token=abc123def456 id=98nlux8b0eu6",
        '{"token": "abc123def456", "id": "98nlux8b0eu6"}',
        "password: abc123def456",
        "API_KEY=abc123def456",
        "x-api-key: abc123def456",
        "secret=ABC123DEF456XYZ",  # would be a rejected word
        "Authorization: abc123def456",
    ],
)
def test_secrets_are_never_listed(text: str) -> None:
    p = pick_ids(text)
    assert "abc123def456" not in repr(p).lower()
    if "98nlux8b0eu6" in text:
        assert p.selected == ("98nlux8b0eu6",)


def test_positions_are_line_and_column_of_the_first_appearance() -> None:
    text = "first line\n  x 98nlux8b0eu6\n\nthird: 98NLUX8B0EU6 and 98nlux8b0eu6\n"
    p = pick_ids(text)
    c = cand(p, "98nlux8b0eu6")
    assert (c.line, c.column, c.count) == (2, 5, 2)
    r = p.rejected[0]
    assert (r.line, r.column) == (4, 8)
    for c in p.candidates:
        at = offset_of(text, c.line, c.column)
        assert text[at : at + len(c.id)] == c.id


def test_positions_after_a_trimmed_dash() -> None:
    p = pick_ids("x --abcdefgh1 y")
    assert cand(p, "abcdefgh1").column == 5


def test_limit_counts_the_rest() -> None:
    ids = [f"id{n:06d}" for n in range(30)]
    bad = [f"ID{n:06d}" for n in range(30)]
    p = pick_ids(" ".join(ids + bad), limit=10)
    assert p.ids == tuple(ids[:10])
    assert p.more == 20
    assert len(p.rejected) == 10 and p.more_rejected == 20
    assert p.summary() == "10 new ids; 30 not valid ids; 20 more ids not listed."


def test_unicode_and_odd_text() -> None:
    p = pick_ids("Grüße aus Köln: 98nlux8b0eu6 — ünïcödé ⟪x⟫ \x00 İstanbul abc123def")
    assert p.selected == ("98nlux8b0eu6", "abc123def")
    assert pick_ids("") == Picked()
    assert pick_ids("   \n\n ,,, ;") == Picked()
    assert pick_ids("-_-").ids == ()
    # "İ".lower() is two characters: offsets still hold
    p = pick_ids("İİİİ token=abc123def456 then 98nlux8b0eu6")
    c = cand(p, "98nlux8b0eu6")
    assert c.column == 30 and "abc123def456" not in repr(p)


def test_words_are_not_cut_between_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    words = [f"w{n}x{n * 7}" for n in range(2_000)]
    text = " ".join(words) + " 98nlux8b0eu6-ok 98nlux8b0eu6"
    whole = pick_ids(text, limit=10_000)
    monkeypatch.setattr(picking, "WINDOW", 7)
    assert pick_ids(text, limit=10_000) == whole
    assert len(whole.ids) == 2_001


def test_a_big_log() -> None:
    lines = [
        f"2024-05-01 12:00:{n % 60:02d} INFO created id={n:04d}aa{n * 13 % 9999:04d} ok"
        for n in range(10_000)
    ]
    p = pick_ids("\n".join(lines), limit=20_000)
    assert len(p.selected) == 10_000
    assert p.candidates[-1].line == 10_000


def test_a_json_output_pasted_whole() -> None:
    text = json.dumps(
        {
            "status": "completed",
            "status_code": 200,
            "raw_output": "{}",
            "output": {"text": "Hello!"},
        },
        indent=2,
    )
    p = pick_ids(text)
    assert p.selected == ()
    assert "completed" in p.unlikely


# -- properties ----------------------------------------------------------------


@given(st.text(max_size=300))
@settings(max_examples=400, deadline=None)
def test_any_text_gives_valid_unique_candidates(text: str) -> None:
    p = pick_ids(text, known=frozenset({"a", "b"}))
    assert all(is_request_id(c.id) for c in p.candidates)
    assert len(set(p.ids)) == len(p.ids)
    assert all(c.count >= 1 and c.line >= 1 and c.column >= 1 for c in p.candidates)
    assert all(not is_request_id(r.word) and r.reason for r in p.rejected)
    assert set(p.selected) <= set(p.ids) - {"a", "b"}
    for c in p.candidates:
        at = offset_of(text, c.line, c.column)
        assert text[at : at + len(c.id)] == c.id
    assert p.summary().endswith(".")


@given(
    st.lists(st.text(ALPHABET, min_size=1, max_size=16), min_size=1, max_size=40),
    st.sampled_from(["\n", ", ", ",", ";", "\r\n", " ,\n"]),
)
@settings(max_examples=300, deadline=None)
def test_any_list_of_ids_is_picked_whole(items: list[str], sep: str) -> None:
    p = pick_ids(sep.join(items))
    assert p.as_list
    assert p.ids == p.selected == tuple(dict.fromkeys(items))
    assert dict(p.duplicates) == {i: items.count(i) for i in set(items) if items.count(i) > 1}


FILLER = [
    "the",
    "status",
    "{",
    "}",
    ":",
    '"',
    "[",
    "]",
    ",",
    "completed",
    "\n",
    " ",
    "=",
    "http://host/x",
    "42",
    "ok",
    "a-b",
    "log:",
    "—",
    "ü",
]


@given(st.lists(st.one_of(gen_ids, st.sampled_from(FILLER)), max_size=60))
@settings(max_examples=300, deadline=None)
def test_generated_ids_are_found_in_any_surrounding(tokens: list[str]) -> None:
    text = " ".join(tokens)
    wanted = [t for t in tokens if t not in FILLER]
    p = pick_ids(text)
    assert set(wanted) <= set(p.selected)
    assert set(p.selected) <= set(wanted) | {
        "42",
        "the",
        "status",
        "completed",
        "ok",
        "host",
        "x",
        "http",
        "log",
        "a",
        "b",
    }
