"""Following ids created elsewhere: one pending row per id, polled as any other, known ids."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.core.history.helpers import BASE, T0, raw, req
from vessl_gui.core.history import FOLLOWED_MESSAGE, HistoryStore
from vessl_gui.core.models import OutputStatus, Submission


def test_add_followed_writes_a_pending_row_per_id(store: HistoryStore, db_path: Path) -> None:
    rows = store.add_followed(BASE, ["abc123", "zz9", "abc123"], now=T0, profile="prod")
    assert [r.request_id for r in rows] == ["abc123", "zz9"]  # each once, in order
    for r in rows:
        assert store.get(r.row_id) == r  # returned as stored
        assert (r.state, r.origin, r.profile, r.message) == (
            "pending", "followed", "prod", FOLLOWED_MESSAGE,
        )  # fmt: skip
        assert (r.method, r.path, r.data, r.batch_id, r.sent_at) == ("", "", "", None, None)
        assert r.is_pollable
    with raw(db_path) as conn:  # committed
        assert (
            conn.execute("SELECT count(*) FROM history WHERE origin = 'followed'").fetchone()[0]
            == 2
        )


def test_followed_rows_are_polled_after_a_restart(db_path: Path) -> None:
    with HistoryStore(db_path) as s:
        mine = s.add(req(), now=T0).row_id
        s.mark_sent(mine, Submission("mine1", 201, 0.1))
        followed = [r.row_id for r in s.add_followed(BASE, ["other1", "other2"], now=T0 + 1)]
    with HistoryStore(db_path) as s:
        assert s.recover_interrupted() == 0  # followed rows are not "sending"
        unfinished = s.unfinished()
        assert [u.row_id for u in unfinished] == [mine, *followed]
        assert [u.origin for u in unfinished] == ["composer", "followed", "followed"]
        done = s.record_output(followed[0], OutputStatus("completed", 200, '{"a": 1}', '{"a": 1}'))
        assert (done.state, done.origin, done.message) == (
            "completed",
            "followed",
            "Completed (HTTP 200)",
        )
        assert [u.row_id for u in s.unfinished()] == [mine, followed[1]]


def test_add_followed_refuses_a_bad_id_and_writes_nothing(store: HistoryStore) -> None:
    for bad in ("ABC", "", "a" * 17, "with space", "x-y"):
        with pytest.raises(ValueError, match="not a request id"):
            store.add_followed(BASE, ["good1", bad])
    assert store.count() == 0
    assert store.add_followed(BASE, []) == []


def test_add_followed_ids_are_exact_after_deleted_rows(store: HistoryStore) -> None:
    """Row ids keep growing after a delete (AUTOINCREMENT): the returned ids are real."""
    ids = [store.add(req()).row_id for _ in range(3)]
    store.delete(ids[1:])
    rows = store.add_followed(BASE, ["f1", "f2"])
    assert [r.row_id for r in rows] == [ids[-1] + 1, ids[-1] + 2]
    assert [store.get(r.row_id) for r in rows] == rows


def test_known_request_ids(store: HistoryStore) -> None:
    r = store.add(req(), now=T0).row_id
    store.mark_sent(r, Submission("sent1", 201, 0.1))
    store.add_followed(BASE, ["fol1"])
    store.add_followed("https://elsewhere.example/api/v1/services/x", ["far1"])
    asked = ["sent1", "fol1", "far1", "new1", "sent1"]
    assert store.known_request_ids(asked) == {"sent1", "fol1", "far1"}
    assert store.known_request_ids(asked, base_url=BASE) == {"sent1", "fol1"}
    assert store.known_request_ids([]) == set()
    many = [f"n{i}" for i in range(1200)] + ["fol1"]  # more than one chunk of 500
    assert store.known_request_ids(many) == {"fol1"}


def test_known_request_ids_uses_the_id_index(store: HistoryStore, db_path: Path) -> None:
    store.add_followed(BASE, ["a1"])
    with raw(db_path) as conn:
        plan = conn.execute(
            "EXPLAIN QUERY PLAN SELECT DISTINCT request_id FROM history WHERE request_id IN (?, ?)",
            ("a1", "b2"),
        ).fetchall()
    assert "history_request_id" in str(plan)
