"""Fixtures for the window tests: real widgets (offscreen), the emulator on 127.0.0.1,
a history store in tmp_path and an in-memory keyring."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from tests.fakes import MemoryKeyring
from vessl_gui.core import polling
from vessl_gui.core.credentials import TokenStore
from vessl_gui.core.history import HistoryStore
from vessl_gui.core.models import Timeouts
from vessl_gui.emulator import Emulator
from vessl_gui.ui.window import AppContext, MainWindow
from vessl_gui.ui.workers import poll

TOKEN = "ui-test-token-5d1e"

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def fast_polling(monkeypatch: pytest.MonkeyPatch) -> None:
    """Poll every 0.2 s at first so tests follow a request quickly."""
    monkeypatch.setattr(polling, "POLL_FIRST", 0.2)
    monkeypatch.setattr(poll, "POLL_TICK_MS", 50)


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    with Emulator(token=TOKEN, queue_delay=0.1, run_time=0.1) as emu:
        yield emu


@pytest.fixture
def keyring_backend() -> MemoryKeyring:
    return MemoryKeyring()


WindowFactory = Callable[..., MainWindow]


@pytest.fixture
def make_window(
    qtbot: object, tmp_path: Path, keyring_backend: MemoryKeyring
) -> Iterator[WindowFactory]:
    made: list[tuple[MainWindow, HistoryStore]] = []

    def factory(
        data_dir: Path | None = None, timeouts: Timeouts | None = None, **kw: object
    ) -> MainWindow:
        where = data_dir or tmp_path
        store = HistoryStore(where / "history.sqlite3")
        store.recover_interrupted()
        ctx = AppContext(
            store=store,
            tokens=kw.pop("tokens", None) or TokenStore(keyring_backend),  # type: ignore[arg-type]
            settings=QSettings(str(where / "settings.ini"), QSettings.Format.IniFormat),
            data_dir=where,
            timeouts=timeouts or Timeouts(connect=2, read=5),
            **kw,  # type: ignore[arg-type]
        )
        window = MainWindow(ctx)
        qtbot.addWidget(window)  # type: ignore[attr-defined]
        window.show()
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)  # type: ignore[attr-defined]
        window.start_services()
        made.append((window, store))
        return window

    yield factory
    for window, store in made:
        window.shutdown()
        window.close()
        store.close()


# -- helpers for driving the window (imported by the tests) --------------------------


def fill(
    qtbot: QtBot,
    w: MainWindow,
    base_url: str,
    token: str = TOKEN,
    path: str = "/echo",
    data: str = '{"question": "How are you?"}',
    method: str = "POST",
) -> None:
    c = w.composer
    c.base_url_edit.clear()
    qtbot.keyClicks(c.base_url_edit, base_url)
    c.token_edit.clear()
    qtbot.keyClicks(c.token_edit, token)
    c.method_combo.setCurrentText(method)
    c.path_edit.clear()
    qtbot.keyClicks(c.path_edit, path)
    c.data_editor.setPlainText(data)


def cell(w: MainWindow, row: int, col: int) -> str:
    return str(w.model.index(row, col).data())


def wait_state(qtbot: QtBot, w: MainWindow, row: int, *states: str, timeout: int = 10000) -> None:
    def ok() -> None:
        s = w.model.summary_at(row)
        assert s is not None and s.state in states, s

    qtbot.waitUntil(ok, timeout=timeout)
