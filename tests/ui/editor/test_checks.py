"""vessl_gui/ui/editor/checks.py: live validation, format / minify with undo, and the
background jobs (off the GUI thread, stale results dropped)."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from tests.ui.editor.conftest import DEADLINE_MS, settle, underlines
from vessl_gui.core.errors import FieldError
from vessl_gui.core.jsonfmt import format_json, minify_json
from vessl_gui.ui.editor import JsonEditor, checks


def test_live_validation_is_debounced_and_underlines_the_error(
    qtbot: QtBot, editor: JsonEditor
) -> None:
    seen: list[FieldError | None] = []
    editor.validity_changed.connect(seen.append)
    label = QLabel()
    qtbot.addWidget(label)
    editor.set_error_label(label)
    editor.setFocus()
    qtbot.keyClicks(editor, '{"a": }')
    assert seen == []  # nothing before the pause
    qtbot.waitUntil(lambda: len(seen) == 1, timeout=DEADLINE_MS)
    error = seen[0]
    assert error is not None and (error.line, error.column) == (1, 7)
    assert editor.current_error() == error
    assert underlines(editor) == [(6, 7)]  # the "}"
    assert label.text() == f"⚠ line 1, column 7: {error.message}"
    assert not label.isHidden()

    qtbot.keyClick(editor, Qt.Key.Key_Left)
    qtbot.keyClicks(editor, "1")
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=DEADLINE_MS)
    assert seen[1] is None
    assert underlines(editor) == []
    assert label.isHidden()


def test_error_at_the_end_underlines_the_last_character(qtbot: QtBot, editor: JsonEditor) -> None:
    editor.setPlainText('{"a": [1, 2')
    settle(qtbot, editor)
    error = editor.current_error()
    assert error is not None
    assert underlines(editor) == [(10, 11)]


def test_error_column_after_emoji_maps_to_the_right_character(
    qtbot: QtBot, editor: JsonEditor
) -> None:
    editor.setPlainText('{"😀": x}')
    settle(qtbot, editor)
    error = editor.current_error()
    assert error is not None and (error.line, error.column) == (1, 7)
    assert underlines(editor) == [(7, 8)]  # "x", after a two-unit emoji
    editor.move_cursor_to(error.line, error.column)
    assert editor.textCursor().position() == 7


def test_blank_text_is_reported_but_the_label_stays_hidden(
    qtbot: QtBot, editor: JsonEditor
) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    editor.set_error_label(label)
    editor.setPlainText("   ")
    settle(qtbot, editor)
    error = editor.current_error()
    assert error is not None and "required" in error.message
    assert label.isHidden()


TRICKY = '{"z": 1.0, "a": [1e400, -0, 1E+2, 1180591620717411303424], "s": "\\u00e9\\/\\n", "e": {}}'


def test_format_and_minify_keep_the_text_and_undo(qtbot: QtBot, editor: JsonEditor) -> None:
    messages: list[str] = []
    editor.message.connect(messages.append)
    editor.setPlainText(TRICKY)
    editor.setFocus()
    qtbot.keyClick(
        editor,
        Qt.Key.Key_F,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert editor.toPlainText() == format_json(TRICKY)
    assert '"a": [\n        1e400,\n        -0,\n        1E+2,\n        1180591620717411303424' in (
        editor.toPlainText()
    )
    assert messages[-1].startswith("Formatted")
    qtbot.keyClick(
        editor,
        Qt.Key.Key_M,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert editor.toPlainText() == minify_json(TRICKY)
    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.toPlainText() == format_json(TRICKY)
    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.toPlainText() == TRICKY


def test_format_refuses_invalid_json_and_keeps_the_text(qtbot: QtBot, editor: JsonEditor) -> None:
    messages: list[str] = []
    editor.message.connect(messages.append)
    bad = '{\n  "a": 1,\n  "b": }'
    editor.setPlainText(bad)
    assert editor.format_document() is False
    assert editor.minify_document() is False
    assert editor.toPlainText() == bad
    assert messages[-1] == "Cannot minify: line 3, column 8: Expecting value"
    cursor = editor.textCursor()
    assert (cursor.blockNumber() + 1, cursor.positionInBlock() + 1) == (3, 8)
    assert editor.current_error() is not None


def test_large_validation_runs_off_the_gui_thread(
    qtbot: QtBot, editor: JsonEditor, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[str] = []
    real = checks.check_json

    def spy(text: str) -> FieldError | None:
        threads.append(threading.current_thread().name)
        return real(text)

    monkeypatch.setattr(checks, "check_json", spy)
    editor.setPlainText("[" + "1, " * 40_000 + "2]")
    settle(qtbot, editor)
    assert threads and threads[-1].startswith("json-editor-")
    assert editor.current_error() is None
    editor.setPlainText("[1, 2]")
    settle(qtbot, editor)
    assert threads[-1] == threading.main_thread().name


def test_stale_background_result_is_not_applied(qtbot: QtBot, editor: JsonEditor) -> None:
    seen: list[FieldError | None] = []
    editor.validity_changed.connect(seen.append)
    big_bad = "[" + "1, " * 50_000 + "]"  # trailing comma: invalid
    editor.setPlainText(big_bad)
    editor.validate_now()
    editor.setPlainText("[1]")  # changes before the worker answers
    settle(qtbot, editor)
    assert editor.current_error() is None
    assert all(e is None for e in seen)


def test_known_valid_only_for_the_checked_text(qtbot: QtBot, editor: JsonEditor) -> None:
    assert not editor.is_known_valid()  # nothing checked yet
    editor.setPlainText('{"a": 1}')
    assert not editor.is_known_valid()  # the check is still debounced
    editor.validate_now()
    assert editor.is_known_valid()
    editor.textCursor().insertText(" ")  # any edit: the result is for the old text
    assert not editor.is_known_valid()
    settle(qtbot, editor)
    assert editor.is_known_valid()
    editor.setPlainText('{"a": }')
    editor.validate_now()
    assert editor.current_error() is not None and not editor.is_known_valid()
    big = "[" + "1, " * 40_000 + "2]"  # checked on a worker thread
    editor.setPlainText(big)
    editor.validate_now()
    assert not editor.is_known_valid()  # until the worker answers
    settle(qtbot, editor)
    assert editor.is_known_valid() and editor.toPlainText() == big
