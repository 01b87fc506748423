"""The full text behind the editor, and how a new text gets into its document.

* text above :data:`CHUNK_LIMIT` characters is put into the document in time
  slices of about :data:`SLICE_MS` (the editor is read-only meanwhile, and
  :meth:`Loader.text` already returns the whole new text);
* a line longer than :data:`LONG_LINE_LIMIT` characters is shown shortened
  (:func:`shorten_long_lines`) and read-only; the full text is kept and returned;
* replacing a large document is undone through a one-step snapshot instead of
  Qt's undo stack, which would replay megabytes on the GUI thread;
* positions (line, column) count characters of the full text; they are mapped to
  the document's UTF-16 positions here.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Final

from PySide6.QtCore import QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QPlainTextEdit

from vessl_gui.core.records import record
from vessl_gui.core.text import human_size, normalize_newlines, position, utf16_len, utf16_to_index
from vessl_gui.ui.editor.highlighter import HIGHLIGHT_LIMIT

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

#: Replace the document in one go up to this many characters; larger text is sliced.
CHUNK_LIMIT: Final = 256 * 1024
#: Longer lines are shown shortened (read-only); the full text is kept.
LONG_LINE_LIMIT: Final = 1_000_000
#: How much of a shortened line is shown: its start and its end.
PREVIEW_HEAD: Final = 2000
PREVIEW_TAIL: Final = 200
#: A loading slice stops after this long so the window keeps painting.
SLICE_MS: Final = 20
#: Characters per insert while loading (cut at the next line end).
PIECE: Final = 32 * 1024


def shorten_long_lines(text: str) -> tuple[str, dict[int, int]] | None:
    """``text`` with lines over :data:`LONG_LINE_LIMIT` cut, and {line number: length}."""
    if len(text) <= LONG_LINE_LIMIT:
        return None
    lines = text.split("\n")
    if max(map(len, lines)) <= LONG_LINE_LIMIT:
        return None
    long_lines: dict[int, int] = {}
    for i, line in enumerate(lines):
        if len(line) > LONG_LINE_LIMIT:
            long_lines[i + 1] = len(line)
            hidden = len(line) - PREVIEW_HEAD - PREVIEW_TAIL
            lines[i] = (
                f"{line[:PREVIEW_HEAD]} ⋯ [{hidden:,} more characters not shown] ⋯ "
                f"{line[-PREVIEW_TAIL:]}"
            )
    return "\n".join(lines), long_lines


@record(frozen=False)
class Load:
    """A text being put into the document in slices."""

    full: str  # what toPlainText() returns
    shown: str  # what goes into the document
    cursor_at: tuple[int, int] | None  # (line, column) to put the cursor at, 1-based
    message: str | None
    pos: int = 0

    def progress(self) -> tuple[int, int]:
        """(percent of the text in the document, length of the full text)."""
        return 100 * self.pos // max(1, len(self.shown)), len(self.full)


class Loader:
    """Keeps the editor's full text and puts new text into its document.

    ``set_highlighting(on)`` switches the highlighter for the size of a new text;
    ``on_notice()`` is called when the notice may have changed (loading progress,
    a shortened line); ``on_replaced()`` when a new text is in place (validate it).
    """

    def __init__(
        self,
        edit: QPlainTextEdit,
        *,
        message: SignalInstance,
        loading_changed: SignalInstance,
        set_highlighting: Callable[[bool], None],
        on_notice: Callable[[], None],
        on_replaced: Callable[[], None],
    ) -> None:
        self._edit = edit
        self._message = message
        self._loading_changed = loading_changed
        self._set_highlighting = set_highlighting
        self._on_notice = on_notice
        self._on_replaced = on_replaced
        self.generation = 0  # counts the document's changes
        self._cache: tuple[int, str] | None = None
        self.shadow: str | None = None  # the full text while a shortened one is shown
        self.long_lines: dict[int, int] = {}
        self.load: Load | None = None
        self.applying = False  # the document is being changed here, not by the user
        self._swap_undo: str | None = None
        self._user_read_only = False
        self._timer = QTimer(edit)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._load_slice)

    # -- text out -------------------------------------------------------------------

    def text(self) -> str:
        """The whole text, byte-exact (also while loading or showing a shortened line)."""
        if self.load is not None:
            return self.load.full
        if self.shadow is not None:
            return self.shadow
        if self._cache is not None and self._cache[0] == self.generation:
            return self._cache[1]
        text = self._edit.document().toRawText().replace("\u2029", "\n")
        self._cache = (self.generation, text)
        return text

    def edited(self) -> bool:
        """Count a change of the document; False when it was made here (or while loading)."""
        self.generation += 1
        return not (self.applying or self.load is not None)

    def set_read_only(self, ro: bool) -> None:
        self._user_read_only = ro
        self.apply_read_only()

    def apply_read_only(self) -> None:
        ro = self._user_read_only or self.load is not None or self.shadow is not None
        QPlainTextEdit.setReadOnly(self._edit, ro)

    # -- text in ----------------------------------------------------------------------

    def replace(
        self,
        text: str,
        *,
        undoable: bool = True,
        message: str | None = None,
        cursor_at: tuple[int, int] | None = None,
        allow_long_lines: bool = False,
    ) -> None:
        """Replace the whole text; see :meth:`JsonEditor.replace_text`."""
        edit = self._edit
        text = normalize_newlines(text)
        previous = self.text() if undoable else ""
        self.cancel()
        shortened = None if allow_long_lines else shorten_long_lines(text)
        shown = shortened[0] if shortened else text
        big = (
            len(shown) > CHUNK_LIMIT
            or edit.document().characterCount() > CHUNK_LIMIT
            or shortened is not None
            or self.shadow is not None
        )
        self.shadow = text if shortened else None
        self.long_lines = shortened[1] if shortened else {}
        if not undoable:
            self._swap_undo = None
        if big:
            if undoable and previous:
                self._swap_undo = previous
            self._start_load(Load(text, shown, cursor_at, message))
            return
        self.applying = True
        try:
            self._set_highlighting(len(shown) <= HIGHLIGHT_LIMIT)
            if undoable:
                cursor = QTextCursor(edit.document())
                cursor.beginEditBlock()
                cursor.select(QTextCursor.SelectionType.Document)
                cursor.insertText(shown)
                cursor.endEditBlock()
                cursor.setPosition(0)
                edit.setTextCursor(cursor)
            else:
                QPlainTextEdit.setPlainText(edit, shown)
        finally:
            self.applying = False
        self.apply_read_only()
        if cursor_at is not None:
            self.move_cursor_to(*cursor_at)
        self._on_notice()
        self._on_replaced()
        if message:
            self._message.emit(message)

    def paste(self, text: str) -> bool:
        """Paste a large ``text`` through the loader; False when it is small (Qt pastes it)."""
        if not text or (len(text) <= CHUNK_LIMIT and shorten_long_lines(text) is None):
            return False
        text = normalize_newlines(text)
        full = self.text()
        cursor = self._edit.textCursor()
        start = self._str_offset(full, cursor.selectionStart())
        end = self._str_offset(full, cursor.selectionEnd())
        new = full[:start] + text + full[end:]
        self.replace(
            new,
            undoable=True,
            cursor_at=position(new, start + len(text)),
            message=f"Pasted {human_size(len(text))}",
        )
        return True

    def _str_offset(self, full: str, doc_pos: int) -> int:
        """The index in ``full`` of a document position (they differ after astral chars)."""
        if utf16_len(full) == len(full):
            return min(doc_pos, len(full))
        block = self._edit.document().findBlock(doc_pos)
        start = 0
        for _ in range(block.blockNumber()):
            start = full.index("\n", start) + 1
        return start + utf16_to_index(block.text(), doc_pos - block.position())

    # -- slice loading ------------------------------------------------------------

    def _start_load(self, load: Load) -> None:
        edit = self._edit
        self.applying = True
        try:
            QPlainTextEdit.clear(edit)
            edit.document().setUndoRedoEnabled(False)
            self._set_highlighting(len(load.shown) <= HIGHLIGHT_LIMIT)
        finally:
            self.applying = False
        self.load = load
        self.apply_read_only()
        self._on_notice()
        self._loading_changed.emit(True)
        self._timer.start()

    def cancel(self) -> None:
        """Stop loading (the document keeps what was put in so far)."""
        if self.load is None:
            return
        self.load = None
        self._timer.stop()
        self._edit.document().setUndoRedoEnabled(True)
        self._loading_changed.emit(False)

    def _load_slice(self) -> None:
        load = self.load
        if load is None:
            self._timer.stop()
            return
        edit = self._edit
        deadline = time.perf_counter() + SLICE_MS / 1000
        cursor = QTextCursor(edit.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        shown = load.shown
        self.applying = True
        try:
            while load.pos < len(shown):
                end = load.pos + PIECE
                if end < len(shown):
                    # End pieces after a line break: Qt then defers laying the lines out.
                    nl = shown.find("\n", end)
                    end = len(shown) if nl < 0 else nl + 1
                cursor.insertText(shown[load.pos : end])
                load.pos = end
                if time.perf_counter() >= deadline:
                    break
        finally:
            self.applying = False
        if load.pos < len(shown):
            self._on_notice()
            return
        self.load = None
        self._timer.stop()
        edit.document().setUndoRedoEnabled(True)
        self.apply_read_only()
        if self.shadow is None:
            self._cache = (self.generation, load.full)
        if load.cursor_at is not None:
            self.move_cursor_to(*load.cursor_at)
        else:
            start = QTextCursor(edit.document())
            edit.setTextCursor(start)
        self._on_notice()
        self._loading_changed.emit(False)
        self._on_replaced()
        if load.message:
            self._message.emit(load.message)

    # -- undo of large replacements ---------------------------------------------------

    def can_restore(self) -> bool:
        """True when Ctrl+Z brings back the snapshot (Qt's undo stack is empty)."""
        return not self._edit.document().isUndoAvailable() and self._swap_undo is not None

    def restore(self) -> bool:
        """Bring back the text a large replacement replaced; False when there is none."""
        if not self.can_restore():
            return False
        previous, self._swap_undo = self._swap_undo, None
        assert previous is not None
        self.replace(previous, undoable=False, message="Restored the previous text")
        return True

    # -- cursor positions -------------------------------------------------------------

    def doc_position(self, line: int, column: int) -> int | None:
        """Document position of a 1-based (line, column in characters); None if hidden."""
        doc = self._edit.document()
        block = doc.findBlockByNumber(max(0, line - 1))
        if not block.isValid():
            return doc.characterCount() - 1
        text = block.text()
        index = max(0, column - 1)
        if line in self.long_lines and index > PREVIEW_HEAD:
            return None
        index = min(index, len(text))
        return block.position() + utf16_len(text[:index])

    def move_cursor_to(self, line: int, column: int) -> None:
        """Put the cursor at a 1-based line and column (columns count characters)."""
        edit = self._edit
        pos = self.doc_position(line, column)
        if pos is None:
            pos = edit.document().findBlockByNumber(line - 1).position()
        cursor = edit.textCursor()
        cursor.setPosition(pos)
        edit.setTextCursor(cursor)
        edit.ensureCursorVisible()


__all__ = [
    "CHUNK_LIMIT",
    "LONG_LINE_LIMIT",
    "PIECE",
    "PREVIEW_HEAD",
    "PREVIEW_TAIL",
    "SLICE_MS",
    "Load",
    "Loader",
    "shorten_long_lines",
]
