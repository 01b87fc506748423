"""WorkerThreads: the order of the signals of sends made one after another, connection
reuse through the routing to the least busy worker, and a bounded stop."""

from __future__ import annotations

from typing import Any

from pytestqt.qtbot import QtBot

from tests.ui.conftest import TOKEN
from tests.ui.workers.conftest import on_disk
from vessl_gui.core.history import HistoryStore
from vessl_gui.core.models import AsyncRequest, ClientConfig, HistoryEntry
from vessl_gui.emulator import Emulator
from vessl_gui.ui.workers import WorkerThreads, make_client


def test_sends_one_after_another_report_stored_rows_on_one_connection(
    qtbot: QtBot, store: HistoryStore, threads: WorkerThreads, emulator: Emulator
) -> None:
    request = AsyncRequest(emulator.base_url, "POST", "/echo", '{"n": 1}')
    events: list[tuple[str, Any]] = []

    def row_updated(entry: HistoryEntry) -> None:
        events.append(("row_updated", entry.row_id))

    def created(row_id: int, base_url: str, request_id: str) -> None:
        # The id is committed before the window hears of it (a crash loses nothing).
        assert on_disk(store, row_id) == ("pending", request_id)
        assert base_url == emulator.base_url
        events.append(("created", row_id))
        if len(ids) < 5:
            send()

    ids: list[int] = []

    def send() -> None:
        row_id = store.add(request).row_id
        assert on_disk(store, row_id) == ("sending", None)  # committed before it goes out
        ids.append(row_id)
        threads.send(row_id, request, TOKEN, ClientConfig())

    threads.row_updated.connect(row_updated)
    threads.created.connect(created)
    before = emulator.stats().connections
    send()
    qtbot.waitUntil(lambda: len(events) == 10)
    assert events == [e for i in ids for e in (("row_updated", i), ("created", i))]
    assert threads.in_flight() == 0
    assert emulator.stats().connections - before == 1  # each send reused the connection
    assert emulator.stats().created == 5


def test_stop_ends_workers_that_still_have_sends_queued(
    store: HistoryStore, emulator: Emulator
) -> None:
    threads = WorkerThreads(store, make_client, send_workers=1)
    threads.start()
    request = AsyncRequest(emulator.base_url, "POST", "/echo", '{"n": 1}')
    ids = [store.add(request).row_id for _ in range(20)]
    for row_id in ids:
        threads.send(row_id, request, TOKEN, ClientConfig())
    assert threads.stop()  # connections cut: the rest of the queue fails fast
    assert not threads.abandoned and all(t.isFinished() for t in threads.threads)
    # Every queued send ran (stored its outcome) before the worker ended.
    states = {on_disk(store, row_id)[0] for row_id in ids}
    assert "sending" not in states and states <= {"pending", "send_error", "unknown"}
