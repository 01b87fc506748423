"""vessl_gui/ui/composer.py: Tab in visual order (also through a bar put on top of it
later, as the window does), names for the controls Qt adds inside fields."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QComboBox, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from vessl_gui.ui.composer import Composer, tab_chain


def chain_from(start: QWidget, n: int) -> list[str]:
    """The next ``n`` widgets Tab stops at after ``start`` (by object name)."""
    out: list[str] = []
    w = start
    while len(out) < n:
        w = w.nextInFocusChain()
        if w is start:
            break
        stop = w.focusPolicy() & Qt.FocusPolicy.TabFocus and w.isVisible() and w.isEnabled()
        if stop and w.focusProxy() is None:  # (an editable combo box's line edit has one)
            out.append(w.objectName())
    return out


FORM = [
    "baseUrlEdit",
    "tokenEdit",
    "revealTokenButton",
    "saveTokenButton",
    "forgetTokenButton",
    "methodCombo",
    "pathEdit",
    "dataEditor",
    "sendButton",
]


def test_tab_follows_the_visual_order(qtbot: QtBot) -> None:
    c = Composer()
    qtbot.addWidget(c)
    names = [w.objectName() for w in tab_chain(c.layout())]  # type: ignore[arg-type]
    # The data editor's notice (hidden until it has something to say) follows it.
    assert names == [*FORM[:-1], "dataEditorNotice", FORM[-1]]
    # A bar put at the top after the composer was built (the window's service bar):
    # Qt would append it after Send; at the first show it moves to where it is seen.
    bar = QWidget()
    bar_layout = QVBoxLayout(bar)
    combo, button = QComboBox(), QPushButton("Bar")
    combo.setObjectName("barCombo")
    button.setObjectName("barButton")
    bar_layout.addWidget(combo)
    bar_layout.addWidget(button)
    layout = c.layout()
    assert isinstance(layout, QVBoxLayout)
    layout.insertWidget(1, bar)
    c.show()
    qtbot.waitExposed(c)
    assert chain_from(combo, len(FORM) + 1) == ["barButton", *FORM]


def test_tab_reaches_send_from_the_path_field(qtbot: QtBot) -> None:
    c = Composer()
    qtbot.addWidget(c)
    c.show()
    c.activateWindow()
    qtbot.waitUntil(c.isActiveWindow)
    c.path_edit.setFocus()
    qtbot.keyClick(c.path_edit, Qt.Key.Key_Tab)
    assert c.data_editor.hasFocus()
    qtbot.keyClick(c.data_editor, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert c.send_button.hasFocus()


def test_controls_inside_fields_have_names(qtbot: QtBot) -> None:
    c = Composer()
    qtbot.addWidget(c)
    line_edit = c.method_combo.lineEdit()
    assert line_edit is not None and line_edit.accessibleName() == "Method"
    clear = c.base_url_edit.findChild(QAction, "_q_qlineeditclearaction")
    assert clear is not None and clear.text() == "Clear base URL"
