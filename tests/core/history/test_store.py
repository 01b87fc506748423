"""HistoryStore reads: get, get_many, find_by_request_id, get_apart; delete and clear."""

from __future__ import annotations

import threading

import pytest

from tests.core.history.helpers import T0, req
from vessl_gui.core.errors import (
    StorageError,
)
from vessl_gui.core.history import (
    HistoryStore,
)
from vessl_gui.core.models import HistoryEntry, Submission


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
