"""HistoryStore writes: add, the answers recorded, recovery of interrupted sends."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.core.history.helpers import T0, raw, req
from vessl_gui.core.errors import (
    AuthError,
    ConnectFailedError,
    OutcomeUnknownError,
    ReadTimeoutError,
    StorageError,
)
from vessl_gui.core.history import (
    INTERRUPTED_MESSAGE,
    HistoryStore,
    MissingRowError,
)
from vessl_gui.core.models import OutputStatus, Submission


def test_add_is_committed_before_it_returns(store: HistoryStore, db_path: Path) -> None:
    row = store.add(req('{"a": 1}'), profile="prod", now=T0)
    assert row.state == "sending" and row.created_at == T0 == row.updated_at
    with raw(db_path) as conn:
        seen = conn.execute("SELECT state, data, profile FROM history WHERE row_id = ?",
                            (row.row_id,)).fetchone()  # fmt: skip
    assert seen == ("sending", '{"a": 1}', "prod")
    store.mark_sent(row.row_id, Submission("abc123", 201, 0.2), now=T0 + 1)
    with raw(db_path) as conn:
        seen = conn.execute("SELECT state, request_id FROM history").fetchone()
    assert seen == ("pending", "abc123")
    assert store.get(row.row_id) == row.__class__(**{**row.__dict__, **_sent_fields()})


def _sent_fields() -> dict[str, object]:
    return {"state": "pending", "request_id": "abc123", "http_status": 201,
            "sent_at": T0 + 1, "updated_at": T0 + 1, "message": "Created"}  # fmt: skip


def test_add_returns_the_stored_row(store: HistoryStore) -> None:
    row = store.add(req("[1, 2]", path="/v1/x", method="PUT"), profile="p", now=T0)
    assert store.get(row.row_id) == row
    assert row.request() == req("[1, 2]", path="/v1/x", method="PUT")


def test_mark_sent(store: HistoryStore) -> None:
    row = store.add(req(), now=T0)
    sent = store.mark_sent(row.row_id, Submission("98nlux8b0eu6", 201, 0.5), now=T0 + 2)
    assert (sent.state, sent.request_id, sent.http_status) == ("pending", "98nlux8b0eu6", 201)
    assert sent.sent_at == T0 + 2 and sent.message == "Created" and sent.error_kind is None
    assert sent.is_pollable


def test_mark_send_failed_http_error(store: HistoryStore) -> None:
    row = store.add(req(), now=T0)
    err = AuthError("The service rejected the token (401).", status_code=401)
    failed = store.mark_send_failed(row.row_id, err, now=T0 + 1)
    assert failed.state == "send_error" and failed.error_kind == "auth"
    assert failed.http_status == 401 and failed.message == err.message
    assert failed.sent_at == T0 + 1  # an answer arrived
    assert not failed.is_pollable


def test_mark_send_failed_transport_error(store: HistoryStore) -> None:
    row = store.add(req(), now=T0)
    failed = store.mark_send_failed(row.row_id, ConnectFailedError("Connection refused"))
    assert (failed.state, failed.error_kind, failed.http_status) == ("send_error", "connect", None)
    assert failed.sent_at is None


def test_mark_send_failed_outcome_unknown(store: HistoryStore) -> None:
    row = store.add(req(), now=T0)
    failed = store.mark_send_failed(row.row_id, OutcomeUnknownError("No answer after sending"))
    assert failed.state == "unknown" and failed.error_kind == "unknown"


def test_a_2xx_the_app_cannot_use_is_unknown_not_send_error(store: HistoryStore) -> None:
    from vessl_gui.core.errors import ProtocolError

    row = store.add(req(), now=T0)
    failed = store.mark_send_failed(row.row_id, ProtocolError("no id in the 201"), now=T0 + 1)
    assert failed.state == "unknown"  # the service said yes: a request may exist
    assert failed.error_kind == "protocol"


def test_record_output_lifecycle(store: HistoryStore) -> None:
    rid = store.add(req(), now=T0).row_id
    store.mark_sent(rid, Submission("abc", 201, 0.1), now=T0 + 1)
    e = store.record_output(rid, OutputStatus("pending"), now=T0 + 2)
    assert (e.state, e.pending_at, e.in_progress_at, e.finished_at) == (
        "pending",
        T0 + 2,
        None,
        None,
    )
    assert e.last_polled_at == T0 + 2 and e.message
    e = store.record_output(rid, OutputStatus("pending"), now=T0 + 3)
    assert e.pending_at == T0 + 2 and e.last_polled_at == T0 + 3  # first sighting kept
    e = store.record_poll_error(rid, ReadTimeoutError("The status check timed out"), now=T0 + 4)
    assert e.state == "pending" and e.error_kind == "read_timeout"
    assert e.message == "Status check failed: The status check timed out"
    assert e.last_polled_at == T0 + 4 and e.updated_at == T0 + 4
    e = store.record_output(rid, OutputStatus("in_progress"), now=T0 + 5)
    assert e.error_kind is None and "failed" not in e.message  # poll error cleared
    assert (e.state, e.in_progress_at) == ("in_progress", T0 + 5)
    out = OutputStatus("completed", 200, '{"text": "Hello!"}', '{"text": "Hello!"}')
    e = store.record_output(rid, out, now=T0 + 6)
    assert (e.state, e.status_code, e.raw_output, e.output_json) == (
        "completed", 200, '{"text": "Hello!"}', '{"text": "Hello!"}')  # fmt: skip
    assert (e.pending_at, e.in_progress_at, e.finished_at) == (T0 + 2, T0 + 5, T0 + 6)
    assert "200" in e.message and not e.is_pollable
    e = store.record_output(rid, out, now=T0 + 7)
    assert e.finished_at == T0 + 6


def test_first_seen_completed_leaves_earlier_times_empty(store: HistoryStore) -> None:
    rid = store.add(req(), now=T0).row_id
    store.mark_sent(rid, Submission("abc", 201, 0.1), now=T0 + 1)
    e = store.record_output(rid, OutputStatus("completed", 200, "ok"), now=T0 + 9)
    assert (e.pending_at, e.in_progress_at, e.finished_at) == (None, None, T0 + 9)
    assert e.output_json is None and e.raw_output == "ok"


def test_failed_output_puts_reason_in_message(store: HistoryStore) -> None:
    rid = store.add(req(), now=T0).row_id
    out = OutputStatus("failed", 500, "boom", None, "service answered 500")
    e = store.record_output(rid, out, now=T0 + 1)
    assert e.state == "failed" and e.fail_reason == "service answered 500"
    assert e.message == "service answered 500" and e.status_code == 500


def test_update_of_deleted_row(store: HistoryStore) -> None:
    rid = store.add(req()).row_id
    assert store.delete([rid]) == 1
    with pytest.raises(MissingRowError) as info:
        store.mark_sent(rid, Submission("abc", 201, 0.1))
    assert isinstance(info.value, StorageError) and info.value.row_id == rid


def test_updates_without_returning_support(
    store: HistoryStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vessl_gui.core.history import writes as history

    monkeypatch.setattr(history, "_RETURNING", False)  # as on sqlite older than 3.35
    row = store.add(req(), now=T0)
    sent = store.mark_sent(row.row_id, Submission("old1", 201, 0.1), now=T0 + 1)
    assert sent == store.get(row.row_id) and sent.request_id == "old1"
    store.delete([row.row_id])
    with pytest.raises(MissingRowError):
        store.mark_sent(row.row_id, Submission("old1", 201, 0.1))


def test_unfinished_and_recover_interrupted(db_path: Path) -> None:
    with HistoryStore(db_path) as s:
        crashed = s.add(req(), now=T0).row_id
        pending = s.add(req(), now=T0 + 1).row_id
        running = s.add(req(), now=T0 + 2).row_id
        done = s.add(req(), now=T0 + 3).row_id
        s.mark_sent(pending, Submission("p1", 201, 0.1))
        s.mark_sent(running, Submission("r1", 201, 0.1))
        s.record_output(running, OutputStatus("in_progress"))
        s.mark_sent(done, Submission("d1", 201, 0.1))
        s.record_output(done, OutputStatus("completed", 200, "{}"))
        assert s.recover_interrupted() == 0  # this process's own sends are in flight
    with HistoryStore(db_path) as s:  # "after a restart"
        assert [r.row_id for r in s.sending_rows()] == [crashed]
        assert [r.row_id for r in s.unfinished()] == [pending, running]
        assert all(r.is_pollable for r in s.unfinished())
        mine = s.add(req(), now=T0 + 9).row_id
        assert s.recover_interrupted(now=T0 + 10) == 1
        e = s.get(crashed)
        assert e is not None
        assert (e.state, e.message, e.updated_at) == ("unknown", INTERRUPTED_MESSAGE, T0 + 10)
        assert [r.row_id for r in s.sending_rows()] == [mine]
        assert s.recover_interrupted() == 0
