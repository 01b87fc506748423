"""The JSON editor for the request ``data`` (``objectName`` ``dataEditor`` in the composer).

A :class:`QPlainTextEdit` with what people expect from a JSON field:

* syntax highlighting whose colours are derived from the palette (readable on
  light and dark themes, recomputed when the palette changes), a line-number
  gutter, the current line and the matching bracket shown, a monospace font,
  Tab / Shift+Tab indenting with spaces, Enter keeping the indentation;
* live validation while typing (debounced), the error underlined in the text
  and reported by :attr:`JsonEditor.validity_changed`;
* Format (Ctrl+Shift+F) and Minify (Ctrl+Shift+M) that keep every key, number
  and string exactly as typed (:mod:`vessl_gui.core.jsonfmt`), undoable;
* Open a file (Ctrl+O) or drop one on the editor; a file that is not UTF-8 or
  not JSON is refused with a message and the text stays as it was.

Large documents never freeze the window:

* text above :data:`CHUNK_LIMIT` characters is put into the document in time
  slices of about :data:`SLICE_MS` (the editor is read-only meanwhile, and
  :meth:`JsonEditor.toPlainText` already returns the whole new text);
* validation, formatting and minifying run on a worker thread above
  :data:`INLINE_LIMIT`; a result is applied only if the text has not changed since;
* highlighting is switched off above :data:`HIGHLIGHT_LIMIT` (a notice says so),
  and a single line over :data:`HIGHLIGHT_LINE_LIMIT` is left uncoloured;
* a line longer than :data:`LONG_LINE_LIMIT` characters (a minified payload or a
  base64 blob; Qt lays a line out in one piece, about 1 s for 5 MB) is shown
  shortened and read-only, with a notice; the full text is kept, validated,
  formatted and returned by :meth:`JsonEditor.toPlainText` unchanged, and
  "Show in full" loads it anyway;
* replacing a large document (open, format, big paste, clear) is undone by
  Ctrl+Z through a one-step snapshot instead of Qt's undo stack, which would
  replay megabytes on the GUI thread.

Programmatic edits should go through :meth:`JsonEditor.setPlainText` (or
:meth:`JsonEditor.replace_text`); ``insertPlainText`` and ``document()`` edits
bypass the large-document handling.
"""

from __future__ import annotations

import contextlib
import re
import threading
import time
import weakref
from collections.abc import Callable
from itertools import accumulate
from pathlib import Path
from typing import Any, Final

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QMimeData,
    QObject,
    QPoint,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QAction,
    QColor,
    QContextMenuEvent,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QFontDatabase,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QSyntaxHighlighter,
    QTextBlock,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
)
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from vessl_gui.core.errors import FieldError, ValidationError
from vessl_gui.core.jsonfmt import format_json, minify_json
from vessl_gui.core.records import record
from vessl_gui.core.text import position
from vessl_gui.core.validation import check_json

__all__ = [
    "CHUNK_LIMIT",
    "HIGHLIGHT_LIMIT",
    "INLINE_LIMIT",
    "LONG_LINE_LIMIT",
    "JsonEditor",
    "JsonHighlighter",
    "contrast_ratio",
]

#: Validate / format / minify on the GUI thread up to this many characters.
INLINE_LIMIT: Final = 100 * 1024
#: Replace the document in one go up to this many characters; larger text is sliced.
CHUNK_LIMIT: Final = 256 * 1024
#: Syntax highlighting is on up to this many characters (Python highlights ~2.5 MB/s).
HIGHLIGHT_LIMIT: Final = 512 * 1024
#: Longer lines are left uncoloured (each keystroke re-highlights its whole line).
HIGHLIGHT_LINE_LIMIT: Final = 100_000
#: Longer lines are shown shortened (read-only); the full text is kept.
LONG_LINE_LIMIT: Final = 1_000_000
#: How much of a shortened line is shown: its start and its end.
PREVIEW_HEAD: Final = 2000
PREVIEW_TAIL: Final = 200
#: Files larger than this are not opened.
MAX_OPEN_BYTES: Final = 64 * 1024 * 1024
#: Live validation waits this long after the last keystroke.
VALIDATE_DELAY_MS: Final = 300
#: A loading slice stops after this long so the window keeps painting.
SLICE_MS: Final = 20
#: Characters per insert while loading (cut at the next line end).
PIECE: Final = 32 * 1024
#: Bracket matching gives up after scanning this many characters.
BRACKET_SCAN_LIMIT: Final = 100_000
INDENT: Final = 4

ERROR_RED: Final = "#d93025"

_ASTRAL_RE: Final = re.compile("[\U00010000-\U0010ffff]")
# Highlighting, one line at a time (a JSON string never spans lines).
_HL_RE: Final = re.compile(
    r'("[^"\\]*(?:\\.[^"\\]*)*"?)([ \t]*:)?'
    r"|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)"
    r"|(true|false|null)\b"
    r"|([{}\[\],:])"
)
_BRACKET_RE: Final = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?|[\[\]{}]')
_PAIRS: Final = {"{": "}", "[": "]", "}": "{", "]": "["}


# -- small helpers -------------------------------------------------------------------


def _utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units (Qt's positions)."""
    if text.isascii() or not _ASTRAL_RE.search(text):
        return len(text)
    return len(text.encode("utf-16-le")) // 2


def _utf16_to_index(text: str, units: int) -> int:
    """The ``str`` index in ``text`` of a UTF-16 offset (Qt position in a block)."""
    if text.isascii() or not _ASTRAL_RE.search(text):
        return min(units, len(text))
    count = 0
    for i, ch in enumerate(text):
        if count >= units:
            return i
        count += 2 if ord(ch) > 0xFFFF else 1
    return len(text)


def _normalize_newlines(text: str) -> str:
    """What the document will hold: Qt turns CR LF, CR, U+2029 (and U+FDD0/U+FDD1,
    its frame markers) into line breaks, so the text sent is the text shown."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    for ch in ("\u2029", "\ufdd0", "\ufdd1"):
        if ch in text:
            text = text.replace(ch, "\n")
    return text


def _shorten_long_lines(text: str) -> tuple[str, dict[int, int]] | None:
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


def _size_text(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} bytes"


def _luminance(c: QColor) -> float:
    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())


def contrast_ratio(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _mix(a: QColor, b: QColor, t: float) -> QColor:
    """``a`` moved ``t`` (0..1) of the way towards ``b``."""
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * t,
        a.greenF() + (b.greenF() - a.greenF()) * t,
        a.blueF() + (b.blueF() - a.blueF()) * t,
        1.0,
    )


def _is_dark(base: QColor) -> bool:
    return _luminance(base) < 0.2


def _readable(hue: float, saturation: float, base: QColor, minimum: float = 4.5) -> QColor:
    """A colour of ``hue`` whose contrast against ``base`` is at least ``minimum``."""
    dark = _is_dark(base)
    lightness = 0.72 if dark else 0.36
    step = 0.03 if dark else -0.03
    color = QColor.fromHslF(hue / 360.0, saturation, lightness)
    for _ in range(40):
        if contrast_ratio(color, base) >= minimum:
            break
        lightness = min(1.0, max(0.0, lightness + step))
        color = QColor.fromHslF(hue / 360.0, saturation, lightness)
    return color


# -- highlighting --------------------------------------------------------------------


class JsonHighlighter(QSyntaxHighlighter):
    """Colours strings, keys, numbers, ``true``/``false``/``null`` and punctuation.

    The colours come from a palette (:meth:`set_palette`): each one keeps a
    contrast of at least 4.5:1 against the palette's ``Base`` colour.
    """

    KINDS: Final = ("string", "key", "number", "literal", "punctuation")

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.colors: dict[str, QColor] = {}
        self._formats: list[QTextCharFormat] = []

    def set_palette(self, palette: QPalette) -> bool:
        """Derive the colours from ``palette``; True if they changed."""
        base = palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.Text)
        punctuation = _mix(text, base, 0.3)
        if contrast_ratio(punctuation, base) < 4.5:
            punctuation = text
        colors = {
            "string": _readable(125, 0.60, base),
            "key": _readable(212, 0.75, base),
            "number": _readable(28, 0.90, base),
            "literal": _readable(290, 0.60, base),
            "punctuation": punctuation,
        }
        if {k: c.rgb() for k, c in colors.items()} == {k: c.rgb() for k, c in self.colors.items()}:
            return False
        self.colors = colors
        self._formats = []
        for kind in self.KINDS:
            fmt = QTextCharFormat()
            fmt.setForeground(colors[kind])
            self._formats.append(fmt)
        return True

    def highlightBlock(self, text: str) -> None:
        if not self._formats or not text or len(text) > HIGHLIGHT_LINE_LIMIT:
            return
        string_f, key_f, number_f, literal_f, punct_f = self._formats
        set_format = self.setFormat
        units: list[int] | None = None
        if not text.isascii() and _ASTRAL_RE.search(text):
            # Qt counts UTF-16 code units: map str indices to them.
            units = [0, *accumulate(2 if ord(ch) > 0xFFFF else 1 for ch in text)]
        for m in _HL_RE.finditer(text):
            if m.start(1) >= 0:
                spans = [(m.start(1), m.end(1), key_f if m.start(2) >= 0 else string_f)]
                if m.start(2) >= 0:
                    spans.append((m.end(2) - 1, m.end(2), punct_f))
            elif m.start(3) >= 0:
                spans = [(m.start(3), m.end(3), number_f)]
            elif m.start(4) >= 0:
                spans = [(m.start(4), m.end(4), literal_f)]
            else:
                spans = [(m.start(5), m.end(5), punct_f)]
            for start, end, fmt in spans:
                if units is not None:
                    start, end = units[start], units[end]
                set_format(start, end - start, fmt)


# -- background jobs -----------------------------------------------------------------


@record(frozen=False, eq=False)
class _Job:
    kind: str  # "validate", "format" or "minify"
    generation: int
    func: Callable[[str], Any]
    text: str
    owner: weakref.ReferenceType[JsonEditor]
    context: Any = None  # what the editor needs back with the result
    result: Any = None
    error: BaseException | None = None


class _Relay(QObject):
    """Lives on the GUI thread; hands a finished job back to its editor (queued)."""

    finished = Signal(object)

    def __init__(self) -> None:
        super().__init__(QCoreApplication.instance())
        self.finished.connect(self._deliver)

    @Slot(object)
    def _deliver(self, job: _Job) -> None:
        owner = job.owner()
        if owner is not None and shiboken6.isValid(owner):
            owner._job_finished(job)


_relay: _Relay | None = None


def _get_relay() -> _Relay:
    global _relay
    if _relay is None or not shiboken6.isValid(_relay):
        _relay = _Relay()
    return _relay


def _run_job(job: _Job, relay: _Relay) -> None:
    try:
        job.result = job.func(job.text)
    except Exception as exc:
        job.error = exc
    job.text = ""
    with contextlib.suppress(RuntimeError):  # the application is already gone
        relay.finished.emit(job)


def _start_job(job: _Job) -> None:
    relay = _get_relay()
    thread = threading.Thread(
        target=_run_job, args=(job, relay), name=f"json-editor-{job.kind}", daemon=True
    )
    thread.start()


@record(frozen=False)
class _Load:
    full: str  # what toPlainText() returns
    shown: str  # what goes into the document
    cursor_at: tuple[int, int] | None  # (line, column) to put the cursor at, 1-based
    message: str | None
    pos: int = 0


# -- the gutter ------------------------------------------------------------------------


class _LineNumberArea(QWidget):
    def __init__(self, editor: JsonEditor) -> None:
        super().__init__(editor)
        self._editor = editor
        self.setObjectName("dataEditorGutter")
        # Its background is its palette's Window colour (set by the editor), filled by
        # Qt: QPainter.fillRect from Python would first create QGradient's Python types.
        self.setAutoFillBackground(True)

    def sizeHint(self) -> QSize:
        return QSize(self._editor.gutter_width(), 0)

    def paintEvent(self, event: QPaintEvent) -> None:
        self._editor._paint_gutter(event)


_UNSET: Final[Any] = object()


class JsonEditor(QPlainTextEdit):
    """The JSON editor (see the module docstring).

    Signals:
        validity_changed(FieldError | None): the result of live validation changed
            (None: valid JSON).  Blank text is reported as an error too
            (``check_json``'s "Data is required").
        message(str): something to tell the user (a file was opened or refused,
            formatting was refused, a large document was replaced).
        notice_changed(str): the notice shown under the text changed ("" when none):
            highlighting off, a shortened long line, loading progress.
        loading_changed(bool): a large text started / finished loading in slices.
    """

    validity_changed = Signal(object)
    message = Signal(str)
    notice_changed = Signal(str)
    loading_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setStyleHint(QFont.StyleHint.Monospace)
        self.setFont(font)
        self.setTabStopDistance(INDENT * self.fontMetrics().horizontalAdvance(" "))
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setPlaceholderText('Any JSON value, e.g. {"question": "How are you?"}')
        self.setAcceptDrops(True)

        self._generation = 0
        self._cache: tuple[int, str] | None = None
        self._shadow: str | None = None  # the full text while a shortened one is shown
        self._long_lines: dict[int, int] = {}
        self._load: _Load | None = None
        self._swap_undo: str | None = None
        self._applying = False
        self._user_read_only = False
        self._busy: set[str] = set()
        self._jobs: dict[str, _Job] = {}
        self._revalidate = False
        self._error: FieldError | None = _UNSET
        self._valid_generation = -1  # the text of this generation was checked: valid JSON
        self._error_selection: QTextEdit.ExtraSelection | None = None
        self._bracket_selections: list[QTextEdit.ExtraSelection] = []
        self._error_label: QLabel | None = None
        self._notice_text = ""
        self._open_dir = ""

        self.gutter = _LineNumberArea(self)
        self.notice_label = QLabel(self)
        self.notice_label.setObjectName("dataEditorNotice")
        self.notice_label.setWordWrap(True)
        self.notice_label.setTextFormat(Qt.TextFormat.RichText)
        self.notice_label.setContentsMargins(6, 2, 6, 2)
        self.notice_label.setAutoFillBackground(True)
        self.notice_label.setFont(QApplication.font())
        self.notice_label.linkActivated.connect(self._on_notice_link)
        self.notice_label.hide()

        self._highlighter = JsonHighlighter(self)
        self._highlighter.set_palette(self.palette())
        self._highlighter.setDocument(self.document())
        self._colors: dict[str, QColor] = {}
        self._update_colors()

        self._validate_timer = QTimer(self)
        self._validate_timer.setSingleShot(True)
        self._validate_timer.setInterval(VALIDATE_DELAY_MS)
        self._validate_timer.timeout.connect(self.validate_now)
        self._load_timer = QTimer(self)
        self._load_timer.setInterval(0)
        self._load_timer.timeout.connect(self._load_slice)
        self._size_timer = QTimer(self)
        self._size_timer.setSingleShot(True)
        self._size_timer.setInterval(0)
        self._size_timer.timeout.connect(self._check_size)

        self.format_action = self._make_action(
            "&Format JSON", "Ctrl+Shift+F", "formatJsonAction", self.format_document
        )
        self.minify_action = self._make_action(
            "&Minify JSON", "Ctrl+Shift+M", "minifyJsonAction", self.minify_document
        )
        self.open_action = self._make_action(
            "&Open JSON file…", "Ctrl+O", "openJsonAction", self.open_file_dialog
        )

        self.document().contentsChanged.connect(self._on_contents_changed)
        self.blockCountChanged.connect(self._update_gutter_width)
        self.updateRequest.connect(self._on_update_request)
        self.cursorPositionChanged.connect(self._on_cursor_moved)
        self._update_gutter_width()
        self._refresh_selections()

    def _make_action(
        self, text: str, shortcut: str, name: str, slot: Callable[[], object]
    ) -> QAction:
        action = QAction(self)  # QAction(text, parent) makes PySide build QIcon's type (~2 ms)
        action.setText(text)
        action.setObjectName(name)
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    # -- text in and out ----------------------------------------------------------

    def toPlainText(self) -> str:
        """The whole text, byte-exact (also while loading or showing a shortened line).

        Unlike ``QPlainTextEdit.toPlainText`` a no-break space stays a no-break space.
        """
        if self._load is not None:
            return self._load.full
        if self._shadow is not None:
            return self._shadow
        if self._cache is not None and self._cache[0] == self._generation:
            return self._cache[1]
        text = self.document().toRawText().replace("\u2029", "\n")
        self._cache = (self._generation, text)
        return text

    def setPlainText(self, text: str) -> None:
        """Replace the text (not undoable, like Qt's); large text loads in slices."""
        self.replace_text(text, undoable=False)

    def clear(self) -> None:
        self.replace_text("", undoable=False)

    def setReadOnly(self, ro: bool) -> None:
        self._user_read_only = ro
        self._apply_read_only()

    def _apply_read_only(self) -> None:
        ro = self._user_read_only or self._load is not None or self._shadow is not None
        super().setReadOnly(ro)

    def is_loading(self) -> bool:
        """True while a large text is being put into the document."""
        return self._load is not None

    def is_busy(self) -> bool:
        """True while loading, validating or formatting is in progress."""
        return self._load is not None or bool(self._busy) or self._validate_timer.isActive()

    def is_shortened(self) -> bool:
        """True when a line too long to show is displayed shortened (read-only)."""
        return self._shadow is not None

    def highlighting_enabled(self) -> bool:
        return self._highlighter.document() is not None

    def notice(self) -> str:
        """The notice shown under the text, as plain text ("" when none)."""
        return self._notice_text

    def replace_text(
        self,
        text: str,
        *,
        undoable: bool = True,
        message: str | None = None,
        cursor_at: tuple[int, int] | None = None,
        allow_long_lines: bool = False,
    ) -> None:
        """Replace the whole text; undoable (Ctrl+Z) unless ``undoable`` is False.

        Small text is replaced in one Qt edit block.  Large text (or a large
        document being replaced) is loaded in slices, and the previous text is
        kept as a one-step snapshot that Ctrl+Z restores.
        """
        text = _normalize_newlines(text)
        previous = self.toPlainText() if undoable else ""
        self._cancel_load()
        shortened = None if allow_long_lines else _shorten_long_lines(text)
        shown = shortened[0] if shortened else text
        big = (
            len(shown) > CHUNK_LIMIT
            or self.document().characterCount() > CHUNK_LIMIT
            or shortened is not None
            or self._shadow is not None
        )
        self._shadow = text if shortened else None
        self._long_lines = shortened[1] if shortened else {}
        if not undoable:
            self._swap_undo = None
        if big:
            if undoable and previous:
                self._swap_undo = previous
            self._start_load(_Load(text, shown, cursor_at, message))
            return
        self._applying = True
        try:
            self._set_highlighting(len(shown) <= HIGHLIGHT_LIMIT)
            if undoable:
                cursor = QTextCursor(self.document())
                cursor.beginEditBlock()
                cursor.select(QTextCursor.SelectionType.Document)
                cursor.insertText(shown)
                cursor.endEditBlock()
                cursor.setPosition(0)
                self.setTextCursor(cursor)
            else:
                super().setPlainText(shown)
        finally:
            self._applying = False
        self._apply_read_only()
        if cursor_at is not None:
            self.move_cursor_to(*cursor_at)
        self._update_notice()
        self._schedule_validation(immediately=True)
        if message:
            self.message.emit(message)

    # -- slice loading ------------------------------------------------------------

    def _start_load(self, load: _Load) -> None:
        self._applying = True
        try:
            super().clear()
            self.document().setUndoRedoEnabled(False)
            self._set_highlighting(len(load.shown) <= HIGHLIGHT_LIMIT)
        finally:
            self._applying = False
        self._load = load
        self._apply_read_only()
        self._update_notice()
        self.loading_changed.emit(True)
        self._load_timer.start()

    def _cancel_load(self) -> None:
        if self._load is None:
            return
        self._load = None
        self._load_timer.stop()
        self.document().setUndoRedoEnabled(True)
        self.loading_changed.emit(False)

    @Slot()
    def _load_slice(self) -> None:
        load = self._load
        if load is None:
            self._load_timer.stop()
            return
        deadline = time.perf_counter() + SLICE_MS / 1000
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        shown = load.shown
        self._applying = True
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
            self._applying = False
        if load.pos < len(shown):
            self._update_notice()
            return
        self._load = None
        self._load_timer.stop()
        self.document().setUndoRedoEnabled(True)
        self._apply_read_only()
        if self._shadow is None:
            self._cache = (self._generation, load.full)
        if load.cursor_at is not None:
            self.move_cursor_to(*load.cursor_at)
        else:
            start = QTextCursor(self.document())
            self.setTextCursor(start)
        self._update_notice()
        self.loading_changed.emit(False)
        self._schedule_validation(immediately=True)
        if load.message:
            self.message.emit(load.message)

    # -- undo of large replacements ---------------------------------------------------

    def undo(self) -> None:
        if not self.document().isUndoAvailable() and self._swap_undo is not None:
            previous, self._swap_undo = self._swap_undo, None
            self.replace_text(previous, undoable=False, message="Restored the previous text")
            return
        super().undo()

    # -- keys -------------------------------------------------------------------------

    def event(self, e: QEvent) -> bool:
        if (
            e.type() == QEvent.Type.ShortcutOverride
            and isinstance(e, QKeyEvent)
            and _is_ctrl_enter(e)
        ):
            # Let the window's Send shortcut have Ctrl+Enter.
            e.ignore()
            return False
        return super().event(e)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if _is_ctrl_enter(event):
            event.ignore()
            return
        if event.matches(QKeySequence.StandardKey.Undo) and (
            not self.document().isUndoAvailable() and self._swap_undo is not None
        ):
            self.undo()
            return
        if self.isReadOnly():
            super().keyPressEvent(event)
            return
        key = event.key()
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if key == Qt.Key.Key_Tab and mods == Qt.KeyboardModifier.NoModifier:
            if not self.tabChangesFocus():
                self._tab()
                return
        elif key == Qt.Key.Key_Backtab and not self.tabChangesFocus():
            self._indent_lines(dedent=True)
            return
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and mods in (
            Qt.KeyboardModifier.NoModifier,
            Qt.KeyboardModifier.ShiftModifier,  # Qt would insert U+2028, not JSON whitespace
        ):
            self._newline()
            return
        super().keyPressEvent(event)

    def _tab(self) -> None:
        cursor = self.textCursor()
        if cursor.hasSelection():
            doc = self.document()
            if doc.findBlock(cursor.selectionStart()) != doc.findBlock(cursor.selectionEnd()):
                self._indent_lines(dedent=False)
                return
        column = cursor.positionInBlock()
        if cursor.hasSelection():
            column = cursor.selectionStart() - cursor.block().position()
        cursor.insertText(" " * (INDENT - column % INDENT))
        self.setTextCursor(cursor)

    def _indent_lines(self, *, dedent: bool) -> None:
        cursor = self.textCursor()
        doc = self.document()
        first = doc.findBlock(cursor.selectionStart())
        last = doc.findBlock(cursor.selectionEnd())
        if cursor.hasSelection() and last != first and cursor.selectionEnd() == last.position():
            last = last.previous()  # a selection ending at a line start leaves that line alone
        edit = QTextCursor(doc)
        edit.beginEditBlock()
        block = first
        while block.isValid():
            text = block.text()
            if dedent:
                n = min(INDENT, len(text) - len(text.lstrip(" ")))
                if n:
                    edit.setPosition(block.position())
                    edit.setPosition(block.position() + n, QTextCursor.MoveMode.KeepAnchor)
                    edit.removeSelectedText()
            elif text.strip() or first == last:
                edit.setPosition(block.position())
                edit.insertText(" " * INDENT)
            if block == last:
                break
            block = block.next()
        edit.endEditBlock()

    def _newline(self) -> None:
        """Enter keeps the line's indentation, one level more after ``{`` or ``[``."""
        cursor = self.textCursor()
        cursor.beginEditBlock()
        if cursor.hasSelection():
            cursor.removeSelectedText()
        text = cursor.block().text()
        col = _utf16_to_index(text, cursor.positionInBlock())
        indent = text[: len(text) - len(text.lstrip(" \t"))]
        before = text[:col].rstrip()
        after = text[col:]
        if before.endswith(("{", "[")):
            inner = indent + " " * INDENT
            if after.lstrip().startswith(_PAIRS[before[-1]]):
                cursor.insertText("\n" + inner + "\n" + indent)
                cursor.movePosition(
                    QTextCursor.MoveOperation.Left, QTextCursor.MoveMode.MoveAnchor, len(indent) + 1
                )
            else:
                cursor.insertText("\n" + inner)
        else:
            cursor.insertText("\n" + indent[: len(indent) if col >= len(indent) else col])
        cursor.endEditBlock()
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    # -- paste and drop ----------------------------------------------------------------

    def insertFromMimeData(self, source: QMimeData) -> None:
        text = source.text() if source.hasText() else ""
        if text and (len(text) > CHUNK_LIMIT or _shorten_long_lines(text) is not None):
            self._insert_large(_normalize_newlines(text))
            return
        super().insertFromMimeData(source)

    def _insert_large(self, text: str) -> None:
        full = self.toPlainText()
        cursor = self.textCursor()
        start = self._str_offset(full, cursor.selectionStart())
        end = self._str_offset(full, cursor.selectionEnd())
        new = full[:start] + text + full[end:]
        self.replace_text(
            new,
            undoable=True,
            cursor_at=position(new, start + len(text)),
            message=f"Pasted {_size_text(len(text))}",
        )

    def _str_offset(self, full: str, doc_pos: int) -> int:
        """The index in ``full`` of a document position (they differ after astral chars)."""
        if full.isascii() or not _ASTRAL_RE.search(full):
            return min(doc_pos, len(full))
        block = self.document().findBlock(doc_pos)
        start = 0
        for _ in range(block.blockNumber()):
            start = full.index("\n", start) + 1
        return start + _utf16_to_index(block.text(), doc_pos - block.position())

    @staticmethod
    def _local_files(mime: QMimeData) -> list[str] | None:
        """Paths of the dropped URLs; None when the drop is not URLs at all."""
        if not mime.hasUrls():
            return None
        return [u.toLocalFile() if u.isLocalFile() else "" for u in mime.urls()]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._local_files(event.mimeData()) is not None:
            event.acceptProposedAction()
            return
        super().dragEnterEvent(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self._local_files(event.mimeData()) is not None:
            event.acceptProposedAction()
            return
        super().dragMoveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        files = self._local_files(event.mimeData())
        if files is None:
            super().dropEvent(event)
            return
        event.acceptProposedAction()
        if len(files) != 1:
            self.message.emit("Drop one file at a time; the editor was not changed")
        elif not files[0]:
            self.message.emit("Only local files can be dropped here; the editor was not changed")
        else:
            self.open_file(files[0])

    # -- files ------------------------------------------------------------------------

    def open_file_dialog(self) -> None:
        from PySide6.QtWidgets import QFileDialog  # here: its Python type costs start-up

        path, _filter = QFileDialog.getOpenFileName(
            self, "Open JSON file", self._open_dir, "JSON files (*.json);;All files (*)"
        )
        if path:
            self.open_file(path)

    def open_file(self, path: str | Path) -> bool:
        """Load a UTF-8 JSON file (a BOM is dropped); undoable with Ctrl+Z.

        A file that cannot be read, is not UTF-8, is empty or is not valid
        JSON is refused: :attr:`message` says why, the text is unchanged, and
        the result is False.  A file over :data:`INLINE_LIMIT` characters is
        checked on a worker thread: the result is True, and the text is
        replaced (or the refusal reported) when the check is done.
        """
        p = Path(path)
        name = p.name or str(p)
        self._open_dir = str(p.parent)

        def refuse(why: str) -> bool:
            self.message.emit(f"Cannot open {name}: {why}. The editor was not changed.")
            return False

        try:
            size = p.stat().st_size
            if size > MAX_OPEN_BYTES:
                return refuse(
                    f"it is {_size_text(size)}, more than the {_size_text(MAX_OPEN_BYTES)} limit"
                )
            raw = p.read_bytes()
        except IsADirectoryError:
            return refuse("it is a folder")
        except OSError as exc:
            return refuse(exc.strerror or str(exc))
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            return refuse("it is UTF-16 text; save it as UTF-8")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            bad = raw[exc.start : exc.start + 1].hex()
            return refuse(f"it is not UTF-8 text (byte 0x{bad} at offset {exc.start})")
        if not text or text.isspace():
            return refuse("the file is empty")
        opened = f"Opened {name} ({_size_text(len(raw))}); Ctrl+Z brings back the previous text"
        if len(text) > INLINE_LIMIT:
            # Check it on a worker thread; the text is replaced only if it is JSON.
            job = self._new_job("open", check_json, text)
            job.context = (name, text, opened)
            self._jobs.pop("open", None)  # a newer open wins
            self._jobs["open"] = job
            self._busy.add("open")
            _start_job(job)
            self._update_notice()
            return True
        problem = check_json(text)
        if problem is not None:
            return refuse(f"it is not valid JSON ({problem.describe()})")
        self.replace_text(text, undoable=True, message=opened)
        return True

    def _opened(self, job: _Job) -> None:
        name, text, opened = job.context
        if job.error is not None:
            self.message.emit(f"Cannot open {name}: {job.error}. The editor was not changed.")
        elif job.result is not None:
            self.message.emit(
                f"Cannot open {name}: it is not valid JSON ({job.result.describe()}). "
                "The editor was not changed."
            )
        else:
            self.replace_text(text, undoable=True, message=opened)

    # -- format and minify ------------------------------------------------------------

    def format_document(self) -> bool:
        """Re-indent the JSON (4 spaces); False if refused (invalid JSON, busy)."""
        return self._reformat("format", lambda t: format_json(t, INDENT), "Formatted")

    def minify_document(self) -> bool:
        """Remove the whitespace between tokens; False if refused."""
        return self._reformat("minify", minify_json, "Minified")

    def _reformat(self, kind: str, func: Callable[[str], str], done: str) -> bool:
        if kind in self._busy:
            return False
        text = self.toPlainText()
        if len(text) <= INLINE_LIMIT:
            try:
                result = func(text)
            except ValidationError as exc:
                self._refuse_reformat(kind, exc)
                return False
            self._apply_reformat(text, result, done)
            return True
        self._busy.add(kind)
        self._jobs[kind] = self._new_job(kind, func, text)
        _start_job(self._jobs[kind])
        self._update_notice()
        return True

    def _refuse_reformat(self, kind: str, exc: ValidationError) -> None:
        field = exc.fields[0] if exc.fields else FieldError("data", str(exc))
        self._apply_validity(field)
        if field.line is not None and field.column is not None:
            self.move_cursor_to(field.line, field.column)
        self.message.emit(f"Cannot {kind}: {field.describe()}")

    def _apply_reformat(self, before: str, result: str, done: str) -> None:
        if result == before:
            self.message.emit(f"{done}: nothing to change")
            return
        self.replace_text(result, undoable=True, message=f"{done} (Ctrl+Z to undo)")

    # -- validation -------------------------------------------------------------------

    def set_error_label(self, label: QLabel | None) -> None:
        """Show live validation in ``label`` ("⚠ line L, column C: message"; hidden when OK).

        Blank text hides the label too (it is not an error worth shouting about
        while typing; Send still reports it).
        """
        self._error_label = label
        self._update_error_label()

    def is_known_valid(self) -> bool:
        """True when the current text has been checked (``check_json``) and is valid JSON:
        Send need not parse it again (5 MB: ~0.1 s on the GUI thread; B6)."""
        return self._load is None and self._valid_generation == self._generation

    def current_error(self) -> FieldError | None:
        """The last validation result (None: valid, or not validated yet)."""
        return None if self._error is _UNSET else self._error

    def validate_now(self) -> None:
        """Validate the current text now (inline if small, else on a worker thread)."""
        self._validate_timer.stop()
        if self._load is not None:
            return
        if "validate" in self._jobs:
            self._revalidate = True
            return
        text = self.toPlainText()
        if len(text) <= INLINE_LIMIT:
            self._apply_validity(check_json(text), self._generation)
            return
        self._busy.add("validate")
        self._jobs["validate"] = self._new_job("validate", check_json, text)
        _start_job(self._jobs["validate"])

    def _schedule_validation(self, *, immediately: bool = False) -> None:
        if self._load is not None:
            return
        self._validate_timer.start(0 if immediately else VALIDATE_DELAY_MS)

    def _apply_validity(self, error: FieldError | None, generation: int = -1) -> None:
        """Show a validation result; ``generation``: the text it is for, when it is the
        whole text's check_json result."""
        self._valid_generation = generation if error is None else -1
        self._error_selection = self._make_error_selection(error)
        self._refresh_selections()
        changed = self._error is _UNSET or error != self._error
        self._error = error
        self._update_error_label()
        if changed:
            self.validity_changed.emit(error)

    def _make_error_selection(self, error: FieldError | None) -> QTextEdit.ExtraSelection | None:
        if error is None or error.line is None or error.column is None:
            return None
        pos = self._doc_position(error.line, error.column)
        if pos is None:
            return None
        doc = self.document()
        end = doc.characterCount() - 1
        cursor = QTextCursor(doc)
        if pos >= end or doc.characterAt(pos) == "\u2029":
            # At a line end or the end of the text: underline the character before.
            if pos == 0:
                return None
            cursor.setPosition(pos - 1)
            cursor.setPosition(pos, QTextCursor.MoveMode.KeepAnchor)
        else:
            cursor.setPosition(pos)
            cursor.setPosition(pos + 1, QTextCursor.MoveMode.KeepAnchor)
        sel = QTextEdit.ExtraSelection()
        fmt = QTextCharFormat()
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        fmt.setUnderlineColor(self._colors["error"])
        fmt.setToolTip(error.describe())
        sel.format = fmt
        sel.cursor = cursor
        return sel

    def _update_error_label(self) -> None:
        label = self._error_label
        if label is None or not shiboken6.isValid(label):
            return
        error = None if self._error is _UNSET else self._error
        if error is None or not self.toPlainText().strip():
            label.clear()
            label.hide()
            return
        label.setText("⚠ " + error.describe())
        label.setStyleSheet(f"color: {ERROR_RED};")
        label.show()

    def _new_job(self, kind: str, func: Callable[[str], Any], text: str) -> _Job:
        return _Job(kind, self._generation, func, text, weakref.ref(self))

    def _job_finished(self, job: _Job) -> None:
        if self._jobs.get(job.kind) is not job:
            return
        del self._jobs[job.kind]
        self._busy.discard(job.kind)
        current = job.generation == self._generation
        if job.kind == "open":
            self._opened(job)
        elif job.kind == "validate":
            if current and job.error is None:
                self._apply_validity(job.result, job.generation)
            if self._revalidate or not current:
                self._revalidate = False
                self._schedule_validation(immediately=True)
        elif not current:
            done = "formatted" if job.kind == "format" else "minified"
            self.message.emit(f"The text changed while it was being {done}; try again")
        elif isinstance(job.error, ValidationError):
            self._refuse_reformat(job.kind, job.error)
        elif job.error is not None:
            self.message.emit(f"Cannot {job.kind}: {job.error}")
        else:
            before = self.toPlainText()
            self._apply_reformat(
                before, job.result, "Formatted" if job.kind == "format" else "Minified"
            )
        self._update_notice()

    # -- cursor positions -------------------------------------------------------------

    def _doc_position(self, line: int, column: int) -> int | None:
        """Document position of a 1-based (line, column in characters); None if hidden."""
        doc = self.document()
        block = doc.findBlockByNumber(max(0, line - 1))
        if not block.isValid():
            return doc.characterCount() - 1
        text = block.text()
        index = max(0, column - 1)
        if line in self._long_lines and index > PREVIEW_HEAD:
            return None
        index = min(index, len(text))
        return block.position() + _utf16_len(text[:index])

    def move_cursor_to(self, line: int, column: int) -> None:
        """Put the cursor at a 1-based line and column (columns count characters)."""
        pos = self._doc_position(line, column)
        if pos is None:
            pos = self.document().findBlockByNumber(line - 1).position()
        cursor = self.textCursor()
        cursor.setPosition(pos)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    # -- reacting to edits --------------------------------------------------------------

    @Slot()
    def _on_contents_changed(self) -> None:
        self._generation += 1
        if self._applying or self._load is not None:
            return
        self._schedule_validation()
        self._size_timer.start()

    @Slot()
    def _check_size(self) -> None:
        if self._load is not None:
            return
        n = self.document().characterCount()
        if self.highlighting_enabled() and n > HIGHLIGHT_LIMIT:
            self._set_highlighting(False)
            self._update_notice()
        elif not self.highlighting_enabled() and n <= HIGHLIGHT_LIMIT * 0.9:
            self._set_highlighting(True)
            self._update_notice()

    def _set_highlighting(self, on: bool) -> None:
        doc = self.document() if on else None
        if self._highlighter.document() is not doc:
            self._highlighter.setDocument(doc)

    # -- notice -----------------------------------------------------------------------

    def _update_notice(self) -> None:
        parts: list[str] = []
        plain: list[str] = []
        if self._load is not None:
            done = 100 * self._load.pos // max(1, len(self._load.shown))
            msg = f"Loading {_size_text(len(self._load.full))}… {done} %"
            parts.append(msg)
            plain.append(msg)
        if "open" in self._busy:
            msg = f"Checking {self._jobs['open'].context[0]}…"
            parts.append(msg)
            plain.append(msg)
        if self._busy & {"format", "minify"}:
            msg = "Formatting…" if "format" in self._busy else "Minifying…"
            parts.append(msg)
            plain.append(msg)
        if self._shadow is not None and self._long_lines:
            link = self._colors["link"].name()
            line, length = next(iter(self._long_lines.items()))
            more = len(self._long_lines) - 1
            others = f" (and {more} more such line{'s' * (more > 1)})" if more else ""
            msg = (
                f"Line {line} has {length:,} characters{others}, too long to show: it is shown "
                "shortened and read-only. The full text is kept, checked, formatted and sent "
                "unchanged."
            )
            plain.append(msg + " Show in full (may pause the window) · Clear")
            parts.append(
                f'{msg} <a href="full" style="color: {link}">Show in full</a> '
                f'(may pause the window) · <a href="clear" style="color: {link}">Clear</a>'
            )
        if not self.highlighting_enabled():
            msg = (
                f"Syntax highlighting is off for text over {_size_text(HIGHLIGHT_LIMIT)}"
                " (keeps typing fast)."
            )
            parts.append(msg)
            plain.append(msg)
        text = " ".join(plain)
        self.notice_label.setText("<br>".join(parts))
        self.notice_label.setVisible(bool(parts))
        self._layout_chrome()
        if text != self._notice_text:
            self._notice_text = text
            self.notice_changed.emit(text)

    @Slot(str)
    def _on_notice_link(self, link: str) -> None:
        if link == "full" and self._shadow is not None:
            self.replace_text(self._shadow, undoable=False, allow_long_lines=True)
        elif link == "clear":
            self.replace_text("", undoable=True, message="Cleared; Ctrl+Z brings the text back")

    # -- colours ------------------------------------------------------------------------

    def changeEvent(self, e: QEvent) -> None:
        super().changeEvent(e)
        if not hasattr(self, "_colors"):
            return
        if e.type() == QEvent.Type.PaletteChange:
            self._update_colors()
            if self._highlighter.set_palette(self.palette()) and self.highlighting_enabled():
                self._highlighter.rehighlight()
        elif e.type() == QEvent.Type.FontChange:
            self.setTabStopDistance(INDENT * self.fontMetrics().horizontalAdvance(" "))
            self._layout_chrome()
        elif e.type() == QEvent.Type.StyleChange:
            self._layout_chrome()

    def _update_colors(self) -> None:
        pal = self.palette()
        base = pal.color(QPalette.ColorRole.Base)
        text = pal.color(QPalette.ColorRole.Text)
        highlight = pal.color(QPalette.ColorRole.Highlight)
        dark = _is_dark(base)
        self._colors = {
            "line": _mix(base, highlight, 0.16 if dark else 0.09),
            "bracket": _mix(base, highlight, 0.40),
            "unmatched": _mix(base, QColor(ERROR_RED), 0.45),
            "error": _readable(5, 0.85, base, 3.0),
            "gutter": _mix(base, pal.color(QPalette.ColorRole.Window), 0.6),
            "gutter_text": _mix(text, base, 0.45),
            "gutter_current": text,
            "notice": _mix(base, highlight, 0.18),
        }
        self._colors["link"] = _readable(212, 0.8, self._colors["notice"])
        notice_pal = self.notice_label.palette()
        notice_pal.setColor(QPalette.ColorRole.Window, self._colors["notice"])
        notice_pal.setColor(QPalette.ColorRole.WindowText, text)
        self.notice_label.setPalette(notice_pal)
        gutter_pal = self.gutter.palette()
        gutter_pal.setColor(QPalette.ColorRole.Window, self._colors["gutter"])
        self.gutter.setPalette(gutter_pal)
        self.gutter.update()
        if self._error is not _UNSET:
            self._error_selection = self._make_error_selection(self._error)
        self._on_cursor_moved()
        self._update_notice()  # its links carry a colour

    def syntax_colors(self) -> dict[str, QColor]:
        """The highlighter's colours (string, key, number, literal, punctuation)."""
        return dict(self._highlighter.colors)

    # -- current line and brackets ----------------------------------------------------------

    @Slot()
    def _on_cursor_moved(self) -> None:
        self._bracket_selections = [] if self._load is not None else self._match_brackets()
        self._refresh_selections()

    def _refresh_selections(self) -> None:
        line = QTextEdit.ExtraSelection()
        fmt = QTextCharFormat()
        fmt.setBackground(self._colors["line"])
        fmt.setProperty(QTextFormat.Property.FullWidthSelection, True)
        line.format = fmt
        cursor = self.textCursor()
        cursor.clearSelection()
        line.cursor = cursor
        selections = [line, *self._bracket_selections]
        if self._error_selection is not None:
            selections.append(self._error_selection)
        self.setExtraSelections(selections)

    def bracket_match(self) -> tuple[int, int | None] | None:
        """Document positions (bracket at the cursor, its match or None if unmatched)."""
        cursor = self.textCursor()
        block = cursor.block()
        if block.length() > BRACKET_SCAN_LIMIT:
            return None  # too long a line to tokenise at every cursor move
        text = block.text()
        col = _utf16_to_index(text, cursor.positionInBlock())
        brackets = _brackets(text)
        at = {i: ch for i, ch in brackets}
        for index in (col - 1, col):
            ch = at.get(index)
            if ch is None:
                continue
            where = block.position() + _utf16_len(text[:index])
            found = self._scan(block, brackets, index, ch)
            if found is False:
                return None
            return where, found
        return None

    def _scan(
        self, block: QTextBlock, brackets: list[tuple[int, str]], index: int, ch: str
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
                    if c != _PAIRS[ch]:
                        return None
                    return block.position() + _utf16_len(block.text()[:i])
            scanned += block.length()
            if scanned > BRACKET_SCAN_LIMIT:
                return False
            block = block.next() if forward else block.previous()
            if not block.isValid():
                return None
            found = _brackets(block.text())
            todo = found if forward else list(reversed(found))

    def _match_brackets(self) -> list[QTextEdit.ExtraSelection]:
        match = self.bracket_match()
        if match is None:
            return []
        here, there = match
        out: list[QTextEdit.ExtraSelection] = []
        color = self._colors["bracket" if there is not None else "unmatched"]
        for pos in (here, there):
            if pos is None:
                continue
            sel = QTextEdit.ExtraSelection()
            fmt = QTextCharFormat()
            fmt.setBackground(color)
            cursor = QTextCursor(self.document())
            cursor.setPosition(pos)
            cursor.setPosition(pos + 1, QTextCursor.MoveMode.KeepAnchor)
            sel.format = fmt
            sel.cursor = cursor
            out.append(sel)
        return out

    # -- gutter and notice layout ------------------------------------------------------------

    def gutter_width(self) -> int:
        digits = len(str(max(1, self.blockCount())))
        return 10 + self.fontMetrics().horizontalAdvance("9") * max(2, digits)

    @Slot()
    def _update_gutter_width(self) -> None:
        self._layout_chrome()

    def _layout_chrome(self) -> None:
        cr = self.contentsRect()
        gw = self.gutter_width()
        nh = 0
        if self.notice_label.isVisibleTo(self):
            nh = self.notice_label.heightForWidth(max(50, cr.width()))
        self.setViewportMargins(gw, 0, 0, nh)
        vp = self._viewport_rect(cr, gw, nh)
        self.gutter.setGeometry(QRect(cr.left(), vp.top(), gw, vp.height()))
        if nh:
            self.notice_label.setGeometry(
                QRect(cr.left(), vp.bottom() + 1, vp.right() - cr.left() + 1, nh)
            )

    def _viewport_rect(self, cr: QRect, left: int, bottom: int) -> QRect:
        """``viewport().geometry()`` with these margins, worked out from the scroll bars:
        the first ``viewport()`` call makes PySide create the Python type of every
        QWidget subclass (~10 ms), at start-up before the first frame."""
        right = cr.right()
        end = cr.bottom() + 1
        origin = QPoint(0, 0)
        vertical = self.verticalScrollBar()
        if vertical.isVisibleTo(self):
            right = vertical.mapTo(self, origin).x() - 1
        horizontal = self.horizontalScrollBar()
        if horizontal.isVisibleTo(self):
            end = horizontal.mapTo(self, origin).y()
        return QRect(
            cr.left() + left, cr.top(), right - cr.left() - left + 1, end - bottom - cr.top()
        )

    @Slot(QRect, int)
    def _on_update_request(self, rect: QRect, dy: int) -> None:
        if dy:
            self.gutter.scroll(0, dy)
        else:
            self.gutter.update(0, rect.y(), self.gutter.width(), rect.height())

    def resizeEvent(self, e: QResizeEvent) -> None:
        super().resizeEvent(e)
        self._layout_chrome()

    def _paint_gutter(self, event: QPaintEvent) -> None:
        painter = QPainter(self.gutter)
        block = self.firstVisibleBlock()
        number = block.blockNumber()
        offset = self.contentOffset()
        top = round(self.blockBoundingGeometry(block).translated(offset).top())
        bottom = top + round(self.blockBoundingRect(block).height())
        current = self.textCursor().blockNumber()
        width = self.gutter.width() - 5
        height = self.fontMetrics().height()
        clip = event.rect()
        while block.isValid() and top <= clip.bottom():
            if block.isVisible() and bottom >= clip.top():
                painter.setPen(
                    self._colors["gutter_current" if number == current else "gutter_text"]
                )
                painter.drawText(
                    QRect(0, top, width, height), int(Qt.AlignmentFlag.AlignRight), str(number + 1)
                )
            block = block.next()
            top = bottom
            bottom = top + round(self.blockBoundingRect(block).height())
            number += 1
        painter.end()

    # -- context menu ------------------------------------------------------------------------

    def contextMenuEvent(self, e: QContextMenuEvent) -> None:
        menu = self.createStandardContextMenu(e.pos())
        menu.addSeparator()
        menu.addAction(self.format_action)
        menu.addAction(self.minify_action)
        menu.addAction(self.open_action)
        menu.exec(e.globalPos())
        menu.deleteLater()


def _is_ctrl_enter(e: QKeyEvent) -> bool:
    mods = e.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    return e.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and bool(
        mods & Qt.KeyboardModifier.ControlModifier
    )


def _brackets(text: str) -> list[tuple[int, str]]:
    """(index, bracket) of the brackets outside strings in one line."""
    if not any(c in text for c in "[]{}"):
        return []
    return [(m.start(), m.group()) for m in _BRACKET_RE.finditer(text) if m.group()[0] != '"']
