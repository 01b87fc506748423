"""History that scales: filter, chips, sort, delete, clear, export, send again, re-open."""

from __future__ import annotations

import csv
import json
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.ui.conftest import TOKEN, WindowFactory
from vessl_gui.core.errors import StorageError
from vessl_gui.core.history import HistoryStore
from vessl_gui.core.models import AsyncRequest, HistoryEntry, Submission
from vessl_gui.emulator import Emulator
from vessl_gui.ui.history_model import COL_PATH, COL_TIME
from vessl_gui.ui.main_window import MainWindow
from vessl_gui.ui.output.empty import PLACEHOLDER


def seed(path: Path) -> None:
    """Rows of two services and several states, with distinctive data."""
    with HistoryStore(path) as store:
        t = 1_700_000_000.0
        for i in range(30):
            base = "http://127.0.0.1:9/api/v1/services/" + ("alpha" if i % 2 else "beta")
            req = AsyncRequest(base, "POST", f"/p{i:02d}", json.dumps({"n": i, "w": f"word{i}"}))
            e = store.add(req, now=t + i)
            if i % 3 == 0:
                store.mark_sent(e.row_id, Submission(f"id{i:02d}", 201, 0.1), now=t + i)


def paths(w: MainWindow) -> list[str]:
    return [w.model.summary_at(r).path for r in range(w.model.rowCount())]  # type: ignore[union-attr]


@pytest.fixture
def seeded(tmp_path: Path) -> Path:
    seed(tmp_path / "history.sqlite3")
    return tmp_path


def test_filter_box_matches_text_in_data(
    qtbot: QtBot, make_window: WindowFactory, seeded: Path
) -> None:
    w = make_window()
    assert w.model.total() == 30
    qtbot.keyClick(w, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert w.filter_bar.filter_edit.hasFocus()
    qtbot.keyClicks(w.filter_bar.filter_edit, "word17")
    qtbot.waitUntil(lambda: w.model.total() == 1)
    assert paths(w) == ["/p17"]
    w.filter_bar.filter_edit.setText("id03")  # the service's id
    qtbot.waitUntil(lambda: paths(w) == ["/p03"])
    w.filter_bar.filter_edit.clear()
    qtbot.waitUntil(lambda: w.model.total() == 30)


def test_status_chips_and_service_filter(
    qtbot: QtBot, make_window: WindowFactory, seeded: Path
) -> None:
    w = make_window()
    w.filter_bar.chips["Pending"].click()
    assert w.model.total() == 10  # every third row got an id (state pending)
    # The others were left "sending" by another process: recovered as "unknown" (Errors).
    w.filter_bar.chips["Errors"].click()
    assert w.model.total() == 30
    w.filter_bar.chips["Pending"].click()
    assert w.model.total() == 20
    w.filter_bar.chips["Errors"].click()
    combo = w.filter_bar.service_combo
    assert combo.count() == 3
    combo.setCurrentIndex(combo.findText("alpha"))
    assert w.model.total() == 15
    assert all(p in {f"/p{i:02d}" for i in range(1, 30, 2)} for p in paths(w))


def test_sort_by_clicking_headers(qtbot: QtBot, make_window: WindowFactory, seeded: Path) -> None:
    w = make_window()
    assert paths(w)[:2] == ["/p29", "/p28"]  # newest first
    w.history_view.sortByColumn(COL_PATH, Qt.SortOrder.AscendingOrder)
    assert paths(w)[:3] == ["/p00", "/p01", "/p02"]
    w.history_view.sortByColumn(COL_TIME, Qt.SortOrder.AscendingOrder)
    assert paths(w)[0] == "/p00"
    # Sorting survives a filter change.
    w.filter_bar.chips["Pending"].click()
    assert paths(w)[:2] == ["/p00", "/p03"]


def test_delete_selected_with_confirmation(
    qtbot: QtBot, make_window: WindowFactory, seeded: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = make_window()
    asked: list[str] = []
    answer = [False]

    def confirm(title: str, text: str) -> bool:
        asked.append(text)
        return answer[0]

    monkeypatch.setattr(w.history_actions, "confirm", confirm)
    w.select_row(0)
    w.history_view.setFocus()
    qtbot.keyClick(w.history_view, Qt.Key.Key_Delete)
    assert "Delete 1 row(s)" in asked[0]
    assert w.ctx.store.count() == 30  # declined: nothing deleted
    answer[0] = True
    qtbot.keyClick(w.history_view, Qt.Key.Key_Delete)
    assert w.ctx.store.count() == 29
    assert w.model.total() == 29
    assert "/p29" not in paths(w)


def test_clear_all_says_how_many(
    qtbot: QtBot, make_window: WindowFactory, seeded: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = make_window()
    asked: list[str] = []
    monkeypatch.setattr(w.history_actions, "confirm", lambda t, text: asked.append(text) or True)
    w.history_actions.clear_action.trigger()
    assert "all 30 row(s)" in asked[0]
    assert w.ctx.store.count() == 0
    assert w.model.rowCount() == 0
    assert "Cleared 30" in w.statusBar().currentMessage()


def test_export_selected_and_all(
    qtbot: QtBot,
    make_window: WindowFactory,
    seeded: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    w = make_window()
    out_jsonl = tmp_path / "sel.jsonl"
    monkeypatch.setattr(
        w.history_actions, "ask_save_path", lambda title, suggested: (str(out_jsonl), "")
    )
    w.select_row(0)
    w.history_actions.export_selected_action.trigger()
    lines = out_jsonl.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert record["path"] == "/p29" and record["data_value"] == {"n": 29, "w": "word29"}
    out_csv = tmp_path / "all.csv"
    monkeypatch.setattr(
        w.history_actions, "ask_save_path", lambda title, suggested: (str(out_csv), "")
    )
    w.history_actions.export_all_action.trigger()
    with out_csv.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 30
    assert {r["path"] for r in rows} == {f"/p{i:02d}" for i in range(30)}
    assert "Exported 30 row(s)" in w.statusBar().currentMessage()


def test_export_to_unwritable_path_reports(
    make_window: WindowFactory, seeded: Path, tmp_path: Path
) -> None:
    w = make_window()
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    assert w.history_actions.export_to(blocker / "out.jsonl", []) is None
    assert "Export failed" in w.statusBar().currentMessage()


def test_send_again_and_reopen(
    qtbot: QtBot, make_window: WindowFactory, emulator: Emulator
) -> None:
    w = make_window()
    w.composer.base_url_edit.setText(emulator.base_url)
    w.composer.token_edit.setText(TOKEN)
    w.composer.path_edit.setText("/first")
    w.composer.data_editor.setPlainText('{"again": 1}')
    w.send()
    qtbot.waitUntil(lambda: w.model.summary_at(0).request_id is not None)  # type: ignore[union-attr]
    first_id = w.model.summary_at(0).request_id  # type: ignore[union-attr]
    w.composer.path_edit.setText("/changed")
    w.composer.data_editor.setPlainText("null")
    w.select_row(0)
    w.history_actions.send_again_action.trigger()
    qtbot.waitUntil(lambda: w.model.rowCount() == 2 and w.model.summary_at(0).request_id)  # type: ignore[union-attr]
    again = w.model.summary_at(0)
    assert again is not None and again.path == "/first" and again.request_id != first_id
    posts = [r for r in emulator.received() if r.method == "POST"]
    assert json.loads(posts[-1].body)["data"] == {"again": 1}
    # Enter on a row re-opens it in the composer.
    w.history_view.setFocus()
    w.select_row(1)
    qtbot.keyClick(w.history_view, Qt.Key.Key_Return)
    assert w.composer.path_edit.text() == "/first"
    assert w.composer.data_editor.toPlainText() == '{"again": 1}'


def test_context_menu_copies(qtbot: QtBot, make_window: WindowFactory, emulator: Emulator) -> None:
    w = make_window()
    w.composer.base_url_edit.setText(emulator.base_url)
    w.composer.token_edit.setText(TOKEN)
    w.composer.data_editor.setPlainText('{"q": "copy me"}')
    w.send()
    qtbot.waitUntil(lambda: w.model.summary_at(0).state == "completed", timeout=10000)  # type: ignore[union-attr]
    w.select_row(0)
    menu = w.history_actions.build_context_menu()
    labels = [a.text() for a in menu.actions() if a.text()]
    for needed in ("Copy output", "Copy raw output", "Copy request data", "Copy as curl"):
        assert needed in labels
    clip = QApplication.clipboard()
    w.history_actions.copy_field("request data")
    assert clip.text() == '{"q": "copy me"}'
    w.history_actions.copy_field("raw output")
    assert json.loads(clip.text())["echo"] == {"q": "copy me"}
    menu.deleteLater()


def test_100k_rows_open_at_once_and_filter_fast(qtbot: QtBot, tmp_path: Path) -> None:
    from PySide6.QtCore import QSettings

    from tests.fakes import MemoryKeyring
    from vessl_gui.core.credentials import TokenStore
    from vessl_gui.ui.main_window import AppContext

    path = tmp_path / "history.sqlite3"
    with HistoryStore(path) as store:
        base = "http://127.0.0.1:9/api/v1/services/s"
        store.add_many(
            AsyncRequest(base, "POST", f"/m{i % 97}", f'{{"i": {i}}}') for i in range(100_000)
        )
    with HistoryStore(path) as store:
        ctx = AppContext(
            store=store,
            tokens=TokenStore(MemoryKeyring()),
            settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat),
            data_dir=tmp_path,
        )
        started = time.perf_counter()
        w = MainWindow(ctx)
        qtbot.addWidget(w)
        w.show()
        QApplication.processEvents()
        opened = time.perf_counter() - started
        assert w.model.total() == 100_000 and w.model.rowCount() == 200
        started = time.perf_counter()
        w.filter_bar.filter_edit.setText("/m42")
        w.filter_bar._emit()
        took = time.perf_counter() - started
        print(
            f"100k rows: window shown in {opened * 1000:.0f} ms, filter applied in "
            f"{took * 1000:.0f} ms, {w.model.total()} matches"
        )
        assert w.model.total() == len([i for i in range(100_000) if i % 97 == 42])
        assert opened < 2.0 and took < 1.0  # generous; the benchmark suite tracks the figures
        w.close()


def test_a_common_filter_shows_its_first_page_at_once_and_counts_the_rest_aside(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """A text most rows contain: the first page comes from the newest-first walk, the
    total from the counting thread (the label says "+" until then), stale counts of
    earlier keystrokes are dropped."""
    from PySide6.QtCore import QSettings

    from tests.fakes import MemoryKeyring
    from vessl_gui.core.credentials import TokenStore
    from vessl_gui.ui.main_window import AppContext

    path = tmp_path / "history.sqlite3"
    base = "http://127.0.0.1:9/api/v1/services/s"
    with HistoryStore(path) as store:
        store.add_many(
            AsyncRequest(base, "POST", f"/m{i % 20}", f'{{"w": "{"tango" if i % 3 else "x"}"}}')
            for i in range(3000)
        )
        expected = {text: store.count(text) for text in ("tan", "tango", "m19")}
    assert expected["tango"] == 2000 and expected["m19"] == 150
    with HistoryStore(path) as store:
        ctx = AppContext(
            store=store,
            tokens=TokenStore(MemoryKeyring()),
            settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat),
            data_dir=tmp_path,
        )
        w = MainWindow(ctx)
        qtbot.addWidget(w)
        w.show()
        for text in ("tan", "tango"):  # two keystrokes before the event loop runs
            w.filter_bar.filter_edit.setText(text)
            w.filter_bar._emit()
        assert not w.model.total_known()
        assert w.model.rowCount() == 200
        assert w.history_count.text() == "200+ request(s)"
        counted: list[int] = []
        w.model.count_changed.connect(counted.append)
        qtbot.waitUntil(w.model.total_known, timeout=10_000)
        assert counted == [expected["tango"]]  # the count for "tan" was dropped
        assert w.model.total() == expected["tango"]
        assert w.history_count.text() == f"{expected['tango']} request(s)"
        # The rows shown are the store's own first page, and scrolling pages on.
        assert [w.model.summary_at(i) for i in range(200)] == store.page(0, 200, "tango")
        while w.model.canFetchMore():
            w.model.fetchMore()
        assert w.model.rowCount() == expected["tango"]
        # A filter matching fewer than a page: known at once.
        w.filter_bar.filter_edit.setText("m19")
        w.filter_bar._emit()
        assert w.model.total_known() and w.model.total() == expected["m19"]
        w.shutdown()
        w.close()


def test_typing_on_after_a_rare_text_goes_straight_to_the_index(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vessl_gui.ui import history_model
    from vessl_gui.ui.history_model import HistoryModel, HistoryQuery

    path = tmp_path / "history.sqlite3"
    base = "http://127.0.0.1:9/api/v1/services/s"
    with HistoryStore(path) as store:
        store.add_many(
            AsyncRequest(base, "POST", f"/m{i}", f'{{"w": "{"rare-word" if i == 7 else i}"}}')
            for i in range(3000)
        )
        walks: list[str] = []
        real = history_model.quick_page

        def counting(*args: object, **kw: object) -> object:
            walks.append(str(args[2]))
            return real(*args, budget=2, **kw)  # type: ignore[arg-type]

        monkeypatch.setattr(history_model, "quick_page", counting)
        model = HistoryModel(store)
        for text in ("rare", "rare-", "rare-w", "/m1"):
            model.set_query(HistoryQuery(text=text))
            assert [model.summary_at(i) for i in range(model.rowCount())] == store.page(
                0, 200, text
            )
        assert walks == ["rare", "/m1"]  # "rare-" and "rare-w" narrow a rare text
        model.close()


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
    assert check is not None and check.check_thread is not None
    check.check_thread.join(10)
    QApplication.processEvents()
    assert not check.check_thread.is_alive()
    assert not Path(f"{w.ctx.store.path}.damaged").exists()
    assert "damaged" not in w.statusBar().currentMessage()


# -- the selected row is read off the GUI thread ------------------------------------------


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
    w._on_row_updated(newer)  # as the workers report it
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
