"""vessl_gui/ui/editor/keys.py: Tab / Shift+Tab, Enter, Ctrl+Enter, and the shortcuts."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from vessl_gui.ui.editor import JsonEditor


def test_tab_inserts_spaces_and_shift_tab_dedents(qtbot: QtBot, editor: JsonEditor) -> None:
    editor.setPlainText("")
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert editor.toPlainText() == "    "
    qtbot.keyClicks(editor, "ab")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert editor.toPlainText() == "    ab  "  # to the next multiple of 4

    editor.setPlainText("[\n1,\n2\n]")
    cursor = editor.textCursor()
    cursor.setPosition(2)
    cursor.setPosition(6, cursor.MoveMode.KeepAnchor)  # lines 2 and 3
    editor.setTextCursor(cursor)
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert editor.toPlainText() == "[\n    1,\n    2\n]"
    qtbot.keyClick(editor, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert editor.toPlainText() == "[\n1,\n2\n]"
    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.toPlainText() == "[\n    1,\n    2\n]"


def test_enter_keeps_indentation(qtbot: QtBot, editor: JsonEditor) -> None:
    editor.setPlainText("{}")
    editor.setFocus()
    editor.move_cursor_to(1, 2)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert editor.toPlainText() == "{\n    \n}"
    qtbot.keyClicks(editor, '"a": [')
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor, "1,")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor, "2")
    assert editor.toPlainText() == '{\n    "a": [\n        1,\n        2\n}'


def test_ctrl_enter_goes_to_the_window_shortcut(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    ed = JsonEditor()
    QVBoxLayout(window).addWidget(ed)
    sent: list[bool] = []
    send = QAction("Send", window)
    send.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
    send.triggered.connect(lambda: sent.append(True))
    window.addAction(send)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    ed.setFocus()
    ed.setPlainText("[1]")
    qtbot.keyClick(ed, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert sent == [True]
    assert ed.toPlainText() == "[1]"


def test_shift_enter_inserts_a_plain_line_break(qtbot: QtBot, editor: JsonEditor) -> None:
    editor.setPlainText("[1,2]")
    editor.setFocus()
    editor.move_cursor_to(1, 4)
    qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert editor.toPlainText() == "[1,\n2]"  # not U+2028, which is not JSON whitespace


def test_actions_have_their_shortcuts(editor: JsonEditor) -> None:
    shortcuts = {
        a.objectName(): a.shortcut().toString()
        for a in (editor.format_action, editor.minify_action, editor.open_action)
    }
    assert shortcuts == {
        "formatJsonAction": "Ctrl+Shift+F",
        "minifyJsonAction": "Ctrl+Shift+M",
        "openJsonAction": "Ctrl+O",
    }
    assert editor.format_action in editor.actions()
