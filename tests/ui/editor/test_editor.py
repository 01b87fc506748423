"""vessl_gui/ui/editor/editor.py: the widget as the composer shows it."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from vessl_gui.ui.editor import JsonEditor


def test_font_is_monospace(editor: JsonEditor) -> None:
    fm = editor.fontMetrics()
    assert fm.horizontalAdvance("i") == fm.horizontalAdvance("W")


def test_the_composer_uses_this_editor(qtbot: QtBot) -> None:
    from vessl_gui.ui.composer import Composer

    composer = Composer()
    qtbot.addWidget(composer)
    assert isinstance(composer.data_editor, JsonEditor)
    assert composer.data_editor.objectName() == "dataEditor"
