"""vessl_gui/ui/editor/brackets.py: the current line and the matching bracket."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCharFormat

from vessl_gui.ui.editor import JsonEditor


def test_current_line_is_highlighted(editor: JsonEditor) -> None:
    editor.setPlainText("[\n  1\n]")
    editor.move_cursor_to(2, 2)
    full = [
        s
        for s in editor.extraSelections()
        if s.format.property(QTextCharFormat.Property.FullWidthSelection)
    ]
    assert len(full) == 1
    assert full[0].cursor.blockNumber() == 1


def test_matching_bracket_is_found_across_lines_and_skips_strings(editor: JsonEditor) -> None:
    text = '{\n    "a": [1, "]", {"b": "}"}],\n    "c": 2\n}'
    editor.setPlainText(text)
    editor.move_cursor_to(2, 11)  # just after "["
    open_pos = text.index("[")
    close_pos = text.index("],")
    assert editor.bracket_match() == (open_pos, close_pos)
    bg = [
        s
        for s in editor.extraSelections()
        if s.format.background().style() != Qt.BrushStyle.NoBrush
        and not s.format.property(QTextCharFormat.Property.FullWidthSelection)
    ]
    assert sorted((s.cursor.selectionStart(), s.cursor.selectionEnd()) for s in bg) == [
        (open_pos, open_pos + 1),
        (close_pos, close_pos + 1),
    ]
    editor.move_cursor_to(1, 1)  # before the outer "{"
    assert editor.bracket_match() == (0, len(text) - 1)
    editor.move_cursor_to(4, 2)  # after the outer "}"
    assert editor.bracket_match() == (len(text) - 1, 0)


def test_unmatched_bracket_is_marked(editor: JsonEditor) -> None:
    editor.setPlainText('[1, {"a": 2]')
    editor.move_cursor_to(1, 5)  # after "{"
    assert editor.bracket_match() == (4, None)
    editor.move_cursor_to(1, 3)  # no bracket next to the cursor
    assert editor.bracket_match() is None
