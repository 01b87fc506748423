"""HistoryStore: schema, writes, reads, search, recovery and damaged files."""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from vessl_gui.core.errors import (
    AuthError,
    ConnectFailedError,
    OutcomeUnknownError,
    ReadTimeoutError,
    StorageError,
)
from vessl_gui.core.history import (
    INTERRUPTED_MESSAGE,
    CorruptHistoryError,
    HistoryStore,
    MissingRowError,
    check_file,
    mark_damaged,
    quarantine,
)
from vessl_gui.core.models import AsyncRequest, HistoryEntry, OutputStatus, Submission

BASE = "https://serve-api.vessl.ai/api/v1/services/demo"
T0 = 1_700_000_000.0


def req(data: str = '{"prompt": "hi"}', *, path: str = "/", method: str = "POST") -> AsyncRequest:
    return AsyncRequest(BASE, method, path, data)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "history.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[HistoryStore]:
    with HistoryStore(db_path) as s:
        yield s


def raw(path: Path) -> closing[sqlite3.Connection]:
    """A second, independent connection to the file."""
    return closing(sqlite3.connect(path))


# ------------------------------------------------------------------ schema
def test_fresh_file_is_wal_and_migrated(store: HistoryStore, db_path: Path) -> None:
    assert db_path.exists()  # the parent folder was created
    with raw(db_path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 3
        indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert {"history_created_at", "history_state", "history_request_id"} <= indexes


def test_schema_has_every_entry_field_and_no_token(store: HistoryStore, db_path: Path) -> None:
    with raw(db_path) as conn:
        columns = [r[1] for r in conn.execute("PRAGMA table_info(history)")]
    assert columns == [f for f in HistoryEntry.__dataclass_fields__]
    for col in columns:
        assert not any(w in col.lower() for w in ("token", "auth", "bearer", "secret"))


def test_user_version_0_file_is_migrated_and_rows_survive_reopen(db_path: Path) -> None:
    db_path.parent.mkdir()
    with raw(db_path) as conn:  # an empty database made by hand: user_version 0
        conn.execute("CREATE TABLE unrelated (x)")
        conn.commit()
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 0
    with HistoryStore(db_path) as s:
        row = s.add(req(), now=T0)
    with raw(db_path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 3
    with HistoryStore(db_path) as s:
        assert s.get(row.row_id) == row
        assert s.count() == 1


def test_newer_schema_is_refused_untouched(db_path: Path) -> None:
    db_path.parent.mkdir()
    with raw(db_path) as conn:
        conn.execute("PRAGMA user_version = 99")
    before = db_path.read_bytes()
    with pytest.raises(StorageError, match="newer version"):
        HistoryStore(db_path)
    with pytest.raises(StorageError, match="newer version"):
        HistoryStore.open_or_quarantine(db_path)  # not "damaged": never moved aside
    assert db_path.read_bytes() == before


def test_memory_store() -> None:
    with HistoryStore(":memory:") as s:
        row = s.add(req(), now=T0)
        assert s.get(row.row_id) == row
        assert s.count("prompt") == 1


def test_closed_store_raises_storage_error(db_path: Path) -> None:
    s = HistoryStore(db_path)
    s.close()
    s.close()  # idempotent
    with pytest.raises(StorageError, match="closed"):
        s.count()


# ------------------------------------------------------------------ writes
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


# ------------------------------------------------------------------ reads
def test_get_many_find_delete_clear(store: HistoryStore) -> None:
    ids = [store.add(req(f'"{i}"'), now=T0 + i).row_id for i in range(5)]
    assert store.get(999) is None
    assert [e.row_id for e in store.get_many([ids[3], 999, ids[0]])] == [ids[3], ids[0]]
    store.mark_sent(ids[1], Submission("dup", 201, 0.1))
    store.mark_sent(ids[2], Submission("dup", 201, 0.1))
    assert [e.row_id for e in store.find_by_request_id("dup")] == [ids[2], ids[1]]
    assert store.find_by_request_id("nope") == []
    assert store.delete([ids[0], ids[1], 12345]) == 2
    assert store.count() == 3
    assert store.clear() == 3
    assert store.count() == 0 and store.page(0, 10) == []
    assert store.integrity_check() == "ok"
    assert store.add(req()).row_id > ids[-1]  # ids are never reused


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


def test_search_index_rebuilt_when_triggers_were_missing(db_path: Path) -> None:
    with HistoryStore(db_path) as s:
        rid = s.add(req(), now=T0).row_id
        s.mark_send_failed(rid, ConnectFailedError("old-words here"))
    with raw(db_path) as conn:  # e.g. written by a sqlite without FTS5
        for name in ("history_fts_ad", "history_fts_au"):
            conn.execute(f"DROP TRIGGER {name}")
        conn.execute("UPDATE history SET message = 'new-words here'")  # the index is stale now
        conn.execute(
            "INSERT INTO history (created_at, state, base_url, method, path, data, updated_at)"
            " VALUES (1, 'sending', 'https://h', 'POST', '/', '\"unindexed\"', 1)"
        )
        conn.commit()
    with HistoryStore(db_path) as s:
        assert s.count("unindexed") == 1
        assert s.count("old-words") == 0 and s.count("new-words") == 1
        assert s.integrity_check() == "ok"


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


# A version 2 file as the previous release wrote it: FTS triggers index every write.
_V2_TRIGGERS = (
    "CREATE TRIGGER history_fts_ai AFTER INSERT ON history BEGIN"
    " INSERT INTO history_fts (rowid, {small}) VALUES (new.row_id, {new_small});"
    " INSERT INTO history_data_fts (rowid, data) VALUES (new.row_id, new.data); END",
    "CREATE TRIGGER history_fts_ad AFTER DELETE ON history BEGIN"
    " INSERT INTO history_fts (history_fts, rowid, {small})"
    " VALUES ('delete', old.row_id, {old_small});"
    " INSERT INTO history_data_fts (history_data_fts, rowid, data)"
    " VALUES ('delete', old.row_id, old.data); END",
    "CREATE TRIGGER history_fts_au AFTER UPDATE OF {small} ON history BEGIN"
    " INSERT INTO history_fts (history_fts, rowid, {small})"
    " VALUES ('delete', old.row_id, {old_small});"
    " INSERT INTO history_fts (rowid, {small}) VALUES (new.row_id, {new_small}); END",
)
_V2_SMALL = ("request_id", "path", "method", "state", "base_url", "profile", "message")


def _write_v2_file(path: Path, *, triggers: bool) -> None:
    from vessl_gui.core.history import _MIGRATIONS

    path.parent.mkdir(parents=True, exist_ok=True)
    small = ", ".join(_V2_SMALL)
    opts = "content='history', content_rowid='row_id', tokenize='trigram'"
    with raw(path) as conn:
        conn.isolation_level = None
        conn.execute("PRAGMA journal_mode = WAL")
        for step in _MIGRATIONS[:2]:
            for statement in step:
                conn.execute(statement)
        conn.execute(f"CREATE VIRTUAL TABLE history_fts USING fts5({small}, {opts})")
        conn.execute(f"CREATE VIRTUAL TABLE history_data_fts USING fts5(data, {opts})")
        for statement in _V2_TRIGGERS:
            conn.execute(
                statement.format(
                    small=small,
                    new_small=", ".join(f"new.{c}" for c in _V2_SMALL),
                    old_small=", ".join(f"old.{c}" for c in _V2_SMALL),
                )
            )
        conn.execute("PRAGMA user_version = 2")
        for i in range(3):
            conn.execute(
                "INSERT INTO history (created_at, state, base_url, method, path, data, updated_at)"
                f" VALUES ({T0 + i}, 'sending', '{BASE}', 'POST', '/', '\"v2-row-{i}\"', 1)"
            )
        conn.execute(
            "UPDATE history SET state = 'pending', message = 'v2-created' WHERE row_id = 2"
        )
        if not triggers:  # as a sqlite without FTS5 leaves it: the index is stale
            for name in ("history_fts_ai", "history_fts_ad", "history_fts_au"):
                conn.execute(f"DROP TRIGGER {name}")
            conn.execute("UPDATE history SET message = 'v2-unindexed' WHERE row_id = 3")


def test_version_2_file_upgrades_and_keeps_its_text_index(db_path: Path) -> None:
    _write_v2_file(db_path, triggers=True)
    with raw(db_path) as conn:
        index_before = conn.execute("SELECT * FROM history_fts_data ORDER BY id").fetchall()
    with HistoryStore(db_path) as s:
        with raw(db_path) as conn:
            assert conn.execute("PRAGMA user_version").fetchone()[0] == 3
            triggers = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='trigger'")
            }
            assert triggers == {"history_fts_ad", "history_fts_au"}  # no insert trigger now
            assert conn.execute("SELECT indexed_upto FROM history_fts_mark").fetchone()[0] == 3
            plan = conn.execute(
                "EXPLAIN QUERY PLAN SELECT * FROM history WHERE request_id = ?", ("x",)
            ).fetchall()
            assert "history_request_id" in str(plan)  # the id index, now without NULLs
            index_after = conn.execute("SELECT * FROM history_fts_data ORDER BY id").fetchall()
        assert index_after == index_before  # trusted as it was: not rebuilt
        assert s.count("v2-row-") == 3 and s.count("v2-created") == 1
        new = s.add(req('{"n": "v3-row"}')).row_id
        s.mark_send_failed(2, ConnectFailedError("v3-failure"))  # an old row, indexed by v2
        assert s.count("v2-created") == 0 and s.count("v3-failure") == 1
        assert [r.row_id for r in s.page(0, 9, "v3-row")] == [new]
        s.mark_sent(new, Submission("v3id", 201, 0.1))
        assert [e.row_id for e in s.find_by_request_id("v3id")] == [new]
        s.delete([1])
        assert s.count("v2-row-") == 2
        assert s.integrity_check() == "ok"


def test_version_2_file_without_its_triggers_is_reindexed(db_path: Path) -> None:
    _write_v2_file(db_path, triggers=False)
    with HistoryStore(db_path) as s:
        assert s.count("v2-unindexed") == 1 and s.count("v2-row-") == 3
        assert s.integrity_check() == "ok"


# ------------------------------------------------------------------ recovery
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


# ------------------------------------------------------------------ threads
def test_shared_between_threads(store: HistoryStore) -> None:
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(50):
                rid = store.add(req(f'"t{n}-{i}"')).row_id
                store.mark_sent(rid, Submission(f"t{n}x{i}", 201, 0.1))
                store.page(0, 20)
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert store.count(states=["pending"]) == 300


# ------------------------------------------------------------------ 100 000 rows
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


# ------------------------------------------------------------------ bad files
def test_garbage_file_is_quarantined(db_path: Path) -> None:
    db_path.parent.mkdir()
    garbage = b"this is not a database at all\x00\xff" * 200
    db_path.write_bytes(garbage)
    Path(f"{db_path}-wal").write_bytes(b"old wal")
    with pytest.raises(CorruptHistoryError, match="damaged"):
        HistoryStore(db_path)
    assert db_path.read_bytes() == garbage  # a failed open changes nothing
    store, moved = HistoryStore.open_or_quarantine(db_path)
    with store:
        assert moved is not None and moved.name.startswith("history.db.corrupt-")
        assert moved.read_bytes() == garbage  # kept, never deleted
        assert Path(f"{moved}-wal").read_bytes() == b"old wal"
        assert store.count() == 0
        store.add(req())
    with raw(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM history").fetchone()[0] == 1


def test_damaged_pages_are_quarantined(db_path: Path) -> None:
    with HistoryStore(db_path) as s:
        s.add_many(req(f'"row {i} {"x" * 500}"') for i in range(300))
    with raw(db_path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(db_path.read_bytes())
    page = 4096
    for offset in range(page * 3, len(data) - page, page * 2):  # smash every other page
        data[offset : offset + 200] = b"\xee" * 200
    db_path.write_bytes(bytes(data))
    store, moved = HistoryStore.open_or_quarantine(db_path)
    with store:
        assert moved is not None and moved.exists()
        assert store.count() == 0
        assert store.integrity_check() == "ok"


def _smash_search_index(db_path: Path) -> None:
    """Overwrite the text index's pages: the history table and its indexes stay sound."""
    with raw(db_path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        roots = [
            r[0]
            for r in conn.execute(
                "SELECT rootpage FROM sqlite_master WHERE name IN"
                " ('history_data_fts_data', 'history_fts_data')"
            )
        ]
    assert len(roots) == 2
    data = bytearray(db_path.read_bytes())
    page = 4096
    for root in roots:
        start = (root - 1) * page
        data[start + 8 : start + 2000] = b"\xee" * 1992
    db_path.write_bytes(bytes(data))


def test_a_damaged_search_index_is_found_later_and_moved_aside_at_the_next_start(
    db_path: Path,
) -> None:
    with HistoryStore(db_path) as s:
        s.add_many(req(f'"row {i} {"x" * 300}"') for i in range(200))
    _smash_search_index(db_path)
    store, moved = HistoryStore.open_or_quarantine(db_path)  # start: the table is checked
    with store:
        assert moved is None and store.count() == 200
        problems = check_file(db_path)  # later, off the GUI thread: the whole file
        assert problems and all(isinstance(p, str) and p for p in problems)
        marker = mark_damaged(db_path, problems)
        assert marker.read_text().splitlines() == problems
        assert store.count() == 200  # nothing moved while in use
    damaged = db_path.read_bytes()
    store, moved = HistoryStore.open_or_quarantine(db_path)  # the next start
    with store:
        assert moved is not None and moved.read_bytes() == damaged  # kept, byte for byte
        assert store.count() == 0 and check_file(db_path) == []
    assert not marker.exists()


def test_open_for_use_moves_aside_a_file_whose_damage_shows_while_recovering(
    db_path: Path,
) -> None:
    with HistoryStore(db_path) as s:
        s.add_many(req(f'"row {i}"') for i in range(120))  # left "sending", then indexed
    _smash_search_index(db_path)
    damaged = db_path.read_bytes()
    store, moved, recovered = HistoryStore.open_for_use(db_path)
    with store:  # recovering them touched the damaged search index
        assert moved is not None and moved.read_bytes() == damaged
        assert (store.count(), recovered) == (0, 0)
    with HistoryStore(db_path) as s:
        s.add_many(req() for _ in range(3))
    store, moved, recovered = HistoryStore.open_for_use(db_path)  # a sound file
    with store:
        assert (moved, recovered, store.count()) == (None, 3, 3)


def test_check_file_finds_a_sound_file_sound_and_reads_only(db_path: Path) -> None:
    with HistoryStore(db_path) as s:
        s.add_many(req() for _ in range(50))
        before = db_path.read_bytes()
        assert check_file(db_path) == []  # while the store is open
        s.add(req())  # and the store still writes
    assert db_path.read_bytes() != before or Path(f"{db_path}-wal").exists()
    garbage = db_path.with_name("garbage.db")
    garbage.write_bytes(b"not a database" * 500)
    assert check_file(garbage)  # reported as a problem, not raised
    with pytest.raises(StorageError):
        check_file(db_path.with_name("missing.db"))  # nothing to read


def test_healthy_file_is_not_moved(db_path: Path) -> None:
    with HistoryStore(db_path) as s:
        s.add(req())
    store, moved = HistoryStore.open_or_quarantine(db_path)
    with store:
        assert moved is None and store.count() == 1
    assert [p.name for p in db_path.parent.iterdir() if "corrupt" in p.name] == []


def test_quarantine_names_do_not_collide(tmp_path: Path) -> None:
    first = tmp_path / "h.db"
    first.write_bytes(b"one")
    a = quarantine(first)
    first.write_bytes(b"two")
    b = quarantine(first)
    assert a is not None and b is not None and a != b
    assert (a.read_bytes(), b.read_bytes()) == (b"one", b"two")
    assert quarantine(tmp_path / "missing.db") is None


def test_folder_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a folder")
    with pytest.raises(StorageError, match="Cannot create the folder"):
        HistoryStore(tmp_path / "file" / "history.db")
    with pytest.raises(StorageError):
        HistoryStore.open_or_quarantine(tmp_path / "file" / "history.db")


def test_path_is_a_folder(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="cannot be opened") as info:
        HistoryStore(tmp_path)
    assert not isinstance(info.value, CorruptHistoryError)


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0,
    reason="root ignores file permissions, so a read-only folder cannot be simulated",
)
def test_read_only_folder(tmp_path: Path) -> None:  # pragma: no cover - not run as root
    folder = tmp_path / "ro"
    folder.mkdir()
    with HistoryStore(folder / "history.db") as s:
        s.add(req())
    for f in folder.iterdir():
        f.chmod(0o444)
    folder.chmod(0o555)
    try:
        with (
            pytest.raises(StorageError, match=r"read-only|cannot be opened"),
            HistoryStore(folder / "history.db") as s,
        ):
            s.add(req())
    finally:
        folder.chmod(0o755)


def test_version_1_file_gains_the_service_index(db_path: Path) -> None:
    with HistoryStore(db_path) as s:
        s.add(req(), now=T0)
    with raw(db_path) as conn:  # what version 1 had: no service index, no index mark
        conn.execute("DROP INDEX history_base_url")
        conn.execute("DROP TABLE history_fts_mark")
        conn.execute("PRAGMA user_version = 1")
        conn.commit()
    with HistoryStore(db_path) as s:
        assert s.count() == 1
        assert s.services() == [req().base_url]
    with raw(db_path) as conn:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
        assert "history_base_url" in names
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 3


def test_a_2xx_the_app_cannot_use_is_unknown_not_send_error(store: HistoryStore) -> None:
    from vessl_gui.core.errors import ProtocolError

    row = store.add(req(), now=T0)
    failed = store.mark_send_failed(row.row_id, ProtocolError("no id in the 201"), now=T0 + 1)
    assert failed.state == "unknown"  # the service said yes: a request may exist
    assert failed.error_kind == "protocol"


def test_updates_without_returning_support(
    store: HistoryStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vessl_gui.core import history

    monkeypatch.setattr(history, "_RETURNING", False)  # as on sqlite older than 3.35
    row = store.add(req(), now=T0)
    sent = store.mark_sent(row.row_id, Submission("old1", 201, 0.1), now=T0 + 1)
    assert sent == store.get(row.row_id) and sent.request_id == "old1"
    store.delete([row.row_id])
    with pytest.raises(MissingRowError):
        store.mark_sent(row.row_id, Submission("old1", 201, 0.1))


def test_checkpoint_moves_the_log_into_the_database_file(
    store: HistoryStore, db_path: Path, tmp_path: Path
) -> None:
    rows = [store.add(req(f'{{"n": {i}}}'), now=T0 + i).row_id for i in range(5)]
    copy = tmp_path / "main-file-only.db"
    copy.write_bytes(db_path.read_bytes())  # the database file without its -wal
    with raw(copy) as conn:  # still in the log: not even the table is in the file yet
        assert (
            conn.execute("SELECT name FROM sqlite_master WHERE name = 'history'").fetchall() == []
        )
    store.checkpoint()
    copy.unlink()
    copy.write_bytes(db_path.read_bytes())
    with raw(copy) as conn:
        assert [r[0] for r in conn.execute("SELECT row_id FROM history ORDER BY row_id")] == rows
    store.close()
    with pytest.raises(StorageError, match="closed"):
        store.checkpoint()


def test_get_apart_reads_on_its_own_connection(store: HistoryStore) -> None:
    """The details pane's read neither waits for the store's lock nor holds it."""
    e = store.add(req('{"big": "' + "x" * 1_000_000 + '"}'))
    entry = store.mark_sent(e.row_id, Submission("id-apart", 201, 0.1))
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with store._lock:  # e.g. a long write on the main connection
            held.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert held.wait(5)
        result: list[HistoryEntry | None] = []
        reader = threading.Thread(target=lambda: result.append(store.get_apart(e.row_id)))
        reader.start()
        reader.join(5)
        assert not reader.is_alive() and result == [entry]  # read while the lock is held
        assert store.get_apart(e.row_id + 1) is None
    finally:
        release.set()
        holder.join()
    assert store.get(e.row_id) == entry
    store.close()
    with pytest.raises(StorageError):
        store.get_apart(e.row_id)


def test_get_apart_on_a_memory_store_is_get() -> None:
    with HistoryStore(":memory:") as mem:
        e = mem.add(req())
        assert mem.get_apart(e.row_id) == mem.get(e.row_id) == e
