"""What the cursor shows: its line, and the bracket next to it with its match (across
lines, skipping strings), as the editor's extra selections."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final

from PySide6.QtGui import QTextBlock, QTextCharFormat, QTextCursor, QTextFormat
from PySide6.QtWidgets import QTextEdit

from vessl_gui.core.text import utf16_len, utf16_to_index

if TYPE_CHECKING:
    from PySide6.QtGui import QColor, QTextDocument

#: Bracket matching gives up after scanning this many characters.
BRACKET_SCAN_LIMIT: Final = 100_000
#: Each bracket's partner.
PAIRS: Final = {"{": "}", "[": "]", "}": "{", "]": "["}

_BRACKET_RE: Final = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?|[\[\]{}]')


def brackets_in(text: str) -> list[tuple[int, str]]:
    """(index, bracket) of the brackets outside strings in one line."""
    if not any(c in text for c in "[]{}"):
        return []
    return [(m.start(), m.group()) for m in _BRACKET_RE.finditer(text) if m.group()[0] != '"']


def bracket_match(cursor: QTextCursor) -> tuple[int, int | None] | None:
    """Document positions (bracket at ``cursor``, its match or None if unmatched)."""
    block = cursor.block()
    if block.length() > BRACKET_SCAN_LIMIT:
        return None  # too long a line to tokenise at every cursor move
    text = block.text()
    col = utf16_to_index(text, cursor.positionInBlock())
    brackets = brackets_in(text)
    at = {i: ch for i, ch in brackets}
    for index in (col - 1, col):
        ch = at.get(index)
        if ch is None:
            continue
        where = block.position() + utf16_len(text[:index])
        found = _scan(block, brackets, index, ch)
        if found is False:
            return None
        return where, found
    return None


def _scan(
    block: QTextBlock, brackets: list[tuple[int, str]], index: int, ch: str
) -> int | bool | None:
    """The match of the bracket at ``index``: a position, None (unmatched), False (gave up)."""
    forward = ch in "{["
    depth = 0
    scanned = 0
    if forward:
        todo = [b for b in brackets if b[0] > index]
    else:
        todo = [b for b in reversed(brackets) if b[0] < index]
    while True:
        for i, c in todo:
            if (c in "{[") == forward:
                depth += 1
            elif depth:
                depth -= 1
            else:
                if c != PAIRS[ch]:
                    return None
                return block.position() + utf16_len(block.text()[:i])
        scanned += block.length()
        if scanned > BRACKET_SCAN_LIMIT:
            return False
        block = block.next() if forward else block.previous()
        if not block.isValid():
            return None
        found = brackets_in(block.text())
        todo = found if forward else list(reversed(found))


def current_line(cursor: QTextCursor, color: QColor) -> QTextEdit.ExtraSelection:
    """The background of the line of ``cursor``, the full width of the editor."""
    line = QTextEdit.ExtraSelection()
    fmt = QTextCharFormat()
    fmt.setBackground(color)
    fmt.setProperty(QTextFormat.Property.FullWidthSelection, True)
    line.format = fmt
    cursor.clearSelection()
    line.cursor = cursor
    return line


def bracket_selections(
    document: QTextDocument, match: tuple[int, int | None] | None, colors: dict[str, QColor]
) -> list[QTextEdit.ExtraSelection]:
    """The backgrounds that show ``match`` (``colors["bracket"]``, or
    ``colors["unmatched"]`` on a bracket without a partner)."""
    if match is None:
        return []
    here, there = match
    out: list[QTextEdit.ExtraSelection] = []
    color = colors["bracket" if there is not None else "unmatched"]
    for pos in (here, there):
        if pos is None:
            continue
        sel = QTextEdit.ExtraSelection()
        fmt = QTextCharFormat()
        fmt.setBackground(color)
        cursor = QTextCursor(document)
        cursor.setPosition(pos)
        cursor.setPosition(pos + 1, QTextCursor.MoveMode.KeepAnchor)
        sel.format = fmt
        sel.cursor = cursor
        out.append(sel)
    return out


__all__ = [
    "BRACKET_SCAN_LIMIT",
    "PAIRS",
    "bracket_match",
    "bracket_selections",
    "brackets_in",
    "current_line",
]
