"""The whole history file is checked on a thread once the window is up."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from tests.ui.conftest import WindowFactory
from vessl_gui.core.history import HistoryStore
from vessl_gui.core.models import AsyncRequest


def _history_with_a_damaged_search_index(db: Path) -> None:
    import sqlite3

    with HistoryStore(db) as s:
        s.add_many(AsyncRequest("http://127.0.0.1:9", "POST", f"/p{i}", "[1]") for i in range(80))
    with HistoryStore(db) as s:  # as after a restart: nothing is left "sending"
        assert s.recover_interrupted() == 80
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        roots = [
            r[0]
            for r in conn.execute(
                "SELECT rootpage FROM sqlite_master WHERE name LIKE 'history%fts_data'"
            )
        ]
    raw = bytearray(db.read_bytes())
    for root in roots:
        start = (root - 1) * 4096
        raw[start + 8 : start + 2000] = b"\xee" * 1992
    db.write_bytes(bytes(raw))


def test_a_history_found_damaged_after_start_is_reported_and_marked(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    db = tmp_path / "history.sqlite3"
    _history_with_a_damaged_search_index(db)
    w = make_window()  # its store opens db; the services start the whole-file check
    assert w.model.total() == 80  # the table itself is sound and shown
    marker = Path(f"{db}.damaged")
    qtbot.waitUntil(marker.exists, timeout=10_000)
    message = w.statusBar().currentMessage()
    assert "damaged" in message and "next start" in message and "kept" in message
    assert marker.read_text().strip()  # what sqlite found, for the log and support
    store, moved = HistoryStore.open_or_quarantine(db)  # what the next start does
    with store:
        assert moved is not None and store.count() == 0


def test_a_sound_history_file_is_checked_and_left_alone(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    w = make_window()
    w.ctx.store.add(AsyncRequest("http://127.0.0.1:9", "POST", "/p", "[1]"))
    check = w.history_check
    assert check is not None and check.runner is not None
    assert check.runner.wait_done(10)
    # The job's end reaches the GUI thread queued: a moment after wait_done returns
    # (the future wakes its waiters before it runs the callback that posts the end).
    runner = check.runner
    qtbot.waitUntil(lambda: runner.pending() == 0, timeout=5_000)  # the answer was given
    assert not Path(f"{w.ctx.store.path}.damaged").exists()
    assert "damaged" not in w.statusBar().currentMessage()
