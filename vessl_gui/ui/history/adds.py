"""Records large requests in the history without freezing the window.

Send records the request (``sending``) before a worker sends it.  Storing a 5 MB
request takes ~60 ms; :class:`HistoryAdds` stores it on a thread of its own and
waits for it on the GUI thread for at most :data:`WAIT_MS`.  A request stored by
then carries on at once, as if stored in place; a later one carries on when it is
stored.  Requests carry on in the order they were given, one after another.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait

from PySide6.QtCore import QObject, Qt, Signal

from vessl_gui.core.errors import StorageError
from vessl_gui.core.history import HistoryStore
from vessl_gui.core.models import AsyncRequest, HistoryEntry

log = logging.getLogger(__name__)

#: How long the GUI thread waits for a request to be stored before carrying on later (ms).
WAIT_MS = 20
#: Requests with this much data are not waited for (storing them takes longer than that).
NO_WAIT_FROM = 1_500_000
#: How long closing the window waits for requests still being stored (s).
DRAIN_S = 10.0

#: Called with (the stored row, None) or (None, why it could not be stored).
Then = Callable[[HistoryEntry | None, str | None], None]


class _Relay(QObject):
    """Lives on the GUI thread; a stored request's end reaches it queued."""

    stored = Signal()


class HistoryAdds(QObject):
    """Stores requests in the history on a thread, in order; see the module's doc."""

    def __init__(self, store: HistoryStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._pool: ThreadPoolExecutor | None = None
        self._queue: deque[tuple[Future[HistoryEntry], Then]] = deque()
        self._relay = _Relay(self)
        self._relay.stored.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def pending(self) -> int:
        """Requests given and not carried on yet."""
        return len(self._queue)

    def add(self, request: AsyncRequest, then: Then, wait_ms: int = WAIT_MS) -> bool:
        """Store ``request``; ``then`` carries on with the row.  True when carried on
        before returning (stored within ``wait_ms``, nothing given before it pending,
        less than :data:`NO_WAIT_FROM` characters of data)."""
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="vessl-add")
        future = self._pool.submit(self._store.add, request)
        self._queue.append((future, then))
        if len(self._queue) == 1 and len(request.data) < NO_WAIT_FROM:
            wait([future], timeout=wait_ms / 1000)
            if future.done():
                self._queue.popleft()
                _carry_on(future, then)
                return True
        future.add_done_callback(lambda _: self._relay.stored.emit())
        return False

    def _deliver(self) -> None:
        while self._queue and self._queue[0][0].done():
            future, then = self._queue.popleft()
            _carry_on(future, then)

    def drain(self, timeout: float = DRAIN_S) -> None:
        """At close: wait (at most ``timeout`` s in all) for the requests given, carry
        each on, and let the thread go.  What could not be stored is logged."""
        deadline = time.monotonic() + timeout
        while self._queue:
            future, then = self._queue.popleft()
            wait([future], timeout=max(0.0, deadline - time.monotonic()))
            if not future.done():  # it may still be stored; the next start then says so
                log.warning("a request was still being stored at close")
                continue
            if future.exception() is not None:
                log.warning("a request could not be stored at close: %s", future.exception())
            try:
                _carry_on(future, then)
            except Exception:  # the rest of the shutdown must still run
                log.exception("a stored request could not be handed over at close")
        if self._pool is not None:
            self._pool.shutdown(wait=False)
            self._pool = None


def _carry_on(future: Future[HistoryEntry], then: Then) -> None:
    try:
        entry = future.result()
    except StorageError as exc:
        then(None, exc.message)
        return
    except Exception:
        log.exception("storing a request failed")
        then(None, "The request could not be stored (see the log).")
        return
    then(entry, None)


__all__ = ["NO_WAIT_FROM", "WAIT_MS", "HistoryAdds"]
