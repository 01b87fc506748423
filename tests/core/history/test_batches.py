"""Batches in the history: queued rows in file order, taken one by one, states, counts, restart."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.core.history.helpers import BASE, T0, raw, req
from vessl_gui.core.errors import OutcomeUnknownError, RateLimitedError
from vessl_gui.core.history import QUEUED_MESSAGE, REQUEUED_MESSAGE, HistoryStore, quick_page
from vessl_gui.core.models import (
    ROW_STATES,
    BatchMeta,
    OutputStatus,
    Submission,
)

META = BatchMeta("prompts.jsonl", BASE, "POST", "/v1/x", profile="prod", concurrency=3, rate=2.5)


def _items(n: int) -> list[str]:
    return [f'{{"i": {i}}}' for i in range(n)]


def test_create_batch_writes_every_item_queued_in_file_order(
    store: HistoryStore, db_path: Path
) -> None:
    info = store.create_batch(META, _items(5), now=T0)
    assert (info.source, info.base_url, info.method, info.path, info.profile) == (
        "prompts.jsonl", BASE, "POST", "/v1/x", "prod",
    )  # fmt: skip
    assert (info.total, info.concurrency, info.rate, info.state) == (5, 3, 2.5, "running")
    assert info.created_at == info.updated_at == T0 and info.service == "prod"
    assert store.batch(info.batch_id) == info and store.batches() == [info]
    rows = store.next_queued(info.batch_id, 10)
    assert [r.data for r in rows] == _items(5)
    for r in rows:
        assert (r.state, r.origin, r.batch_id, r.message) == (
            "queued", "batch", info.batch_id, QUEUED_MESSAGE,
        )  # fmt: skip
        assert (r.base_url, r.method, r.path, r.profile) == (BASE, "POST", "/v1/x", "prod")
        assert not r.is_pollable and r.request_id is None
    assert [r.row_id for r in rows] == sorted(r.row_id for r in rows)
    assert [r.data for r in store.next_queued(info.batch_id, 2)] == _items(2)
    assert store.next_queued(info.batch_id, 0) == [] and store.next_queued("nope", 5) == []
    with raw(db_path) as conn:  # one transaction, committed
        assert (
            conn.execute("SELECT count(*) FROM history WHERE state = 'queued'").fetchone()[0] == 5
        )
        assert conn.execute("SELECT count(*) FROM batches").fetchone()[0] == 1


def test_create_batch_refuses_what_cannot_be_sent(store: HistoryStore) -> None:
    with pytest.raises(ValueError, match="at least one item"):
        store.create_batch(META, [])
    with pytest.raises(ValueError, match="concurrency"):
        store.create_batch(BatchMeta("f", BASE, "POST", "/", concurrency=0), ["1"])
    with pytest.raises(ValueError, match="rate"):
        store.create_batch(BatchMeta("f", BASE, "POST", "/", rate=0), ["1"])
    assert store.count() == 0 and store.batches() == []


def test_a_batch_item_goes_queued_sending_then_as_any_send(store: HistoryStore) -> None:
    info = store.create_batch(META, _items(3), now=T0)
    a, b, c = store.next_queued(info.batch_id, 3)
    assert store.start_sending(a.row_id, now=T0 + 1)
    assert not store.start_sending(a.row_id)  # taken already: never sent twice
    assert [r.row_id for r in store.next_queued(info.batch_id, 3)] == [b.row_id, c.row_id]
    sending = store.get(a.row_id)
    assert sending is not None and (sending.state, sending.message) == ("sending", "")
    sent = store.mark_sent(a.row_id, Submission("b1", 201, 0.1), now=T0 + 2)
    assert (sent.state, sent.origin, sent.batch_id) == ("pending", "batch", info.batch_id)
    assert [u.row_id for u in store.unfinished()] == [a.row_id]  # queued rows are not polled
    assert store.start_sending(b.row_id)
    store.mark_send_failed(b.row_id, OutcomeUnknownError("no answer"))
    counts = store.batch_counts(info.batch_id)
    assert list(counts) == list(ROW_STATES)
    assert counts == {**dict.fromkeys(ROW_STATES, 0), "queued": 1, "pending": 1, "unknown": 1}
    assert not store.start_sending(b.row_id)  # unknown is never sent again
    assert store.batch_counts("nope") == dict.fromkeys(ROW_STATES, 0)


def test_requeue_after_a_429(store: HistoryStore) -> None:
    info = store.create_batch(META, _items(2), now=T0)
    first = store.next_queued(info.batch_id, 1)[0]
    assert not store.requeue(first.row_id)  # only a row being sent
    assert store.start_sending(first.row_id)
    assert store.requeue(first.row_id, now=T0 + 5)
    again = store.get(first.row_id)
    assert again is not None
    assert (again.state, again.message, again.error_kind, again.updated_at) == (
        "queued", REQUEUED_MESSAGE, RateLimitedError.kind, T0 + 5,
    )  # fmt: skip
    assert store.next_queued(info.batch_id, 1)[0].row_id == first.row_id  # still first
    assert store.start_sending(first.row_id)
    assert store.get(first.row_id).error_kind is None  # type: ignore[union-attr]


def test_requeue_a_429_the_send_worker_recorded_but_never_another_error(
    store: HistoryStore,
) -> None:
    from vessl_gui.core.errors import ServerError

    info = store.create_batch(META, _items(2), now=T0)
    first, second = store.next_queued(info.batch_id, 2)
    for row in (first, second):
        assert store.start_sending(row.row_id)
    store.mark_send_failed(
        first.row_id, RateLimitedError("Too many requests", status_code=429, retry_after=1.0)
    )
    store.mark_send_failed(second.row_id, ServerError("Server error", status_code=500))
    assert store.requeue(first.row_id)  # refused by the service: safe to send again
    assert not store.requeue(second.row_id)  # a 500 stays a failure
    again = store.get(first.row_id)
    assert again is not None and again.state == "queued" and again.status_code is None
    assert store.get(second.row_id).state == "send_error"  # type: ignore[union-attr]


def test_a_deleted_row_is_not_sent(store: HistoryStore) -> None:
    info = store.create_batch(META, _items(2))
    first = store.next_queued(info.batch_id, 1)[0]
    store.delete([first.row_id])
    assert not store.start_sending(first.row_id)
    assert store.batch_counts(info.batch_id)["queued"] == 1


def test_batch_states_and_unfinished_batches(store: HistoryStore) -> None:
    one = store.create_batch(META, ["1"], now=T0)
    two = store.create_batch(META, ["2"], now=T0 + 1)
    three = store.create_batch(META, ["3"], now=T0 + 2)
    assert [b.batch_id for b in store.batches()] == [three.batch_id, two.batch_id, one.batch_id]
    assert len({one.batch_id, two.batch_id, three.batch_id}) == 3
    assert store.set_batch_state(one.batch_id, "done", now=T0 + 9)
    assert store.set_batch_state(two.batch_id, "stopped")
    assert store.set_batch_state(three.batch_id, "paused")
    assert not store.set_batch_state("nope", "done")
    with pytest.raises(ValueError, match="unknown batch state"):
        store.set_batch_state(one.batch_id, "exploded")
    done = store.batch(one.batch_id)
    assert done is not None and done.is_finished and done.updated_at == T0 + 9
    assert [b.batch_id for b in store.batches(unfinished_only=True)] == [
        three.batch_id, two.batch_id,
    ]  # fmt: skip
    # stopping leaves "the rest" queued
    assert store.batch_counts(two.batch_id)["queued"] == 1


def test_a_restart_mid_batch_loses_nothing_and_resends_nothing(db_path: Path) -> None:
    with HistoryStore(db_path) as s:
        info = s.create_batch(META, _items(4), now=T0)
        a, b, _, _ = s.next_queued(info.batch_id, 4)
        s.start_sending(a.row_id)
        s.mark_sent(a.row_id, Submission("done1", 201, 0.1))
        s.start_sending(b.row_id)  # ... and the app dies while it is in flight
        assert s.recover_interrupted() == 0  # this process's own send, its own batch
        assert s.batch(info.batch_id).state == "running"  # type: ignore[union-attr]
    with HistoryStore(db_path) as s:
        assert s.recover_interrupted(now=T0 + 50) == 1
        counts = s.batch_counts(info.batch_id)
        assert (counts["pending"], counts["unknown"], counts["queued"]) == (1, 1, 2)
        assert s.get(b.row_id).state == "unknown"  # type: ignore[union-attr]
        paused = s.batch(info.batch_id)
        assert paused is not None and (paused.state, paused.updated_at) == ("paused", T0 + 50)
        assert [x.batch_id for x in s.batches(unfinished_only=True)] == [info.batch_id]
        assert [r.row_id for r in s.unfinished()] == [a.row_id]
        assert len(s.next_queued(info.batch_id, 10)) == 2  # the rest, offered to send
        assert s.set_batch_state(info.batch_id, "running")
        assert s.recover_interrupted() == 0
        assert s.batch(info.batch_id).state == "running"  # type: ignore[union-attr]


def test_filter_count_and_page_by_batch(store: HistoryStore) -> None:
    store.add(req('{"i": 1}'), now=T0)  # not in the batch, same data
    info = store.create_batch(META, _items(30), now=T0 + 1)
    other = store.create_batch(META, _items(3), now=T0 + 2)
    b = info.batch_id
    assert store.count(batch_id=b) == 30 and store.count(batch_id=other.batch_id) == 3
    assert store.count() == 34 and store.count(batch_id="nope") == 0
    assert store.count('"i": 1', batch_id=b) == 11  # 1, 10-19
    assert store.count(states={"queued"}, batch_id=b) == 30
    assert store.count(states={"sending"}, batch_id=b) == 0
    assert store.count(services={BASE}, batch_id=b) == 30
    page = store.page(0, 5, batch_id=b)
    assert len(page) == 5 and {s.batch_id for s in page} == {b}
    assert all(s.origin == "batch" for s in page)
    in_order = store.page(0, 100, sort="created_at", descending=False, batch_id=b)
    assert [s.row_id for s in in_order] == sorted(s.row_id for s in in_order)
    assert len(store.page(0, 100, '"i": 1', batch_id=b)) == 11
    quick = quick_page(store, 40, '"i": 2', batch_id=b, budget=10**6)
    assert quick == store.page(0, 40, '"i": 2', batch_id=b)
    assert quick is not None and len(quick) == 11


def test_prune_keeps_queued_rows_and_clear_removes_batches(store: HistoryStore) -> None:
    info = store.create_batch(META, _items(3), now=T0)
    first = store.next_queued(info.batch_id, 1)[0]
    store.start_sending(first.row_id)
    store.mark_sent(first.row_id, Submission("p1", 201, 0.1))
    store.record_output(first.row_id, OutputStatus("completed", 200, "{}", "{}"))
    assert store.prune(max_age_days=1, now=T0 + 10 * 86400) == 1  # only the finished one
    assert store.count(states={"queued"}) == 2
    assert store.clear() == 2
    assert store.batches() == [] and store.count() == 0


def test_origin_and_secret_vars_of_a_send(store: HistoryStore) -> None:
    again = store.add(req(), origin="again", secret_vars=["api_key", "pw", "api_key"], now=T0)
    assert (again.origin, again.secret_vars) == ("again", "api_key,pw")
    assert store.get(again.row_id) == again
    assert store.page(0, 1)[0] == again.summary()
    plain = store.add(req())
    assert (plain.origin, plain.batch_id, plain.secret_vars) == ("composer", None, None)
    assert store.add(req(), secret_vars="a,b").secret_vars == "a,b"
    assert store.add(req(), secret_vars=[]).secret_vars is None
    for bad in (["a,b"], [" a"], [""], "a,,b"):
        with pytest.raises(ValueError, match="secret variable name"):
            store.add(req(), secret_vars=bad)
    with pytest.raises(ValueError, match="unknown origin"):
        store.add(req(), origin="elsewhere")
    info = store.create_batch(META, ["1"], secret_vars=["tok"])
    assert store.next_queued(info.batch_id, 1)[0].secret_vars == "tok"


def test_ten_thousand_items_are_written_quickly(store: HistoryStore) -> None:
    items = [f'{{"prompt": "item number {i}", "n": {i}}}' for i in range(10_000)]
    t = time.perf_counter()
    info = store.create_batch(META, items)
    elapsed = time.perf_counter() - t
    assert elapsed < 2.0, elapsed  # ~100 ms measured; generous for a loaded machine
    assert store.batch_counts(info.batch_id)["queued"] == 10_000
    t = time.perf_counter()
    rows = store.next_queued(info.batch_id, 8)
    assert time.perf_counter() - t < 0.2
    assert [r.data for r in rows] == items[:8]
    assert store.count("item number 9999") == 1  # the index caught up before the search


def test_the_secret_variables_a_batch_keeps_are_listed(store: HistoryStore) -> None:
    with_secrets = store.create_batch(META, ['{"k": "{{key}}"}'], secret_vars=["key", "other"])
    plain = store.create_batch(META, ["1"])
    assert store.batch_secret_vars(with_secrets.batch_id) == {"key", "other"}
    assert store.batch_secret_vars(plain.batch_id) == set()
