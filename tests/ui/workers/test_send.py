"""The send workers against the emulator: what is on disk when a send's signal arrives,
refused sends, the id kept when the history cannot be written, the idle index catch-up,
and a send that breaks."""

from __future__ import annotations

from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from tests.ui.conftest import TOKEN
from tests.ui.workers.conftest import indexed_ids, on_disk
from vessl_gui.core import errors
from vessl_gui.core.client import ServeClient
from vessl_gui.core.history import HistoryStore
from vessl_gui.core.models import AsyncRequest, ClientConfig, HistoryEntry
from vessl_gui.emulator import Emulator
from vessl_gui.ui.workers import WorkerThreads, make_client, send


def test_a_refused_send_is_stored_then_reported(
    qtbot: QtBot, store: HistoryStore, threads: WorkerThreads, emulator: Emulator
) -> None:
    request = AsyncRequest(emulator.base_url, "POST", "/echo", '{"n": 1}')
    failures: list[tuple[int, errors.ServeError, tuple[Any, ...]]] = []
    updated: list[HistoryEntry] = []
    threads.row_updated.connect(updated.append)
    threads.send_failed.connect(
        lambda row_id, exc: failures.append((row_id, exc, on_disk(store, row_id)))
    )
    row_id = store.add(request).row_id
    threads.send(row_id, request, "not-the-token", ClientConfig())
    qtbot.waitUntil(lambda: len(failures) == 1)
    ((failed_id, exc, disk),) = failures
    assert failed_id == row_id and isinstance(exc, errors.AuthError)
    assert disk == ("send_error", None)
    assert [e.row_id for e in updated] == [row_id] and updated[0].state == "send_error"
    assert threads.in_flight() == 0


def test_the_id_is_reported_when_the_history_cannot_be_written(
    qtbot: QtBot, store: HistoryStore, threads: WorkerThreads, emulator: Emulator
) -> None:
    request = AsyncRequest(emulator.base_url, "POST", "/echo", '{"n": 1}')
    messages: list[str] = []
    threads.storage_failed.connect(messages.append)
    row_id = store.add(request).row_id
    conn = store._conn
    assert conn is not None
    conn.execute("PRAGMA query_only = 1")  # every write fails from now on
    try:
        threads.send(row_id, request, TOKEN, ClientConfig())
        qtbot.waitUntil(lambda: len(messages) == 1)
    finally:
        conn.execute("PRAGMA query_only = 0")
    assert [r.method for r in emulator.received()] == ["POST"]
    assert emulator.stats().created == 1
    assert "was created: note its id" in messages[0]
    assert threads.in_flight() == 0


def test_sent_rows_are_indexed_for_search_off_the_gui_thread(
    qtbot: QtBot,
    store: HistoryStore,
    threads: WorkerThreads,
    emulator: Emulator,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(send, "INDEX_SYNC_MS", 50)
    request = AsyncRequest(emulator.base_url, "POST", "/echo", '{"word": "needle-in-history"}')
    done: list[int] = []
    threads.created.connect(lambda row_id, *_: done.append(row_id))
    ids = [store.add(request).row_id for _ in range(3)]
    assert indexed_ids(store) == []  # adding a row does not index it
    for row_id in ids:
        threads.send(row_id, request, TOKEN, ClientConfig())
    qtbot.waitUntil(lambda: len(done) == 3)
    # No search ran: a send worker caught the index up by itself.
    qtbot.waitUntil(lambda: indexed_ids(store) == ids)
    assert store.count("needle-in-history") == 3 and store.count("Created") == 3


def test_a_worker_that_is_never_idle_still_catches_the_index_up(
    qtbot: QtBot,
    store: HistoryStore,
    threads: WorkerThreads,
    emulator: Emulator,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(send, "INDEX_SYNC_MS", 600_000)  # never idle long enough
    monkeypatch.setattr(send, "SYNC_EVERY", 2)
    request = AsyncRequest(emulator.base_url, "POST", "/echo", '{"word": "busy-worker"}')
    done: list[int] = []
    threads.created.connect(lambda row_id, *_: done.append(row_id))
    ids: list[int] = []
    for n in range(1, 4):
        ids.append(store.add(request).row_id)
        threads.send(ids[-1], request, TOKEN, ClientConfig())
        qtbot.waitUntil(lambda: len(done) == len(ids))
        if n < 3:
            assert indexed_ids(store) == []
    assert indexed_ids(store) == ids  # the third send caught up first


def test_a_send_that_breaks_unexpectedly_frees_its_worker_for_the_next(
    qtbot: QtBot, store: HistoryStore, emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    made: list[ClientConfig] = []

    def factory(config: ClientConfig) -> ServeClient:
        made.append(config)
        if len(made) == 1:
            raise RuntimeError("no client this time")
        return make_client(config)

    threads = WorkerThreads(store, factory, send_workers=1)
    threads.start()
    try:
        request = AsyncRequest(emulator.base_url, "POST", "/echo", '{"n": 1}')
        created: list[int] = []
        threads.created.connect(lambda row_id, *_: created.append(row_id))
        first, second = store.add(request).row_id, store.add(request).row_id
        threads.send(first, request, TOKEN, ClientConfig())
        threads.send(second, request, TOKEN, ClientConfig())
        qtbot.waitUntil(lambda: created == [second])
        assert threads.in_flight() == 0  # the broken send was counted as ended too
        assert on_disk(store, first) == ("sending", None)  # (recovered as interrupted later)
        assert "a send failed unexpectedly" in caplog.text
    finally:
        assert threads.stop()
