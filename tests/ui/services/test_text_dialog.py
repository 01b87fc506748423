"""vessl_gui/ui/services/text_dialog.py: Import from curl's dialog — a named field, Tab
out of it to OK, Ctrl+Enter is OK."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from vessl_gui.ui.services.text_dialog import TextDialog, ask_multiline


@pytest.fixture
def dialog(qtbot: QtBot) -> TextDialog:
    d = TextDialog("Import from curl", "&Paste a curl command:")
    qtbot.addWidget(d)
    d.show()
    d.activateWindow()
    qtbot.waitUntil(d.isActiveWindow)
    return d


def test_the_field_is_named_and_labelled(dialog: TextDialog) -> None:
    assert dialog.field.accessibleName() == "Paste a curl command"
    assert dialog.label.buddy() is dialog.field
    assert dialog.field.hasFocus()


def test_tab_leaves_the_field_for_ok(qtbot: QtBot, dialog: TextDialog) -> None:
    qtbot.keyClicks(dialog.field, "curl x")
    qtbot.keyClick(dialog.field, Qt.Key.Key_Tab)
    assert dialog.ok_button.hasFocus()  # OK first, on whatever side it is
    assert dialog.text() == "curl x"  # no tab character typed
    qtbot.keyClick(dialog.ok_button, Qt.Key.Key_Tab)
    assert dialog.cancel_button.hasFocus()
    qtbot.keyClick(dialog.cancel_button, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(dialog.ok_button, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert dialog.field.hasFocus()


def test_ctrl_enter_is_ok(qtbot: QtBot, dialog: TextDialog) -> None:
    qtbot.keyClicks(dialog.field, "curl y")
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.text() == "curl y"


def test_ask_multiline_gives_the_text_or_none(qtbot: QtBot) -> None:
    def answer(accept: bool) -> None:
        d = next(
            w for w in QApplication.topLevelWidgets() if isinstance(w, TextDialog) and w.isVisible()
        )
        d.field.setPlainText("curl z")
        (d.accept if accept else d.reject)()

    QTimer.singleShot(50, lambda: answer(True))
    assert ask_multiline(None, "Import from curl", "Paste:") == "curl z"
    QTimer.singleShot(50, lambda: answer(False))
    assert ask_multiline(None, "Import from curl", "Paste:") is None
