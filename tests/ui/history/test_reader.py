"""The selected row is read off the GUI thread; newer selections and updates win."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.ui.conftest import WindowFactory
from vessl_gui.core.errors import StorageError
from vessl_gui.core.models import HistoryEntry, Submission
from vessl_gui.ui.output.empty import PLACEHOLDER
from vessl_gui.ui.window import MainWindow


def _slow_reads(
    monkeypatch: pytest.MonkeyPatch, w: MainWindow, delay: float, fail: str = ""
) -> list[tuple[int, str]]:
    """Make the details pane's reads take ``delay`` s (or fail); returns (row, thread)."""
    store = w.ctx.store
    real = store.get_apart
    seen: list[tuple[int, str]] = []

    def slow(row_id: int) -> HistoryEntry | None:
        seen.append((row_id, threading.current_thread().name))
        time.sleep(delay)
        if fail:
            raise StorageError(fail)
        return real(row_id)

    monkeypatch.setattr(store, "get_apart", slow)
    return seen


def test_a_slow_row_is_read_on_a_thread_while_the_window_runs(
    qtbot: QtBot, make_window: WindowFactory, seeded: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = make_window()
    seen = _slow_reads(monkeypatch, w, 0.4)
    ticks: list[float] = []
    timer = QTimer(w)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(10)
    started = time.monotonic()
    w.select_row(3)
    returned = time.monotonic() - started
    target = w.model.summary_at(3)
    assert target is not None
    assert returned < 0.3, returned  # waited WAIT_MS for it, not the whole read
    assert w.output_view.entry() is None
    shown = w.output_view.placeholder
    assert shown.isVisible() and shown.text().startswith("Reading request")
    qtbot.waitUntil(lambda: w.output_view.entry() is not None, timeout=5000)
    entry = w.output_view.entry()
    assert entry is not None and entry.row_id == target.row_id
    assert entry == w.ctx.store.get(target.row_id)
    assert not w.output_view.placeholder.isVisible()
    assert seen == [(target.row_id, seen[0][1])] and seen[0][1].startswith("vessl-read")
    timer.stop()
    assert len([t for t in ticks if t < started + 0.35]) >= 5  # the event loop ran meanwhile


def test_only_the_last_selected_row_is_shown_when_reads_overlap(
    qtbot: QtBot, make_window: WindowFactory, seeded: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = make_window()
    _slow_reads(monkeypatch, w, 0.3)
    w.select_row(1)  # slow: answered later
    assert w.output_view.entry() is None
    monkeypatch.undo()  # the next read is quick again
    w.select_row(2)  # answered at once (after the slow read: one at a time)
    second = w.model.summary_at(2)
    assert second is not None
    qtbot.waitUntil(lambda: w.output_view.entry() is not None, timeout=5000)
    time.sleep(0.4)  # the first read's answer has certainly arrived by now
    QApplication.processEvents()
    entry = w.output_view.entry()
    assert entry is not None and entry.row_id == second.row_id


def test_a_row_that_cannot_be_read_says_so(
    qtbot: QtBot, make_window: WindowFactory, seeded: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = make_window()
    _slow_reads(monkeypatch, w, 0.1, fail="The history database is locked.")
    w.select_row(0)
    qtbot.waitUntil(lambda: "Not shown" in w.output_view.placeholder.text(), timeout=5000)
    assert "locked" in w.output_view.placeholder.text()
    assert "Could not read the selected row" in w.statusBar().currentMessage()
    assert w.output_view.entry() is None
    monkeypatch.undo()
    w.select_row(1)  # the next selection works, and the pane says no more
    assert w.output_view.entry() is not None
    assert w.output_view.placeholder.text() == PLACEHOLDER


def test_a_row_updated_while_it_is_read_shows_the_update(
    qtbot: QtBot, make_window: WindowFactory, seeded: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = make_window()
    _slow_reads(monkeypatch, w, 0.3)
    w.select_row(0)
    s = w.model.summary_at(0)
    assert s is not None and w.output_view.entry() is None
    newer = w.ctx.store.mark_sent(s.row_id, Submission("id-updated", 201, 0.1))
    w.reports.on_row_updated(newer)  # as the workers report it
    assert w.output_view.entry() == newer
    time.sleep(0.4)
    QApplication.processEvents()  # the older read's answer is dropped
    assert w.output_view.entry() == newer


def test_rows_passed_over_while_a_read_runs_are_not_read(
    qtbot: QtBot, make_window: WindowFactory, seeded: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Holding Down over large rows: the rows passed over are never read."""
    w = make_window()
    seen = _slow_reads(monkeypatch, w, 0.3)
    for row in (1, 2, 3, 4):
        w.select_row(row)
    last = w.model.summary_at(4)
    assert last is not None
    qtbot.waitUntil(lambda: w.output_view.entry() is not None, timeout=5000)
    shown = w.output_view.entry()
    assert shown is not None and shown.row_id == last.row_id
    first = w.model.summary_at(1)
    assert first is not None
    assert [r for r, _ in seen] == [first.row_id, last.row_id]  # 2 and 3 skipped
