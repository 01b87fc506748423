"""HistoryStore search: paging, filters, the text indexes and their deferred catch-up."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest

from tests.core.history.helpers import T0, raw, req
from vessl_gui.core.errors import (
    ConnectFailedError,
)
from vessl_gui.core.history import (
    HistoryStore,
)
from vessl_gui.core.models import AsyncRequest, OutputStatus, Submission


def test_page_order_and_paging(store: HistoryStore) -> None:
    a = store.add(req('"a"'), now=T0 + 10).row_id
    b = store.add(req('"b"'), now=T0 + 30).row_id
    c = store.add(req('"c"'), now=T0 + 20).row_id
    d = store.add(req('"d"'), now=T0 + 30).row_id  # same time as b: higher row_id first
    assert [s.row_id for s in store.page(0, 10)] == [d, b, c, a]
    assert [s.row_id for s in store.page(1, 2)] == [b, c]
    assert [s.row_id for s in store.page(3, 5)] == [a]
    assert store.page(4, 5) == []
    summary = store.page(0, 1)[0]
    assert summary == store.get(d).summary()  # type: ignore[union-attr]


def test_states_filter(store: HistoryStore) -> None:
    r1 = store.add(req(), now=T0).row_id
    r2 = store.add(req(), now=T0 + 1).row_id
    r3 = store.add(req('"needle"'), now=T0 + 2).row_id
    store.mark_sent(r2, Submission("x2", 201, 0.1))
    store.mark_sent(r3, Submission("x3", 201, 0.1))
    store.record_output(r3, OutputStatus("completed", 200, "{}", "{}"))
    assert store.count(states=["sending"]) == 1
    assert [s.row_id for s in store.page(0, 10, states={"pending", "completed"})] == [r3, r2]
    assert store.count(states=[]) == 0 and store.page(0, 10, states=()) == []
    assert store.count("needle", states=["completed"]) == 1
    assert store.count("needle", states=["pending"]) == 0
    assert store.count(states=["sending", "pending", "completed"]) == 3 == store.count()
    assert r1


@pytest.fixture(params=[True, False], ids=["fts", "like"])
def full_text(request: pytest.FixtureRequest) -> bool:
    return bool(request.param)


def _searchable(s: HistoryStore) -> dict[str, int]:
    """One row per searchable column, each with a marker found only in that column."""
    rows = {
        "data": s.add(req('{"q": "Zebra-DATA-42"}')).row_id,
        "path": s.add(req(path="/predictions/zebra-path")).row_id,
        "method": s.add(req(method="ZEBRAMETHOD")).row_id,
        "base_url": s.add(AsyncRequest("https://zebra-host.example/svc", "POST", "/", "{}")).row_id,
        "profile": s.add(req(), profile="ZebraProfile").row_id,
        "request_id": s.add(req()).row_id,
        "message": s.add(req()).row_id,
        "state": s.add(req()).row_id,
    }
    s.mark_sent(rows["request_id"], Submission("zebraid42", 201, 0.1))
    s.mark_send_failed(rows["message"], ConnectFailedError("zebra-refused the connection"))
    s.mark_sent(rows["state"], Submission("q1", 201, 0.1))
    s.record_output(rows["state"], OutputStatus("in_progress"))
    return rows


@pytest.mark.parametrize(
    ("column", "query"),
    [
        ("data", "zebra-data-42"),
        ("data", "BRA-DATA"),
        ("path", "zebra-path"),
        ("method", "zebrameth"),
        ("base_url", "ZEBRA-HOST.example"),
        ("profile", "zebraprofile"),
        ("request_id", "zebraid"),
        ("message", "zebra-refused"),
        ("state", "in_progress"),
    ],
)
def test_text_filter_each_column(full_text: bool, column: str, query: str, tmp_path: Path) -> None:
    with HistoryStore(tmp_path / "h.db", full_text=full_text) as s:
        rows = _searchable(s)
        assert s.count(query) == 1
        assert [r.row_id for r in s.page(0, 50, query)] == [rows[column]]
        assert s.count(f"  {query}  ") == 1  # surrounding blanks are ignored


def test_text_filter_short_and_special(full_text: bool, tmp_path: Path) -> None:
    with HistoryStore(tmp_path / "h.db", full_text=full_text) as s:
        a = s.add(req('{"deal": "50%_off \\"now\\""}')).row_id
        b = s.add(req('{"deal": "50 percent"}')).row_id
        assert s.count("") == 2
        assert s.count("50") == 2  # < 3 characters: LIKE
        assert [r.row_id for r in s.page(0, 9, "%_")] == [a]  # LIKE wildcards are literal
        assert [r.row_id for r in s.page(0, 9, "%_o")] == [a]
        assert [r.row_id for r in s.page(0, 9, '\\"now')] == [a]  # quotes, backslash
        assert [r.row_id for r in s.page(0, 9, "PERCENT")] == [b]
        assert s.count("*") == 0 and s.count("x OR y") == 0 and s.count('"') == 2
        assert s.count("NEAR(a b)") == 0 and s.count('deal":') == 2


def test_search_index_follows_updates_and_deletes(store: HistoryStore) -> None:
    rid = store.add(req('{"x": "findme"}')).row_id
    store.mark_sent(rid, Submission("abc", 201, 0.1))
    assert store.count("Created") == 1
    store.record_poll_error(rid, ConnectFailedError("unreachable-host"))
    assert store.count("Created") == 0 and store.count("unreachable-host") == 1
    store.delete([rid])
    assert store.count("findme") == 0 and store.count("unreachable") == 0
    assert store.integrity_check() == "ok"


def _indexed_ids(path: Path) -> list[int]:
    """The rows the small-columns text index holds (read from its docsize table)."""
    with raw(path) as conn:
        return [r[0] for r in conn.execute("SELECT id FROM history_fts_docsize ORDER BY id")]


def test_text_index_is_deferred_and_caught_up_before_a_search(
    store: HistoryStore, db_path: Path
) -> None:
    a = store.add(req('{"q": "alpha-one"}')).row_id
    b = store.add(req('{"q": "beta-two"}')).row_id
    store.mark_sent(a, Submission("ida", 201, 0.1))
    store.mark_send_failed(b, ConnectFailedError("first-failure"))
    assert _indexed_ids(db_path) == []  # the two writes per send did not index
    assert store.count("alpha-one") == 1  # ... a search catches up first
    assert _indexed_ids(db_path) == [a, b]
    assert [r.row_id for r in store.page(0, 9, "first-failure")] == [b]
    assert store.count("Created") == 1
    # Indexed rows follow their updates at once: the old words go.
    store.mark_send_failed(a, ConnectFailedError("second-failure"))
    assert store.count("Created") == 0 and store.count("second-failure") == 1
    store.delete([b])
    assert store.count("first-failure") == 0 and store.count("beta-two") == 0
    assert store.integrity_check() == "ok"


def test_rows_changed_or_deleted_before_indexing(store: HistoryStore, db_path: Path) -> None:
    a = store.add(req('{"q": "gamma-three"}')).row_id
    b = store.add(req('{"q": "delta-four"}')).row_id
    c = store.add(req('{"q": "omega-five"}')).row_id
    store.mark_send_failed(a, ConnectFailedError("early-failure"))
    store.mark_sent(a, Submission("late1", 201, 0.1))  # only the last words are indexed
    store.delete([b])
    assert store.sync_search_index() == 2
    assert _indexed_ids(db_path) == [a, c]
    assert store.sync_search_index() == 0  # nothing left: cheap, and nothing indexed twice
    assert store.count("early-failure") == 0 and store.count("late1") == 1
    assert store.count("gamma-three") == 1 and store.count("delta-four") == 0
    assert store.integrity_check() == "ok"


def test_sync_search_index_in_batches_and_on_close(db_path: Path) -> None:
    with HistoryStore(db_path) as s:
        ids = [s.add(req(f'{{"n": "row-{i}"}}')).row_id for i in range(7)]
        assert s.sync_search_index(batch=3) == 7
        assert _indexed_ids(db_path) == ids
        more = s.add(req('{"n": "late-row"}')).row_id
        assert _indexed_ids(db_path) == ids
    assert _indexed_ids(db_path) == [*ids, more]  # closing indexes what was left


def test_rows_left_unindexed_by_a_crash_are_found_after_reopen(db_path: Path) -> None:
    with HistoryStore(db_path) as s:
        s.add(req('{"n": "indexed-before"}'))
    with raw(db_path) as conn:  # what a killed app leaves: rows written, not indexed yet
        conn.execute(
            "INSERT INTO history (created_at, state, base_url, method, path, data, updated_at)"
            " VALUES (1, 'sending', 'https://h', 'POST', '/', '\"left-unindexed\"', 1)"
        )
        conn.commit()
    with HistoryStore(db_path) as s:
        assert s.count("left-unindexed") == 1 and s.count("indexed-before") == 1
        assert s.integrity_check() == "ok"


def test_sync_search_index_from_another_thread_while_sending(store: HistoryStore) -> None:
    stop = threading.Event()
    synced: list[int] = []
    failures: list[BaseException] = []

    def sync() -> None:
        try:
            while not stop.is_set():
                synced.append(store.sync_search_index(batch=7))
        except BaseException as e:  # pragma: no cover - reported below
            failures.append(e)

    thread = threading.Thread(target=sync)
    thread.start()
    try:
        for i in range(300):
            rid = store.add(req(f'{{"n": "parallel-{i:03d}"}}')).row_id
            store.mark_sent(rid, Submission(f"p{i}", 201, 0.1))
    finally:
        stop.set()
        thread.join()
    assert failures == []
    assert sum(synced) + store.sync_search_index() == 300  # each row indexed once
    assert store.count("parallel-") == 300 and store.count("Created") == 300
    assert store.integrity_check() == "ok"


def test_readers_do_not_wait_for_a_catch_up_in_progress(
    store: HistoryStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Indexing one 5 MB row takes ~0.3 s: it runs on a connection of its own."""
    first = store.add(req('{"n": "already-there"}'))
    store.sync_search_index()
    big = store.add(req('"' + "y" * 100_000 + '"'))
    started, release = threading.Event(), threading.Event()
    real = HistoryStore._catch_up

    def slow(conn: sqlite3.Connection, batch: int | None = None) -> int:
        started.set()
        assert release.wait(10)  # "indexing", inside the catch-up's transaction
        return real(conn, batch)

    monkeypatch.setattr(HistoryStore, "_catch_up", staticmethod(slow))
    syncing = threading.Thread(target=store.sync_search_index)
    syncing.start()
    try:
        assert started.wait(10)
        seen: list[object] = []
        reader = threading.Thread(
            target=lambda: seen.extend(
                [store.get(first.row_id).path, store.get(big.row_id).row_id, store.count()]
            )
        )
        reader.start()
        reader.join(5)
        assert not reader.is_alive(), "a read waited for the catch-up"
        assert seen == ["/", big.row_id, 2]
    finally:
        release.set()
        syncing.join(10)
    monkeypatch.undo()
    assert store.count("yyyy") == 1  # indexed by that catch-up
    assert store.sync_search_index() == 0


def test_hundred_thousand_rows_page_and_search_quickly(store: HistoryStore) -> None:
    n = 100_000
    rows = (
        AsyncRequest(f"https://serve-api.vessl.ai/api/v1/services/svc{i % 50}", "POST",
                     f"/predictions/model-{i % 7}", f'{{"prompt": "question number {i}"}}')
        for i in range(n)
    )  # fmt: skip
    start = time.perf_counter()
    assert store.add_many(rows, now=T0) == n
    insert = time.perf_counter() - start
    timings: dict[str, float] = {}

    def timed(label: str, fn: object) -> object:
        start = time.perf_counter()
        result = fn()  # type: ignore[operator]
        timings[label] = time.perf_counter() - start
        return result

    assert timed("count()", store.count) == n
    assert len(timed("page(0, 200)", lambda: store.page(0, 200))) == 200  # type: ignore[arg-type]
    assert timed('count("number 4242")', lambda: store.count("number 4242")) == 11
    assert timed('count("svc7")', lambda: store.count("svc7")) == 2000
    hits = timed('page(0, 200, "svc7")', lambda: store.page(0, 200, "svc7"))
    assert len(hits) == 200  # type: ignore[arg-type]
    assert timed('count("post") (every row)', lambda: store.count("post")) == n
    assert len(timed('page(0, 200, "post")', lambda: store.page(0, 200, "post"))) == 200  # type: ignore[arg-type]
    assert timed('count("42") (LIKE)', lambda: store.count("42")) > 0
    assert len(timed("page(99 800, 200)", lambda: store.page(99_800, 200))) == 200  # type: ignore[arg-type]
    timed('page(0, 200, states=["pending"])', lambda: store.page(0, 200, states=["pending"]))
    print(f"\n100k rows: add_many {insert:.2f} s")
    for label, seconds in timings.items():
        print(f"  {label:34} {seconds * 1000:7.1f} ms")
    for label, seconds in timings.items():
        assert seconds < 1.0, f"{label} took {seconds:.2f} s"
