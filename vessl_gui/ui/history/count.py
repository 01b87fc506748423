"""Counting a filter's matches on a thread of its own, so typing never waits for it.

The history table shows a filter's first page at once (see
:mod:`vessl_gui.core.history.quick`); how many rows match in all can take a
scan of the whole history (30-90 ms at 100 000 rows).  :class:`MatchCounter`
does that on a daemon thread with its own SQLite connection (WAL: readers do
not block the writer) and reports back on the GUI thread; only the newest
request is counted, older ones still queued are dropped.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from vessl_gui.core.errors import StorageError
from vessl_gui.core.history import HistoryStore
from vessl_gui.ui.background import Runner

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CountRequest:
    generation: int
    text: str
    states: frozenset[str] | None
    services: frozenset[str] | None
    batch_id: str | None = None


class MatchCounter(QObject):
    """Counts matching rows of the history file at ``path`` off the GUI thread.

    Signals:
        counted(int generation, int total): ``total`` is -1 when counting failed.
    """

    counted = Signal(int, int)

    def __init__(self, path: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._path = path
        # One thread, so the store below is only ever used on it; `latest`: only the
        # newest request is counted, older ones still queued are dropped.
        self._runner = Runner("history-count", self)
        self._store: HistoryStore | None = None
        self._stopped = False

    def request(self, item: CountRequest) -> None:
        if self._stopped:
            return
        self._runner.submit(
            lambda: self._count(item),
            lambda done: self.counted.emit(item.generation, done.value),
            latest=True,
        )

    def stop(self, timeout: float = 2.0) -> None:
        """Stop the thread (after the count it is doing, if any)."""
        self._stopped = True
        self._runner.shutdown(timeout=timeout)
        if self._store is not None:
            self._store.close()
            self._store = None

    def _count(self, item: CountRequest) -> int:
        """On the counting thread: the total, or -1 when counting failed."""
        try:
            if self._store is None:
                self._store = HistoryStore(self._path)
            return self._store.count(item.text, item.states, item.services, batch_id=item.batch_id)
        except StorageError as e:
            log.warning("counting history matches failed: %s", e)
            if self._store is not None:
                self._store.close()
            self._store = None
            return -1
