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
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from PySide6.QtCore import QObject, Qt, Signal

from vessl_gui.core.errors import StorageError
from vessl_gui.core.history import HistoryStore
from vessl_gui.core.models import HistoryEntry

log = logging.getLogger(__name__)

#: How long the GUI thread waits for a read before answering later (ms).
WAIT_MS = 20

#: Called with (entry or None if the row is gone, None) or (None, error message).
Answer = Callable[[HistoryEntry | None, str | None], None]


class _Relay(QObject):
    """Lives on the GUI thread; a read's end reaches it queued from the reading thread."""

    done = Signal(int, object)


class EntryReader(QObject):
    """Reads rows off the GUI thread; see the module's doc."""

    def __init__(self, store: HistoryStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._pool: ThreadPoolExecutor | None = None
        self._gen = 0
        self._answers: dict[int, Answer] = {}
        self._row: int | None = None  # the row of the read to be answered later
        self._future: Future[HistoryEntry | None] | None = None  # the last read asked for
        self._relay = _Relay(self)
        # Queued even when the read ends on this thread (while the GUI thread waits).
        self._relay.done.connect(self._on_done, Qt.ConnectionType.QueuedConnection)

    def read(self, row_id: int, answer: Answer, wait_ms: int = WAIT_MS) -> bool:
        """Read row ``row_id``; ``answer`` gets it.  True when answered before returning;
        False when it will be answered later (unless :meth:`read` or :meth:`cancel` is
        called again first)."""
        self.cancel()
        gen = self._gen
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="vessl-read")
        future = self._future = self._pool.submit(self._store.get_apart, row_id)
        try:
            future.result(timeout=wait_ms / 1000)
        except FutureTimeout:
            self._answers[gen] = answer
            self._row = row_id
            future.add_done_callback(lambda f: self._relay.done.emit(gen, f))
            return False
        except Exception:  # told by _answer
            pass
        self._future = None
        _answer(future, answer)
        return True

    def cancel(self) -> None:
        """Forget the read in progress: its answer is dropped."""
        self._gen += 1
        self._answers.clear()
        self._row = None
        if self._future is not None:
            self._future.cancel()  # not started yet: skipped (holding a key down the rows)
            self._future = None

    def pending_row(self) -> int | None:
        """The row whose read is still to be answered, if any."""
        return self._row

    def _on_done(self, gen: int, future: Future[HistoryEntry | None]) -> None:
        answer = self._answers.pop(gen, None)
        if answer is None:
            return  # a newer read was asked for
        self._row = None
        self._future = None
        _answer(future, answer)

    def shutdown(self) -> None:
        """Drop what is pending; wait for a read in progress (one row) to end."""
        self.cancel()
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def _answer(future: Future[HistoryEntry | None], answer: Answer) -> None:
    """Give a finished read to ``answer``; an error is told, not raised into the event loop."""
    try:
        entry = future.result()
    except StorageError as exc:
        answer(None, exc.message)
        return
    except Exception:
        log.exception("reading a history row failed")
        answer(None, "The row could not be read (see the log).")
        return
    answer(entry, None)


__all__ = ["WAIT_MS", "EntryReader"]
