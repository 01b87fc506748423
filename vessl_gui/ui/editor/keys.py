"""The editing keys a JSON field wants: Tab / Shift+Tab indent with spaces, Enter keeps
the indentation (one level more after ``{`` or ``[``), Ctrl+Enter is left to the window,
Ctrl+Tab / Ctrl+Shift+Tab leave the field (Tab is taken by indenting, and a field the
keyboard cannot leave is a trap); and the editor's shortcuts (Format, Minify, Open) as
actions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from vessl_gui.core.text import utf16_to_index
from vessl_gui.ui.editor.brackets import PAIRS

INDENT: Final = 4


def make_action(
    widget: QWidget, text: str, shortcut: str, name: str, slot: Callable[[], object]
) -> QAction:
    """An action of ``widget`` (its menu entry and its ``shortcut`` while it has the focus)."""
    action = QAction(widget)  # QAction(text, parent) makes PySide build QIcon's type (~2 ms)
    action.setText(text)
    action.setObjectName(name)
    action.setShortcut(QKeySequence(shortcut))
    action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    action.triggered.connect(lambda _checked=False: slot())
    widget.addAction(action)
    return action


def is_ctrl_enter(e: QKeyEvent) -> bool:
    """Ctrl+Enter (or Ctrl+Return): the window's Send shortcut, not a line break."""
    mods = e.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    return e.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and bool(
        mods & Qt.KeyboardModifier.ControlModifier
    )


def leaves_field(edit: QPlainTextEdit, event: QKeyEvent) -> bool:
    """Ctrl+Tab / Ctrl+Shift+Tab: the focus moves to the next / previous field (what Tab
    and Shift+Tab do elsewhere).  True when the key was one of them."""
    key = event.key()
    mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    if key not in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) or not (
        mods & Qt.KeyboardModifier.ControlModifier
    ):
        return False
    forward = key == Qt.Key.Key_Tab and not mods & Qt.KeyboardModifier.ShiftModifier
    # QWidget's, not QPlainTextEdit's: that one refuses while Tab is kept for indenting.
    QWidget.focusNextPrevChild(edit, forward)
    return True


def handle_key(edit: QPlainTextEdit, event: QKeyEvent) -> bool:
    """Tab, Shift+Tab and Enter in an editable ``edit``; True when the key was handled."""
    key = event.key()
    mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    if leaves_field(edit, event):
        return True
    if key == Qt.Key.Key_Tab and mods == Qt.KeyboardModifier.NoModifier:
        if not edit.tabChangesFocus():
            tab(edit)
            return True
    elif key == Qt.Key.Key_Backtab and not edit.tabChangesFocus():
        indent_lines(edit, dedent=True)
        return True
    elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and mods in (
        Qt.KeyboardModifier.NoModifier,
        Qt.KeyboardModifier.ShiftModifier,  # Qt would insert U+2028, not JSON whitespace
    ):
        newline(edit)
        return True
    return False


def tab(edit: QPlainTextEdit) -> None:
    """Spaces to the next multiple of :data:`INDENT`; a selection over lines is indented."""
    cursor = edit.textCursor()
    if cursor.hasSelection():
        doc = edit.document()
        if doc.findBlock(cursor.selectionStart()) != doc.findBlock(cursor.selectionEnd()):
            indent_lines(edit, dedent=False)
            return
    column = cursor.positionInBlock()
    if cursor.hasSelection():
        column = cursor.selectionStart() - cursor.block().position()
    cursor.insertText(" " * (INDENT - column % INDENT))
    edit.setTextCursor(cursor)


def indent_lines(edit: QPlainTextEdit, *, dedent: bool) -> None:
    """Indent (or dedent) every line of the selection by :data:`INDENT` spaces, one undo step."""
    cursor = edit.textCursor()
    doc = edit.document()
    first = doc.findBlock(cursor.selectionStart())
    last = doc.findBlock(cursor.selectionEnd())
    if cursor.hasSelection() and last != first and cursor.selectionEnd() == last.position():
        last = last.previous()  # a selection ending at a line start leaves that line alone
    edit_cursor = QTextCursor(doc)
    edit_cursor.beginEditBlock()
    block = first
    while block.isValid():
        text = block.text()
        if dedent:
            n = min(INDENT, len(text) - len(text.lstrip(" ")))
            if n:
                edit_cursor.setPosition(block.position())
                edit_cursor.setPosition(block.position() + n, QTextCursor.MoveMode.KeepAnchor)
                edit_cursor.removeSelectedText()
        elif text.strip() or first == last:
            edit_cursor.setPosition(block.position())
            edit_cursor.insertText(" " * INDENT)
        if block == last:
            break
        block = block.next()
    edit_cursor.endEditBlock()


def newline(edit: QPlainTextEdit) -> None:
    """Enter keeps the line's indentation, one level more after ``{`` or ``[``."""
    cursor = edit.textCursor()
    cursor.beginEditBlock()
    if cursor.hasSelection():
        cursor.removeSelectedText()
    text = cursor.block().text()
    col = utf16_to_index(text, cursor.positionInBlock())
    indent = text[: len(text) - len(text.lstrip(" \t"))]
    before = text[:col].rstrip()
    after = text[col:]
    if before.endswith(("{", "[")):
        inner = indent + " " * INDENT
        if after.lstrip().startswith(PAIRS[before[-1]]):
            cursor.insertText("\n" + inner + "\n" + indent)
            cursor.movePosition(
                QTextCursor.MoveOperation.Left, QTextCursor.MoveMode.MoveAnchor, len(indent) + 1
            )
        else:
            cursor.insertText("\n" + inner)
    else:
        cursor.insertText("\n" + indent[: len(indent) if col >= len(indent) else col])
    cursor.endEditBlock()
    edit.setTextCursor(cursor)
    edit.ensureCursorVisible()


__all__ = [
    "INDENT",
    "handle_key",
    "indent_lines",
    "is_ctrl_enter",
    "leaves_field",
    "make_action",
    "newline",
    "tab",
]
