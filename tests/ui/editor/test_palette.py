"""vessl_gui/ui/editor/palette.py: colours readable on light and dark palettes."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

from tests.ui.editor.conftest import formats
from vessl_gui.ui.editor import JsonEditor, contrast_ratio


def test_colours_follow_the_palette_and_stay_readable(editor: JsonEditor) -> None:
    editor.setPlainText('{"key": "value", "n": 1}')
    light = editor.syntax_colors()
    for color in light.values():
        assert contrast_ratio(color, editor.palette().color(QPalette.ColorRole.Base)) >= 4.5

    dark = QPalette()
    dark.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))
    dark.setColor(QPalette.ColorRole.Text, QColor("#dddddd"))
    dark.setColor(QPalette.ColorRole.Window, QColor("#2b2b2b"))
    dark.setColor(QPalette.ColorRole.Highlight, QColor("#3a6ea5"))
    editor.setPalette(dark)
    colors = editor.syntax_colors()
    assert colors["key"].rgb() != light["key"].rgb()
    for color in colors.values():
        assert contrast_ratio(color, QColor("#1e1e1e")) >= 4.5
    # The text was re-highlighted with the new colours.
    assert formats(editor)['"key"'] == colors["key"]
    assert formats(editor)['"value"'] == colors["string"]
