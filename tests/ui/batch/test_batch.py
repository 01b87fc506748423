"""Batch send from a file, through the real window against the emulator on 127.0.0.1."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.ui.conftest import TOKEN, WindowFactory, fill
from vessl_gui.core.models import ORIGIN_BATCH
from vessl_gui.emulator import Emulator
from vessl_gui.ui.batch.dialog import BatchDialog
from vessl_gui.ui.batch.progress import BatchWindow
from vessl_gui.ui.window import MainWindow


def items(n: int) -> list[str]:
    # Hand-written JSON: key order, 1.0 and the spaces must arrive as written.
    return [f'{{"n": {i},  "x": 1.0, "s": "item {i} ✓"}}' for i in range(n)]


def write_jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def open_batch(qtbot: QtBot, w: MainWindow, file: Path) -> BatchDialog:
    w.findChild(type(w.send_action), "sendBatchAction").trigger()
    dialog = w.batches.dialog
    assert isinstance(dialog, BatchDialog) and dialog.isVisible()
    dialog.load(str(file))
    qtbot.waitUntil(
        lambda: dialog.prepared is not None or "Not" in dialog.summary.text(), timeout=5000
    )
    return dialog


def window_of(w: MainWindow) -> BatchWindow:
    assert len(w.batches.windows) == 1
    return next(iter(w.batches.windows.values()))


def posts(emulator: Emulator) -> list[bytes]:
    return [r.body for r in emulator.received() if r.method == "POST"]


def data_of(body: bytes) -> str:
    return body.decode("utf-8").split(', "data": ', 1)[1][:-1]


def test_invalid_lines_are_listed_and_the_rest_sent_once_in_order_with_consent(
    qtbot: QtBot, make_window: WindowFactory, emulator: Emulator, tmp_path: Path
) -> None:
    good = items(20)
    lines = [*good[:4], "{bad", *good[4:10], "", '{"n": NaN}', *good[10:]]
    file = write_jsonl(tmp_path / "prompts.jsonl", lines)
    w = make_window()
    fill(qtbot, w, emulator.base_url, path="/status/200/text")
    dialog = open_batch(qtbot, w, file)
    assert dialog.prepared is not None and len(dialog.prepared.texts) == 20
    listed = [dialog.problems.item(i).text() for i in range(dialog.problems.count())]
    assert [p.split(":")[0] for p in listed] == ["line 5, column 2", "line 13, column 7"]
    assert "20 request(s) from prompts.jsonl" in dialog.summary.text()
    assert not dialog.send_button.isEnabled()  # not without the user's say
    dialog.skip_bad.setChecked(True)
    assert dialog.send_button.isEnabled()
    dialog.concurrency.setValue(3)
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "all 20 sent" in w.statusBar().currentMessage(), timeout=20000)
    sent = [data_of(b) for b in posts(emulator)]
    assert sorted(sent) == sorted(good) and len(sent) == 20  # each once, byte-exact
    batch_id = next(iter(w.batches.windows))
    assert [e.data for e in w.ctx.store.batch_entries(batch_id)] == good  # rows in file order
    bw = window_of(w)
    assert bw.bar.value() == 20 and "sent 20" in bw.counts.text()
    rows = [w.ctx.store.get(w.model.summary_at(r).row_id) for r in range(w.model.total())]  # type: ignore[union-attr]
    assert all(e is not None and e.origin == ORIGIN_BATCH and e.batch_id for e in rows)
    # Export the results, then show only the batch (a composer row is left out).
    out = tmp_path / "results.csv"
    w.batches.ask_save_path = lambda suggested: (str(out), "CSV (*.csv)")  # type: ignore[method-assign]
    qtbot.mouseClick(bw.export_button, Qt.MouseButton.LeftButton)
    with out.open(encoding="utf-8") as f:
        table = list(csv.DictReader(f))
    assert len(table) == 20 and all(r["request_id"] and r["state"] for r in table)
    assert TOKEN not in out.read_text(encoding="utf-8")
    w.send()
    qtbot.waitUntil(lambda: w.model.total() == 21, timeout=5000)
    bw.filter_button.setChecked(True)
    qtbot.waitUntil(lambda: w.model.total() == 20, timeout=5000)
    bw.filter_button.setChecked(False)
    qtbot.waitUntil(lambda: w.model.total() == 21, timeout=5000)


def test_the_items_of_a_batch_are_not_told_one_by_one_when_they_finish(
    qtbot: QtBot, make_window: WindowFactory, emulator: Emulator, tmp_path: Path
) -> None:
    file = write_jsonl(tmp_path / "quiet.jsonl", items(6))
    w = make_window()
    fill(qtbot, w, emulator.base_url, path="/status/200/text")
    told: list[str] = []
    w.statusBar().messageChanged.connect(told.append)
    finished: list[int] = []
    assert w.workers is not None
    w.workers.finished.connect(lambda entry: finished.append(entry.row_id))
    dialog = open_batch(qtbot, w, file)
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "all 6 sent" in w.statusBar().currentMessage(), timeout=20000)
    other = make_window(data_dir=w.ctx.data_dir / "other")  # takes the focus
    assert not w.isActiveWindow() and w.app_settings.notify
    qtbot.waitUntil(lambda: len(finished) == 6, timeout=20000)  # each followed to its end
    qtbot.wait(50)
    assert "all 6 sent" in w.statusBar().currentMessage()  # not replaced, item by item
    assert not [m for m in told if "completed" in m]
    assert w.reports.notifications == [] and other.reports.notifications == []
    # A request from the composer is still told when it finishes.
    w.composer.path_edit.setText("/status/200/text")
    w.send()
    qtbot.waitUntil(lambda: any("completed" in n for n in w.reports.notifications), timeout=10000)


def test_a_batch_whose_next_rows_cannot_be_read_pauses_and_loses_nothing(
    qtbot: QtBot, make_window: WindowFactory, emulator: Emulator, tmp_path: Path
) -> None:
    from vessl_gui.core.errors import StorageError

    file = write_jsonl(tmp_path / "ten.jsonl", items(10))
    w = make_window()
    fill(qtbot, w, emulator.base_url, path="/status/200/text")
    store = w.ctx.store
    real = store.next_queued
    calls: list[int] = []

    def failing_once(batch_id: str, n: int) -> list:  # type: ignore[type-arg]
        calls.append(n)
        if len(calls) == 2:
            raise StorageError("disk I/O error")
        return real(batch_id, n)

    store.next_queued = failing_once  # type: ignore[method-assign]
    dialog = open_batch(qtbot, w, file)
    dialog.concurrency.setValue(2)
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "paused" in w.statusBar().currentMessage(), timeout=10000)
    assert "disk I/O error" in w.statusBar().currentMessage()
    bw = window_of(w)
    qtbot.waitUntil(bw.resume_button.isVisible, timeout=5000)
    batch_id = next(iter(w.batches.windows))
    assert w.ctx.store.batch(batch_id).state == "paused"  # type: ignore[union-attr]
    qtbot.mouseClick(bw.resume_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "all 10 sent" in w.statusBar().currentMessage(), timeout=20000)
    assert sorted(data_of(b) for b in posts(emulator)) == sorted(items(10))  # each once


def test_a_429_slows_the_whole_batch_down_and_no_item_is_lost_or_sent_twice(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    with Emulator(token=TOKEN, queue_delay=0.05, run_time=0.05, create_rate=8) as emu:
        file = write_jsonl(tmp_path / "many.jsonl", items(24))
        w = make_window()
        fill(qtbot, w, emu.base_url, path="/status/200/text")
        dialog = open_batch(qtbot, w, file)
        dialog.concurrency.setValue(8)
        qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "all 24 sent" in w.statusBar().currentMessage(), timeout=40000)
        stats = emu.stats()
        assert stats.created == 24  # each item created once
        assert stats.rate_limited > 0  # it was limited, and the batch did not fail
        batch_id = next(iter(w.batches.windows))
        counts = w.ctx.store.batch_counts(batch_id)
        assert counts["send_error"] == 0 and counts["queued"] == 0
        rows = w.ctx.store.batch_entries(batch_id)
        ids = [e.request_id for e in rows]
        assert len(set(ids)) == 24 and all(rid and emu.status_of(rid) for rid in ids)
        assert [e.data for e in rows] == items(24)  # each row is its item, in file order


def test_pause_resume_stop_then_the_rest_after_a_restart(
    qtbot: QtBot, make_window: WindowFactory, emulator: Emulator, tmp_path: Path
) -> None:
    emulator.set_latency(0.15)
    file = write_jsonl(tmp_path / "slow.jsonl", items(30))
    w = make_window()
    fill(qtbot, w, emulator.base_url, path="/status/200/text")
    dialog = open_batch(qtbot, w, file)
    dialog.concurrency.setValue(2)
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(w.batches.windows) == 1, timeout=5000)
    bw = window_of(w)
    qtbot.waitUntil(lambda: len(posts(emulator)) >= 4, timeout=10000)
    qtbot.mouseClick(bw.pause_button, Qt.MouseButton.LeftButton)
    qtbot.wait(400)  # the two in flight end
    paused_at = len(posts(emulator))
    qtbot.wait(500)
    assert len(posts(emulator)) == paused_at  # nothing starts while paused
    assert bw.resume_button.isVisible()
    qtbot.mouseClick(bw.resume_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(posts(emulator)) >= paused_at + 4, timeout=10000)
    qtbot.mouseClick(bw.stop_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "stopped" in w.statusBar().currentMessage(), timeout=10000)
    before = len(posts(emulator))
    batch_id = next(iter(w.batches.windows))
    queued = w.ctx.store.batch_counts(batch_id)["queued"]
    assert queued == 30 - before > 0  # the rest is kept, queued
    w.shutdown()
    w.close()
    # A stopped batch is not offered at the next start (the stop was on purpose; its
    # rest stays queued in the history).  Send the rest, then close mid-batch.
    again = make_window()
    assert not again.batches.windows  # stopped on purpose: not offered
    again.batches.send_rest(again.ctx.store.batch(batch_id))  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: len(posts(emulator)) >= before + 2, timeout=10000)
    again.shutdown()  # closed mid-batch
    again.close()
    third = make_window()
    bw3 = window_of(third)
    assert bw3.rest_button.isVisible() and "interrupted" in bw3.note.text()
    qtbot.mouseClick(bw3.rest_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "all" in third.statusBar().currentMessage(), timeout=20000)
    counts = third.ctx.store.batch_counts(batch_id)
    assert counts["queued"] == 0
    sent = [data_of(b) for b in posts(emulator)]
    assert len(sent) == len(set(sent))  # no item went out twice
    # A row cut mid-send at the close is "unknown" and was never sent again; every
    # other item reached the service once.
    assert set(sent) <= set(items(30)) and len(set(sent)) >= 30 - counts["unknown"]


def test_a_json_array_file_and_a_file_that_is_not_a_batch(
    qtbot: QtBot, make_window: WindowFactory, emulator: Emulator, tmp_path: Path
) -> None:
    good = tmp_path / "items.json"
    good.write_text("[\n  " + ",\n  ".join(items(3)) + "\n]\n", encoding="utf-8")
    bad = tmp_path / "broken.json"
    bad.write_bytes(b"\xff\xfe not utf-8")
    w = make_window()
    fill(qtbot, w, emulator.base_url, path="/status/200/text")
    dialog = open_batch(qtbot, w, bad)
    assert dialog.summary.text().startswith("Not a batch:") and not dialog.send_button.isEnabled()
    dialog.load(str(good))
    qtbot.waitUntil(lambda: dialog.prepared is not None, timeout=5000)
    assert "3 request(s) from items.json (a JSON array)" in dialog.summary.text()
    assert dialog.prepared is not None and list(dialog.prepared.texts) == items(3)
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "all 3 sent" in w.statusBar().currentMessage(), timeout=10000)
    assert sorted(data_of(b) for b in posts(emulator)) == sorted(items(3))
    assert json.loads(data_of(posts(emulator)[0]))["x"] == 1.0
