"""Help ▸ About shows the app icon, version, license, links, keyring backend and data dir."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from tests.fakes import MemoryKeyring
from vessl_gui import __version__, meta
from vessl_gui.core.credentials import TokenStore
from vessl_gui.core.history import HistoryStore
from vessl_gui.ui.bootstrap import get_application
from vessl_gui.ui.window import AppContext, MainWindow


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    get_application([])  # app name, version and icon, as at start-up
    store = HistoryStore(tmp_path / "history.sqlite3")
    ctx = AppContext(
        store=store,
        tokens=TokenStore(MemoryKeyring()),
        settings=QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat),
        data_dir=tmp_path / "my data <dir>",
    )
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.shutdown()
    win.close()
    store.close()


def _label(box: QMessageBox) -> QLabel:
    label = box.findChild(QLabel, "qt_msgbox_label")
    assert label is not None
    return label


def test_about_box_says_what_and_where(qtbot: QtBot, window: MainWindow) -> None:
    window.start_services()
    action = window.findChild(QAction, "aboutAction")
    assert action is not None
    action.trigger()
    box = window.findChild(QMessageBox, "aboutBox")
    assert box is not None
    qtbot.waitExposed(box)
    assert box.windowTitle() == "About vessl-gui"
    text = _label(box).text()
    assert f"vessl-gui {__version__}" in text
    assert "License: MIT" in text
    assert f'href="{meta.HOMEPAGE_URL}"' in text
    assert f'href="{meta.DOCS_URL}"' in text
    assert "Keyring: MemoryKeyring" in text
    # The data dir is shown literally, HTML-escaped.
    assert "my data &lt;dir&gt;" in text
    assert _label(box).openExternalLinks()
    # The app icon, not a generic "information" icon.
    assert box.iconPixmap().width() >= 64 or box.iconPixmap().height() >= 64
    assert not QApplication.windowIcon().isNull()
    box.close()
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "aboutBox") is None)


def test_about_box_reads_the_keyring_when_nothing_has_yet(qtbot: QtBot, window: MainWindow) -> None:
    # The keyring is loaded on first need (start-up stays fast); About is such a need.
    assert window.tokens.keyring is None
    box = window.about()
    qtbot.waitExposed(box)
    assert box.windowModality() == Qt.WindowModality.WindowModal
    assert "Keyring: MemoryKeyring" in _label(box).text()
    box.close()
