"""Syntax highlighting of JSON, one line at a time, in colours derived from the palette."""

from __future__ import annotations

import re
from itertools import accumulate
from typing import TYPE_CHECKING, Final

from PySide6.QtCore import QObject
from PySide6.QtGui import QColor, QPalette, QSyntaxHighlighter, QTextCharFormat

from vessl_gui.core.text import utf16_len
from vessl_gui.ui.editor.palette import contrast_ratio, mix, readable

if TYPE_CHECKING:
    from PySide6.QtGui import QTextDocument

#: Syntax highlighting is on up to this many characters (Python highlights ~2.5 MB/s).
HIGHLIGHT_LIMIT: Final = 512 * 1024
#: Longer lines are left uncoloured (each keystroke re-highlights its whole line).
HIGHLIGHT_LINE_LIMIT: Final = 100_000

# Highlighting, one line at a time (a JSON string never spans lines).
_HL_RE: Final = re.compile(
    r'("[^"\\]*(?:\\.[^"\\]*)*"?)([ \t]*:)?'
    r"|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)"
    r"|(true|false|null)\b"
    r"|([{}\[\],:])"
)


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
        punctuation = mix(text, base, 0.3)
        if contrast_ratio(punctuation, base) < 4.5:
            punctuation = text
        colors = {
            "string": readable(125, 0.60, base),
            "key": readable(212, 0.75, base),
            "number": readable(28, 0.90, base),
            "literal": readable(290, 0.60, base),
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

    def switch(self, document: QTextDocument, on: bool) -> None:
        """Highlight ``document``, or nothing when ``on`` is False."""
        doc = document if on else None
        if self.document() is not doc:
            self.setDocument(doc)

    def follow_size(self, document: QTextDocument) -> bool:
        """Switch off above :data:`HIGHLIGHT_LIMIT` characters, on again at 90 % of it;
        True when it switched."""
        n = document.characterCount()
        on = self.document() is not None
        if on and n > HIGHLIGHT_LIMIT:
            self.switch(document, False)
            return True
        if not on and n <= HIGHLIGHT_LIMIT * 0.9:
            self.switch(document, True)
            return True
        return False

    def highlightBlock(self, text: str) -> None:
        if not self._formats or not text or len(text) > HIGHLIGHT_LINE_LIMIT:
            return
        string_f, key_f, number_f, literal_f, punct_f = self._formats
        set_format = self.setFormat
        units: list[int] | None = None
        if utf16_len(text) != len(text):
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


__all__ = ["HIGHLIGHT_LIMIT", "HIGHLIGHT_LINE_LIMIT", "JsonHighlighter"]
