"""The worker threads, httpx and the keyring start after the window's first frame
(tests/benchmarks B1): a zero timer set before the event loop runs ran them first."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, QSettings
from pytestqt.qtbot import QtBot

from tests.fakes import MemoryKeyring
from vessl_gui.core.credentials import TokenStore
from vessl_gui.core.history import HistoryStore
from vessl_gui.ui.window import AppContext, MainWindow, schedule_start


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    store = HistoryStore(tmp_path / "history.sqlite3")
    ctx = AppContext(
        store=store,
        tokens=TokenStore(MemoryKeyring()),
        settings=QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat),
        data_dir=tmp_path,
    )
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    yield w
    w.shutdown()
    store.close()


class FirstPaint(QObject):
    """Records whether the services were running when the window first painted."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.window = window
        self.services_running: list[bool] = []
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self.services_running:
            self.services_running.append(self.window.workers is not None)
        return False


def test_services_start_after_the_first_frame(qtbot: QtBot, window: MainWindow) -> None:
    probe = FirstPaint(window)
    schedule_start(window)
    window.show()
    qtbot.waitUntil(lambda: window.workers is not None, timeout=10_000)
    assert probe.services_running == [False]


def test_services_start_anyway_when_nothing_is_painted(qtbot: QtBot, window: MainWindow) -> None:
    schedule_start(window, fallback_ms=50)  # never shown: no paint
    qtbot.waitUntil(lambda: window.workers is not None, timeout=10_000)


def test_no_services_after_the_window_closed_early(qtbot: QtBot, window: MainWindow) -> None:
    schedule_start(window, fallback_ms=50)
    window.shutdown()
    qtbot.wait(200)
    assert window.workers is None
