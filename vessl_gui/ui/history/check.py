"""Checking the whole history file once the window is up, off the GUI thread.

At start only the history table is checked (see
:meth:`~vessl_gui.core.history.HistoryStore.open_or_quarantine`): checking the
whole file, the search indexes included, takes twice as long (~185 ms at
100 000 rows) and would delay the first frame.  :class:`HistoryFileCheck` runs
:func:`~vessl_gui.core.history.check_file` on a daemon thread of its own and
reports back on the GUI thread.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal

from vessl_gui.core.errors import StorageError
from vessl_gui.core.history import check_file
from vessl_gui.ui.background import Done, Runner

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
        self.runner: Runner | None = None

    def start(self, path: str) -> None:
        if self.runner is not None:
            return
        self.runner = Runner("history-check", self)
        self.runner.submit(lambda: check_file(path), self._done)

    def _done(self, done: Done[list[str]]) -> None:
        if isinstance(done.error, StorageError):
            log.info("the history file could not be checked: %s", done.error.message)
            return
        if done.error is not None:
            log.error("checking the history file failed", exc_info=done.error)
            return
        problems = done.value or []
        if problems:
            log.warning("the history file is damaged: %s", "; ".join(problems[:5]))
            self.damaged.emit(problems)
