"""What the user does with history rows: delete, clear, export, send again, context menu."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.ui.conftest import TOKEN, WindowFactory
from tests.ui.history.conftest import paths
from vessl_gui.emulator import Emulator


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


def test_delete_selects_the_row_that_took_its_place(
    qtbot: QtBot, make_window: WindowFactory, seeded: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After Delete the next row is selected and shown: the details pane keeps its
    controls enabled (in the Tab chain), and Home / End still select a row."""
    w = make_window()
    monkeypatch.setattr(w.history_actions, "confirm", lambda title, text: True)
    w.select_row(3)
    following = w.model.summary_at(4)
    w.history_view.setFocus()
    qtbot.keyClick(w.history_view, Qt.Key.Key_Delete)
    assert w.model.total() == 29
    assert w.selection.selected_rows() == [3]
    assert w.model.summary_at(3) == following
    qtbot.waitUntil(lambda: w.output_view.entry() is not None)
    assert w.output_view.entry().row_id == following.row_id  # type: ignore[union-attr]
    assert w.output_view.content.tabs.isEnabled()
    # The last row: the one above it is selected.
    last = w.model.rowCount() - 1
    w.select_row(last)
    above = w.model.summary_at(last - 1)
    qtbot.keyClick(w.history_view, Qt.Key.Key_Delete)
    assert w.selection.selected_rows() == [last - 1]
    assert w.selection.selected_summaries() == [above]


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
