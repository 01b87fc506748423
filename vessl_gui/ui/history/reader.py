"""Reads the selected history row for the details pane without freezing the window.

A row can hold megabytes (a 20 MB output takes ~0.1 s to read).  :class:`EntryReader`
reads it on a thread of its own (:meth:`HistoryStore.get_apart`, its own connection)
and waits for it on the GUI thread for at most :data:`WAIT_MS`: a small row is
answered at once, as if read in place; a large one is answered later, by a queued
call, and only if no newer read was asked for meanwhile.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject

from vessl_gui.core.errors import StorageError
from vessl_gui.core.history import HistoryStore
from vessl_gui.core.models import HistoryEntry
from vessl_gui.ui.background import Done, Runner

log = logging.getLogger(__name__)

#: How long the GUI thread waits for a read before answering later (ms).
WAIT_MS = 20

#: Called with (entry or None if the row is gone, None) or (None, error message).
Answer = Callable[[HistoryEntry | None, str | None], None]


class EntryReader(QObject):
    """Reads rows off the GUI thread; see the module's doc."""

    def __init__(self, store: HistoryStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._runner = Runner("vessl-read", self)
        self._row: int | None = None  # the row of the read to be answered later

    def read(self, row_id: int, answer: Answer, wait_ms: int = WAIT_MS) -> bool:
        """Read row ``row_id``; ``answer`` gets it.  True when answered before returning;
        False when it will be answered later (unless :meth:`read` or :meth:`cancel` is
        called again first)."""

        def then(done: Done[HistoryEntry | None]) -> None:
            self._row = None
            _answer(done, answer)

        # latest: a read not started yet is skipped (holding a key down the rows).
        if self._runner.submit(
            lambda: self._store.get_apart(row_id), then, wait_ms=wait_ms, latest=True
        ):
            return True
        self._row = row_id
        return False

    def cancel(self) -> None:
        """Forget the read in progress: its answer is dropped."""
        self._runner.cancel()
        self._row = None

    def pending_row(self) -> int | None:
        """The row whose read is still to be answered, if any."""
        return self._row

    def shutdown(self) -> None:
        """Drop what is pending; wait for a read in progress (one row) to end."""
        self.cancel()
        self._runner.shutdown()


def _answer(done: Done[HistoryEntry | None], answer: Answer) -> None:
    """Give a finished read to ``answer``; an error is told, not raised into the event loop."""
    if isinstance(done.error, StorageError):
        answer(None, done.error.message)
    elif done.error is not None:
        log.error("reading a history row failed", exc_info=done.error)
        answer(None, "The row could not be read (see the log).")
    else:
        answer(done.value, None)


__all__ = ["WAIT_MS", "EntryReader"]
