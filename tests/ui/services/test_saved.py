"""Saved requests: save, load, export, import."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.ui.conftest import TOKEN, WindowFactory
from tests.ui.services.helpers import answer_text


def test_saved_requests_save_load_export_import(
    qtbot: QtBot, make_window: WindowFactory, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    w = make_window()
    s = w.services
    c = w.composer
    c.base_url_edit.setText("https://serve-api.vessl.ai/api/v1/services/abc")
    c.path_edit.setText("/v1/completions")
    c.data_editor.setPlainText('{"prompt": "hi", "n": 1.0}')
    # Ctrl+S with no service yet: it offers to create one, then asks the request's name.
    answer_text(monkeypatch, w, "abc", "Completion")
    qtbot.keyClick(c.path_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    combo = w.service_bar.saved_combo
    assert combo.currentText() == "Completion"
    c.path_edit.setText("/other")
    c.data_editor.setPlainText("null")
    combo.activated.emit(combo.findText("Completion"))
    assert c.path_edit.text() == "/v1/completions"
    assert c.data_editor.toPlainText() == '{"prompt": "hi", "n": 1.0}'
    out = tmp_path / "saved.json"
    monkeypatch.setattr(s, "ask_save_path", lambda t, suggested: str(out))
    s.saved.export_action.trigger()
    exported = out.read_text(encoding="utf-8")
    assert "Completion" in exported and TOKEN not in exported
    monkeypatch.setattr(s, "confirm", lambda t, text: True)
    s.saved.delete_saved_action.trigger()
    assert combo.findText("Completion") < 0
    monkeypatch.setattr(s, "ask_open_path", lambda t: str(out))
    s.saved.import_action.trigger()
    assert combo.findText("Completion") > 0
    assert "Imported 1 new" in w.statusBar().currentMessage()
    # A broken import file is reported, nothing is lost.
    bad = tmp_path / "bad.json"
    bad.write_text("{nope", encoding="utf-8")
    monkeypatch.setattr(s, "ask_open_path", lambda t: str(bad))
    s.saved.import_action.trigger()
    assert "Import failed" in w.statusBar().currentMessage()
    assert combo.findText("Completion") > 0
