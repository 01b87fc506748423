"""Live validation, Format and Minify, and the worker threads they (and Open) run on.

* validation runs while typing (debounced by :data:`VALIDATE_DELAY_MS`); the error
  is underlined in the text and shown in a label ("⚠ line L, column C: message");
* Format and Minify keep every key, number and string exactly as typed
  (:mod:`vessl_gui.core.jsonfmt`) and are undoable;
* up to :data:`INLINE_LIMIT` characters the work is done on the GUI thread; above,
  on a :class:`~vessl_gui.ui.background.Runner` per kind of job (a validation and a
  formatting may run at the same time), never waited for, so typing is never
  blocked.  A result is applied only if the text has not changed since it was
  taken (the document's generation); a validation asked for while one runs is
  run again after it, on the newer text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final, TypeVar

import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QTextEdit

from vessl_gui.core.errors import FieldError, ValidationError
from vessl_gui.core.jsonfmt import format_json, minify_json
from vessl_gui.core.validation import check_json
from vessl_gui.ui.editor.keys import INDENT
from vessl_gui.ui.editor.loading import Loader
from vessl_gui.ui.editor.palette import ERROR_RED

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from vessl_gui.ui.background import Done, Runner

T = TypeVar("T")

#: Validate / format / minify on the GUI thread up to this many characters.
INLINE_LIMIT: Final = 100 * 1024
#: Live validation waits this long after the last keystroke.
VALIDATE_DELAY_MS: Final = 300

_UNSET: Final[Any] = object()


class Checks:
    """The editor's validation state and its background jobs.

    ``on_selections()`` is called when :attr:`error_selection` changed (the editor
    shows it with its other extra selections); ``on_busy()`` when a job ended or a
    formatting started (the notice says what is under way).
    """

    def __init__(
        self,
        edit: QPlainTextEdit,
        loader: Loader,
        *,
        validity_changed: SignalInstance,
        message: SignalInstance,
        on_selections: Callable[[], None],
        on_busy: Callable[[], None],
    ) -> None:
        self._edit = edit
        self._loader = loader
        self._validity_changed = validity_changed
        self._message = message
        self._on_selections = on_selections
        self._on_busy = on_busy
        self.busy: set[str] = set()  # kinds of job under way: validate, format, minify, open
        self.variable_names: frozenset[str] | None = None
        self._runners: dict[str, Runner] = {}
        self._revalidate = False
        self._error: FieldError | None = _UNSET
        self._valid_generation = -1  # the text of this generation was checked: valid JSON
        self.error_selection: QTextEdit.ExtraSelection | None = None
        self._error_label: QLabel | None = None
        self._error_color = QColor(ERROR_RED)
        self._timer = QTimer(edit)
        self._timer.setSingleShot(True)
        self._timer.setInterval(VALIDATE_DELAY_MS)
        self._timer.timeout.connect(self.validate_now)

    # -- jobs -------------------------------------------------------------------------

    def run(
        self,
        kind: str,
        fn: Callable[[], T],
        then: Callable[[Done[T]], None],
        *,
        latest: bool = False,
    ) -> None:
        """Run ``fn`` on the thread of ``kind`` (named ``json-editor-<kind>``); ``then``
        gets its answer on the GUI thread, unless a newer job of that ``kind`` was run
        with ``latest``.  ``kind`` is in :attr:`busy` until then."""
        self.busy.add(kind)

        def answer(done: Done[T]) -> None:
            self.busy.discard(kind)
            then(done)
            self._on_busy()

        self._runner(kind).submit(fn, answer, latest=latest)

    def _runner(self, kind: str) -> Runner:
        runner = self._runners.get(kind)
        if runner is None:
            # Imported here: concurrent.futures is not needed for the first frame (~4 ms).
            from vessl_gui.ui.background import Runner

            runner = self._runners[kind] = Runner(f"json-editor-{kind}", self._edit)
        return runner

    def is_busy(self) -> bool:
        """True while a job runs or a validation is due."""
        return bool(self.busy) or self._timer.isActive()

    def reformatting(self) -> str | None:
        """ "format" or "minify" while one runs on a worker thread."""
        if "format" in self.busy:
            return "format"
        return "minify" if "minify" in self.busy else None

    # -- format and minify ------------------------------------------------------------

    def format_document(self) -> bool:
        """Re-indent the JSON (4 spaces); False if refused (invalid JSON, busy)."""
        return self._reformat("format", lambda t: format_json(t, INDENT), "Formatted")

    def minify_document(self) -> bool:
        """Remove the whitespace between tokens; False if refused."""
        return self._reformat("minify", minify_json, "Minified")

    def _reformat(self, kind: str, func: Callable[[str], str], done: str) -> bool:
        if kind in self.busy:
            return False
        text = self._loader.text()
        if len(text) <= INLINE_LIMIT:
            try:
                result = func(text)
            except ValidationError as exc:
                self._refuse_reformat(kind, exc)
                return False
            self._apply_reformat(text, result, done)
            return True
        generation = self._loader.generation
        self.run(
            kind,
            lambda: func(text),
            lambda answer: self._reformatted(kind, answer, generation, done),
        )
        self._on_busy()
        return True

    def _reformatted(self, kind: str, answer: Done[str], generation: int, done: str) -> None:
        if generation != self._loader.generation:
            self._message.emit(f"The text changed while it was being {done.lower()}; try again")
        elif isinstance(answer.error, ValidationError):
            self._refuse_reformat(kind, answer.error)
        elif answer.error is not None:
            self._message.emit(f"Cannot {kind}: {answer.error}")
        else:
            assert answer.value is not None
            self._apply_reformat(self._loader.text(), answer.value, done)

    def _refuse_reformat(self, kind: str, exc: ValidationError) -> None:
        field = exc.fields[0] if exc.fields else FieldError("data", str(exc))
        self.apply_validity(field)
        if field.line is not None and field.column is not None:
            self._loader.move_cursor_to(field.line, field.column)
        self._message.emit(f"Cannot {kind}: {field.describe()}")

    def _apply_reformat(self, before: str, result: str, done: str) -> None:
        if result == before:
            self._message.emit(f"{done}: nothing to change")
            return
        self._loader.replace(result, undoable=True, message=f"{done} (Ctrl+Z to undo)")

    # -- validation -------------------------------------------------------------------

    def set_error_label(self, label: QLabel | None) -> None:
        """See :meth:`JsonEditor.set_error_label`."""
        self._error_label = label
        self._update_error_label()

    def set_variable_names(self, names: frozenset[str] | None) -> None:
        """The variables ``{{name}}`` may use (the service's); None: not checked."""
        if names != self.variable_names:
            self.variable_names = names
            self.schedule(immediately=True)

    def is_known_valid(self) -> bool:
        """True when the current text has been checked (``check_json``) and is valid JSON
        whose ``{{name}}`` references are all known."""
        return self._loader.load is None and self._valid_generation == self._loader.generation

    def current_error(self) -> FieldError | None:
        """The last validation result (None: valid, or not validated yet)."""
        return None if self._error is _UNSET else self._error

    def validate_now(self) -> None:
        """Validate the current text now (inline if small, else on a worker thread)."""
        self._timer.stop()
        if self._loader.load is not None:
            return
        if "validate" in self.busy:
            self._revalidate = True
            return
        text = self._loader.text()
        names = self.variable_names
        if len(text) <= INLINE_LIMIT:
            self.apply_validity(check_data(text, names), self._loader.generation)
            return
        generation = self._loader.generation
        self.run(
            "validate",
            lambda: check_data(text, names),
            lambda answer: self._validated(answer, generation),
        )

    def schedule(self, *, immediately: bool = False) -> None:
        """Validate once typing pauses (or at the next turn of the event loop)."""
        if self._loader.load is not None:
            return
        self._timer.start(0 if immediately else VALIDATE_DELAY_MS)

    def _validated(self, answer: Done[FieldError | None], generation: int) -> None:
        current = generation == self._loader.generation
        if current and answer.error is None:
            self.apply_validity(answer.value, generation)
        if self._revalidate or not current:
            self._revalidate = False
            self.schedule(immediately=True)

    def apply_validity(self, error: FieldError | None, generation: int = -1) -> None:
        """Show a validation result; ``generation``: the text it is for, when it is the
        whole text's check_json result."""
        self._valid_generation = generation if error is None else -1
        self.error_selection = self._make_error_selection(error)
        self._on_selections()
        changed = self._error is _UNSET or error != self._error
        self._error = error
        self._update_error_label()
        if changed:
            self._validity_changed.emit(error)

    def recolor(self, error_color: QColor) -> None:
        """Underline errors in ``error_color`` (the palette changed)."""
        self._error_color = error_color
        if self._error is not _UNSET:
            self.error_selection = self._make_error_selection(self._error)

    def _make_error_selection(self, error: FieldError | None) -> QTextEdit.ExtraSelection | None:
        if error is None or error.line is None or error.column is None:
            return None
        pos = self._loader.doc_position(error.line, error.column)
        if pos is None:
            return None
        doc = self._edit.document()
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
        fmt.setUnderlineColor(self._error_color)
        fmt.setToolTip(error.describe())
        sel.format = fmt
        sel.cursor = cursor
        return sel

    def _update_error_label(self) -> None:
        label = self._error_label
        if label is None or not shiboken6.isValid(label):
            return
        error = None if self._error is _UNSET else self._error
        if error is None or not self._loader.text().strip():
            label.clear()
            label.hide()
            return
        label.setText("⚠ " + error.describe())
        label.setStyleSheet(f"color: {ERROR_RED};")
        label.show()


__all__ = ["INLINE_LIMIT", "VALIDATE_DELAY_MS", "Checks"]


def check_data(text: str, names: frozenset[str] | None) -> FieldError | None:
    """``check_json``, then the first reference to a variable not in ``names``."""
    error = check_json(text)
    if error is not None or names is None or "{{" not in text:
        return error
    from vessl_gui.core.variables import unknown_references

    unknown = unknown_references("", text, names)
    return unknown[0] if unknown else None
