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
import queue
import threading
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from vessl_gui.core.errors import StorageError
from vessl_gui.core.history import HistoryStore

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CountRequest:
    generation: int
    text: str
    states: frozenset[str] | None
    services: frozenset[str] | None


class MatchCounter(QObject):
    """Counts matching rows of the history file at ``path`` off the GUI thread.

    Signals:
        counted(int generation, int total): ``total`` is -1 when counting failed.
    """

    counted = Signal(int, int)

    def __init__(self, path: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._path = path
        self._queue: queue.SimpleQueue[CountRequest | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._stopped = False

    def request(self, item: CountRequest) -> None:
        if self._stopped:
            return
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="history-count", daemon=True)
            self._thread.start()
        self._queue.put(item)

    def stop(self, timeout: float = 2.0) -> None:
        """Stop the thread (after the count it is doing, if any)."""
        self._stopped = True
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(timeout)

    def _run(self) -> None:
        store: HistoryStore | None = None
        try:
            while True:
                item = self._queue.get()
                while item is not None:  # only the newest request matters
                    try:
                        newer = self._queue.get_nowait()
                    except queue.Empty:
                        break
                    item = newer
                if item is None:
                    return
                total = -1
                try:
                    if store is None:
                        store = HistoryStore(self._path)
                    total = store.count(item.text, item.states, item.services)
                except StorageError as e:
                    log.warning("counting history matches failed: %s", e)
                    if store is not None:
                        store.close()
                    store = None
                if not self._stopped:
                    self.counted.emit(item.generation, total)
        finally:
            if store is not None:
                store.close()
