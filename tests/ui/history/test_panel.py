"""vessl_gui/ui/history/panel.py: the table lets Tab go, every control of the filter bar is
named or labelled (tests/desktop/test_accessibility.py proves it over AT-SPI)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from vessl_gui.ui.history.panel import STATUS_CHIPS, FilterBar, HistoryView, chip_name


def test_tab_leaves_the_history_table(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    view, after = HistoryView(), QLineEdit()
    layout.addWidget(view)
    layout.addWidget(after)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    assert not view.tabKeyNavigation()
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert after.hasFocus()  # not the next cell


def test_service_filter_has_a_label(qtbot: QtBot) -> None:
    bar = FilterBar()
    qtbot.addWidget(bar)
    # On Linux a screen reader names a combo box after its current text: the label
    # (labelled-by) says what it is.
    assert bar.service_label.buddy() is bar.service_combo
    assert bar.service_label.text() == "Service:"


def test_filter_clear_button_has_a_name(qtbot: QtBot) -> None:
    bar = FilterBar()
    qtbot.addWidget(bar)
    clear = bar.filter_edit.findChild(QAction, "_q_qlineeditclearaction")
    assert clear is not None and clear.text() == "Clear filter"


def test_chip_names_read_well() -> None:
    assert chip_name("Failed") == "Show only failed requests"
    assert chip_name("Errors") == "Show only requests with errors"
    assert len({chip_name(label) for label in STATUS_CHIPS}) == len(STATUS_CHIPS)
