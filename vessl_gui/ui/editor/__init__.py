"""The JSON editor for the request ``data`` (``objectName`` ``dataEditor`` in the composer).

A :class:`QPlainTextEdit` with what people expect from a JSON field:

* syntax highlighting whose colours are derived from the palette (readable on
  light and dark themes, recomputed when the palette changes), a line-number
  gutter, the current line and the matching bracket shown, a monospace font,
  Tab / Shift+Tab indenting with spaces (Ctrl+Tab / Ctrl+Shift+Tab move the
  focus on), Enter keeping the indentation;
* live validation while typing (debounced), the error underlined in the text
  and reported by :attr:`JsonEditor.validity_changed`;
* Format (Ctrl+Shift+F) and Minify (Ctrl+Shift+M) that keep every key, number
  and string exactly as typed (:mod:`vessl_gui.core.jsonfmt`), undoable;
* Open a file (Ctrl+O) or drop one on the editor; a file that is not UTF-8 or
  not JSON is refused with a message and the text stays as it was.

Large documents never freeze the window:

* text above :data:`CHUNK_LIMIT` characters is put into the document in time
  slices of about ``SLICE_MS`` (the editor is read-only meanwhile, and
  :meth:`JsonEditor.toPlainText` already returns the whole new text);
* validation, formatting and minifying run on a worker thread above
  :data:`INLINE_LIMIT`; a result is applied only if the text has not changed since;
* highlighting is switched off above :data:`HIGHLIGHT_LIMIT` (a notice says so),
  and a single line over ``HIGHLIGHT_LINE_LIMIT`` is left uncoloured;
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

The parts, one a module:

* ``editor``: :class:`JsonEditor`, the widget; it owns the parts below and wires them;
* ``loading``: the full text behind the document, slice loading, shortened lines,
  the one-step undo of large replacements, large pastes;
* ``checks``: live validation, Format / Minify, and the worker threads of the jobs;
* ``opening``: the Open dialog and dropped files (reading: :mod:`vessl_gui.core.json_files`);
* ``highlighter``: :class:`JsonHighlighter`; ``palette``: contrast and colour maths;
* ``gutter``: the line numbers and the margins' layout; ``notice``: the notice line;
* ``brackets``: bracket matching; ``keys``: Tab, Shift+Tab, Ctrl+Tab, Enter, Ctrl+Enter.
"""

from vessl_gui.ui.editor.checks import INLINE_LIMIT
from vessl_gui.ui.editor.editor import JsonEditor
from vessl_gui.ui.editor.highlighter import HIGHLIGHT_LIMIT, JsonHighlighter
from vessl_gui.ui.editor.loading import CHUNK_LIMIT, LONG_LINE_LIMIT
from vessl_gui.ui.editor.palette import contrast_ratio

__all__ = [
    "CHUNK_LIMIT",
    "HIGHLIGHT_LIMIT",
    "INLINE_LIMIT",
    "LONG_LINE_LIMIT",
    "JsonEditor",
    "JsonHighlighter",
    "contrast_ratio",
]
