"""Fixtures of the reliability tests: the real window (offscreen) against the
emulator on 127.0.0.1, fast polling, and a report of the figures measured.

Set ``VESSL_RELIABILITY_REPORT=/path/report.md`` to have the session write the
fault matrix and every figure (kills survived, shutdown times, memory ...) to
that file as markdown.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QDialog

from tests.fakes import MemoryKeyring
from tests.reliability.helpers import Driver
from vessl_gui.core import polling
from vessl_gui.core.credentials import TokenStore
from vessl_gui.core.history import HistoryStore
from vessl_gui.core.models import Timeouts
from vessl_gui.emulator import Emulator
from vessl_gui.ui.window import AppContext, MainWindow
from vessl_gui.ui.workers import poll

TOKEN = "rel-token-4a7c2e91"

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


class Report:
    """Figures collected during the run, written as markdown at the end."""

    def __init__(self) -> None:
        self.matrix: dict[str, tuple[str, ...]] = {}
        self.sections: dict[str, list[str]] = {}

    def row(self, key: str, *cells: str) -> None:
        self.matrix[key] = cells

    def add(self, section: str, line: str) -> None:
        self.sections.setdefault(section, []).append(line)

    def markdown(self) -> str:
        out = []
        if self.matrix:
            out.append("| # | case | endpoint | row state shown | message shown |")
            out.append("|---|---|---|---|---|")
            for key in sorted(self.matrix):
                cells = [c.replace("|", "\\|").replace("\n", " ") for c in self.matrix[key]]
                out.append(f"| {key.split(':')[0]} | " + " | ".join(cells) + " |")
            out.append("")
        for title, lines in self.sections.items():
            out.append(f"**{title}**")
            out.append("")
            out.extend(f"- {line}" for line in lines)
            out.append("")
        return "\n".join(out)


_REPORT = Report()


@pytest.fixture(scope="session")
def report() -> Iterator[Report]:
    yield _REPORT
    target = os.environ.get("VESSL_RELIABILITY_REPORT")
    if target and (_REPORT.matrix or _REPORT.sections):
        Path(target).write_text(_REPORT.markdown(), encoding="utf-8")


@pytest.fixture(autouse=True)
def fast_polling(monkeypatch: pytest.MonkeyPatch) -> None:
    """First status check after 0.1 s, ticks every 20 ms, so tests follow requests quickly."""
    monkeypatch.setattr(polling, "POLL_FIRST", 0.1)
    monkeypatch.setattr(poll, "POLL_TICK_MS", 20)


@pytest.fixture(autouse=True)
def no_leftover_drivers() -> Iterator[None]:
    """An app subprocess a failed test did not reap is killed, never left running."""
    yield
    Driver.kill_all()


@pytest.fixture(autouse=True)
def no_modal_dialogs(qapp: QApplication) -> Iterator[list[str]]:
    """A modal dialog would block a test forever: close any that opens, and fail the test."""
    seen: list[str] = []

    def close_modal() -> None:
        widget = QApplication.activeModalWidget()
        if widget is not None:
            seen.append(f"{type(widget).__name__}: {widget.windowTitle()}")
            if isinstance(widget, QDialog):
                widget.reject()
            else:
                widget.close()

    timer = QTimer()
    timer.timeout.connect(close_modal)
    timer.start(100)
    yield seen
    timer.stop()
    assert not seen, f"a modal dialog opened during the test: {seen}"


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    with Emulator(token=TOKEN, queue_delay=0.05, run_time=0.05) as emu:
        yield emu


@pytest.fixture
def keyring_backend() -> MemoryKeyring:
    return MemoryKeyring()


WindowFactory = Callable[..., MainWindow]


@pytest.fixture
def make_window(
    qtbot: Any, tmp_path: Path, keyring_backend: MemoryKeyring
) -> Iterator[WindowFactory]:
    """Build a real MainWindow on a data dir (default ``tmp_path``), shown and started.

    Keyword arguments go to :class:`AppContext` (``client_factory``, ``tokens`` ...).
    """
    made: list[tuple[MainWindow, HistoryStore]] = []

    def factory(
        data_dir: Path | None = None,
        timeouts: Timeouts | None = None,
        store: HistoryStore | None = None,
        **kw: Any,
    ) -> MainWindow:
        where = data_dir or tmp_path
        if store is None:
            store = HistoryStore(where / "history.sqlite3")
            store.recover_interrupted()
        kw.setdefault("tokens", TokenStore(keyring_backend))
        ctx = AppContext(
            store=store,
            settings=QSettings(str(where / "settings.ini"), QSettings.Format.IniFormat),
            data_dir=where,
            timeouts=timeouts or Timeouts(connect=2, read=5),
            **kw,
        )
        window = MainWindow(ctx)
        qtbot.addWidget(window)
        window.show()
        window.start_services()
        made.append((window, store))
        return window

    yield factory
    for window, store in made:
        assert window.shutdown(), "a worker thread did not stop"
        window.close()
        store.close()
