"""Checking the whole history file once the window is up, off the GUI thread.

At start only the history table is checked (see
:meth:`~vessl_gui.core.history.HistoryStore.open_or_quarantine`): checking the
whole file, the search indexes included, takes twice as long (~185 ms at
100 000 rows) and would delay the first frame.  :class:`HistoryFileCheck` runs
:func:`~vessl_gui.core.history.check_file` on a daemon thread of its own and
reports back on the GUI thread.
"""

from __future__ import annotations

import contextlib
import logging
import threading

from PySide6.QtCore import QObject, Signal

from vessl_gui.core.errors import StorageError
from vessl_gui.core.history import check_file

log = logging.getLogger(__name__)


class HistoryFileCheck(QObject):
    """Checks one history file once.

    Signals:
        damaged(list[str]): the problems found (not emitted when the file is sound
            or could not be read; the latter is logged).
    """

    damaged = Signal(list)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.check_thread: threading.Thread | None = None

    def start(self, path: str) -> None:
        if self.check_thread is not None:
            return
        self.check_thread = threading.Thread(
            target=self._run, args=(path,), name="history-check", daemon=True
        )
        self.check_thread.start()

    def _run(self, path: str) -> None:
        try:
            problems = check_file(path)
        except StorageError as exc:
            log.info("the history file could not be checked: %s", exc.message)
            return
        if not problems:
            return
        log.warning("the history file is damaged: %s", "; ".join(problems[:5]))
        with contextlib.suppress(RuntimeError):  # RuntimeError: the window is gone
            self.damaged.emit(problems)  # queued to the GUI thread
