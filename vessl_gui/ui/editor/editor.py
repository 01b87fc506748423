"""The JSON editor widget for the request ``data`` (``objectName`` ``dataEditor`` in
the composer).  It wires the parts of this package together; what it does is
described in the package's docstring (:mod:`vessl_gui.ui.editor`)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, Qt, QTimer, Signal, Slot
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QFontDatabase,
    QKeyEvent,
    QKeySequence,
    QPalette,
    QResizeEvent,
)
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QTextEdit, QWidget

from vessl_gui.core.errors import FieldError
from vessl_gui.ui.editor.brackets import bracket_match, bracket_selections, current_line
from vessl_gui.ui.editor.checks import Checks
from vessl_gui.ui.editor.gutter import LineNumberArea, gutter_width, lay_out_margins
from vessl_gui.ui.editor.highlighter import JsonHighlighter
from vessl_gui.ui.editor.keys import (
    INDENT,
    handle_key,
    is_ctrl_enter,
    leaves_field,
    make_action,
)
from vessl_gui.ui.editor.loading import Loader
from vessl_gui.ui.editor.notice import Notice, notice_lines
from vessl_gui.ui.editor.opening import Opener, local_files
from vessl_gui.ui.editor.palette import editor_colors


class JsonEditor(QPlainTextEdit):
    """The JSON editor (see the package docstring).

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
        # Read after the name by screen readers: how to get out of a field that keeps Tab.
        self.setAccessibleDescription(
            "Tab and Shift+Tab indent; Ctrl+Tab and Ctrl+Shift+Tab move to the next or"
            " previous field"
        )

        self._bracket_selections: list[QTextEdit.ExtraSelection] = []
        self._loader = Loader(
            self,
            message=self.message,
            loading_changed=self.loading_changed,
            set_highlighting=self._set_highlighting,
            on_notice=self._update_notice,
            on_replaced=lambda: self._checks.schedule(immediately=True),
        )
        self._checks = Checks(
            self,
            self._loader,
            validity_changed=self.validity_changed,
            message=self.message,
            on_selections=self._refresh_selections,
            on_busy=self._update_notice,
        )
        self._opener = Opener(
            self, self._loader, self._checks, message=self.message, on_busy=self._update_notice
        )
        self.gutter = LineNumberArea(self)
        self._notice = Notice(self, self._on_notice_link)
        self.notice_label = self._notice.label
        # Its links ("Show in full", "Clear") by keyboard too: Ctrl+Tab from the text
        # reaches the notice, Tab then goes from link to link, Enter follows one.
        self.notice_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )

        self._highlighter = JsonHighlighter(self)
        self._highlighter.set_palette(self.palette())
        self._highlighter.setDocument(self.document())
        self._colors: dict[str, QColor] = {}
        self._update_colors()

        self._size_timer = QTimer(self)
        self._size_timer.setSingleShot(True)
        self._size_timer.setInterval(0)
        self._size_timer.timeout.connect(self._check_size)

        self.format_action = make_action(
            self, "&Format JSON", "Ctrl+Shift+F", "formatJsonAction", self.format_document
        )
        self.minify_action = make_action(
            self, "&Minify JSON", "Ctrl+Shift+M", "minifyJsonAction", self.minify_document
        )
        self.open_action = make_action(
            self, "&Open JSON file…", "Ctrl+O", "openJsonAction", self.open_file_dialog
        )

        self.document().contentsChanged.connect(self._on_contents_changed)
        self.blockCountChanged.connect(self._update_gutter_width)
        self.updateRequest.connect(self.gutter.follow)
        self.cursorPositionChanged.connect(self._on_cursor_moved)
        self._update_gutter_width()
        self._refresh_selections()

    # -- text in and out ----------------------------------------------------------

    def toPlainText(self) -> str:
        """The whole text, byte-exact (also while loading or showing a shortened line).

        Unlike ``QPlainTextEdit.toPlainText`` a no-break space stays a no-break space.
        """
        return self._loader.text()

    def setPlainText(self, text: str) -> None:
        """Replace the text (not undoable, like Qt's); large text loads in slices."""
        self.replace_text(text, undoable=False)

    def clear(self) -> None:
        self.replace_text("", undoable=False)

    def setReadOnly(self, ro: bool) -> None:
        self._loader.set_read_only(ro)

    def is_loading(self) -> bool:
        """True while a large text is being put into the document."""
        return self._loader.load is not None

    def is_busy(self) -> bool:
        """True while loading, validating or formatting is in progress."""
        return self._loader.load is not None or self._checks.is_busy()

    def is_shortened(self) -> bool:
        """True when a line too long to show is displayed shortened (read-only)."""
        return self._loader.shadow is not None

    def highlighting_enabled(self) -> bool:
        return self._highlighter.document() is not None

    def notice(self) -> str:
        """The notice shown under the text, as plain text ("" when none)."""
        return self._notice.text

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
        self._loader.replace(
            text,
            undoable=undoable,
            message=message,
            cursor_at=cursor_at,
            allow_long_lines=allow_long_lines,
        )

    def undo(self) -> None:
        if not self._loader.restore():
            super().undo()

    def move_cursor_to(self, line: int, column: int) -> None:
        """Put the cursor at a 1-based line and column (columns count characters)."""
        self._loader.move_cursor_to(line, column)

    # -- keys, paste and drop ------------------------------------------------------

    def event(self, e: QEvent) -> bool:
        if (
            e.type() == QEvent.Type.ShortcutOverride
            and isinstance(e, QKeyEvent)
            and is_ctrl_enter(e)
        ):
            # Let the window's Send shortcut have Ctrl+Enter.
            e.ignore()
            return False
        return super().event(e)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if is_ctrl_enter(event):
            event.ignore()
            return
        if event.matches(QKeySequence.StandardKey.Undo) and self._loader.can_restore():
            self.undo()
            return
        if self.isReadOnly():
            if not leaves_field(self, event):  # (Tab itself leaves a read-only editor)
                super().keyPressEvent(event)
        elif not handle_key(self, event):
            super().keyPressEvent(event)

    def insertFromMimeData(self, source: QMimeData) -> None:
        if not self._loader.paste(source.text() if source.hasText() else ""):
            super().insertFromMimeData(source)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if local_files(event.mimeData()) is None:
            super().dragEnterEvent(event)
        else:
            event.acceptProposedAction()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if local_files(event.mimeData()) is None:
            super().dragMoveEvent(event)
        else:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        files = local_files(event.mimeData())
        if files is None:
            super().dropEvent(event)
            return
        event.acceptProposedAction()
        self._opener.open_dropped(files)

    # -- files, format and minify ------------------------------------------------------

    def open_file_dialog(self) -> None:
        self._opener.open_dialog()

    def open_file(self, path: str | Path) -> bool:
        """Load a UTF-8 JSON file (a BOM is dropped); undoable with Ctrl+Z.

        A file that cannot be read, is not UTF-8, is empty or is not valid
        JSON is refused: :attr:`message` says why, the text is unchanged, and
        the result is False.  A file over ``INLINE_LIMIT`` characters is
        checked on a worker thread: the result is True, and the text is
        replaced (or the refusal reported) when the check is done.
        """
        return self._opener.open(path)

    def format_document(self) -> bool:
        """Re-indent the JSON (4 spaces); False if refused (invalid JSON, busy)."""
        return self._checks.format_document()

    def minify_document(self) -> bool:
        """Remove the whitespace between tokens; False if refused."""
        return self._checks.minify_document()

    # -- validation -------------------------------------------------------------------

    def set_variable_names(self, names: frozenset[str] | None) -> None:
        """The service's variable names: other ``{{name}}`` references are marked."""
        self._checks.set_variable_names(names)

    def set_error_label(self, label: QLabel | None) -> None:
        """Show live validation in ``label`` ("⚠ line L, column C: message"; hidden when OK).

        Blank text hides the label too (it is not an error worth shouting about
        while typing; Send still reports it).
        """
        self._checks.set_error_label(label)

    def is_known_valid(self) -> bool:
        """True when the current text has been checked (``check_json``) and is valid JSON:
        Send need not parse it again (5 MB: ~0.1 s on the GUI thread; B6)."""
        return self._checks.is_known_valid()

    def current_error(self) -> FieldError | None:
        """The last validation result (None: valid, or not validated yet)."""
        return self._checks.current_error()

    def validate_now(self) -> None:
        """Validate the current text now (inline if small, else on a worker thread)."""
        self._checks.validate_now()

    # -- reacting to edits --------------------------------------------------------------

    @Slot()
    def _on_contents_changed(self) -> None:
        if self._loader.edited():
            self._checks.schedule()
            self._size_timer.start()

    @Slot()
    def _check_size(self) -> None:
        if self._loader.load is None and self._highlighter.follow_size(self.document()):
            self._update_notice()

    def _set_highlighting(self, on: bool) -> None:
        self._highlighter.switch(self.document(), on)

    # -- notice -----------------------------------------------------------------------

    def _update_notice(self) -> None:
        loader = self._loader
        changed = self._notice.show(
            notice_lines(
                loading=None if loader.load is None else loader.load.progress(),
                checking=self._opener.checking,
                reformatting=self._checks.reformatting(),
                long_lines=loader.long_lines if loader.shadow is not None else {},
                link=self._colors["link"].name(),
                highlighting=self.highlighting_enabled(),
            )
        )
        self._layout_chrome()
        if changed:
            self.notice_changed.emit(self._notice.text)

    @Slot(str)
    def _on_notice_link(self, link: str) -> None:
        shadow = self._loader.shadow
        if link == "full" and shadow is not None:
            self.replace_text(shadow, undoable=False, allow_long_lines=True)
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
        self._colors = editor_colors(pal)
        self._notice.set_colors(self._colors["notice"], pal.color(QPalette.ColorRole.Text))
        self.gutter.set_colors(self._colors)
        self._checks.recolor(self._colors["error"])
        self._on_cursor_moved()
        self._update_notice()  # its links carry a colour

    def syntax_colors(self) -> dict[str, QColor]:
        """The highlighter's colours (string, key, number, literal, punctuation)."""
        return dict(self._highlighter.colors)

    # -- current line and brackets ----------------------------------------------------------

    @Slot()
    def _on_cursor_moved(self) -> None:
        if self._loader.load is not None:
            self._bracket_selections = []
        else:
            self._bracket_selections = bracket_selections(
                self.document(), self.bracket_match(), self._colors
            )
        self._refresh_selections()

    def _refresh_selections(self) -> None:
        selections = [current_line(self.textCursor(), self._colors["line"])]
        selections += self._bracket_selections
        if self._checks.error_selection is not None:
            selections.append(self._checks.error_selection)
        self.setExtraSelections(selections)

    def bracket_match(self) -> tuple[int, int | None] | None:
        """Document positions (bracket at the cursor, its match or None if unmatched)."""
        return bracket_match(self.textCursor())

    # -- gutter and notice layout ------------------------------------------------------------

    def gutter_width(self) -> int:
        return gutter_width(self)

    @Slot()
    def _update_gutter_width(self) -> None:
        self._layout_chrome()

    def _layout_chrome(self) -> None:
        lay_out_margins(self, self.gutter, self.notice_label)

    def resizeEvent(self, e: QResizeEvent) -> None:
        super().resizeEvent(e)
        self._layout_chrome()

    # -- context menu ------------------------------------------------------------------------

    def contextMenuEvent(self, e: QContextMenuEvent) -> None:
        menu = self.createStandardContextMenu(e.pos())
        menu.addSeparator()
        menu.addAction(self.format_action)
        menu.addAction(self.minify_action)
        menu.addAction(self.open_action)
        menu.exec(e.globalPos())
        menu.deleteLater()


__all__ = ["JsonEditor"]
