"""vessl_gui/ui/editor/keys.py: Tab / Shift+Tab, Enter, Ctrl+Enter, and the shortcuts."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget
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


def _between_fields(qtbot: QtBot) -> tuple[QWidget, QLineEdit, JsonEditor, QLineEdit]:
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    before, ed, after = QLineEdit(), JsonEditor(), QLineEdit()
    for w in (before, ed, after):
        layout.addWidget(w)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window, before, ed, after


def test_ctrl_tab_and_ctrl_shift_tab_leave_the_editor(qtbot: QtBot) -> None:
    """Tab indents, so Ctrl+Tab / Ctrl+Shift+Tab are the way out (no keyboard trap)."""
    window, before, ed, after = _between_fields(qtbot)
    ed.setPlainText("[1]")
    ed.setFocus()
    qtbot.keyClick(ed, Qt.Key.Key_Tab)
    assert ed.hasFocus() and ed.toPlainText() == "    [1]"  # Tab still indents
    qtbot.keyClick(ed, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert after.hasFocus()
    ed.setFocus()
    mods = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(ed, Qt.Key.Key_Backtab, mods)
    assert before.hasFocus()
    assert ed.toPlainText() == "    [1]"  # neither key changed the text
    assert window.isVisible()


def test_ctrl_tab_leaves_a_read_only_editor(qtbot: QtBot) -> None:
    window, _, ed, after = _between_fields(qtbot)
    ed.setPlainText("[1]")
    ed.setReadOnly(True)
    ed.setFocus()
    qtbot.keyClick(ed, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert after.hasFocus()
    assert window.isVisible()


def test_the_way_out_is_in_the_accessible_description(editor: JsonEditor) -> None:
    assert "Ctrl+Tab" in editor.accessibleDescription()


def test_the_notice_links_are_reached_by_keyboard(qtbot: QtBot) -> None:
    """A line too long to show leaves the editor read-only with "Show in full" and
    "Clear" links in the notice: Ctrl+Tab reaches the notice, Tab its first link,
    Return follows it."""
    from tests.ui.editor.conftest import settle
    from vessl_gui.ui.editor.loading import LONG_LINE_LIMIT

    window, _, ed, after = _between_fields(qtbot)
    text = '["' + "x" * (LONG_LINE_LIMIT + 10) + '"]'
    ed.setPlainText(text)
    settle(qtbot, ed)
    assert ed.is_shortened()
    qtbot.waitUntil(ed.notice_label.isVisible)
    ed.setFocus()
    qtbot.keyClick(ed, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert ed.notice_label.hasFocus()
    qtbot.keyClick(ed.notice_label, Qt.Key.Key_Tab)  # "Show in full"
    qtbot.keyClick(ed.notice_label, Qt.Key.Key_Return)
    settle(qtbot, ed)
    assert not ed.is_shortened()
    assert ed.toPlainText() == text
    assert window.isVisible() and not after.hasFocus()
