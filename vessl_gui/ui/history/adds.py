"""Records large requests in the history without freezing the window.

Send records the request (``sending``) before a worker sends it.  Storing a 5 MB
request takes ~60 ms; :class:`HistoryAdds` stores it on a thread of its own and
waits for it on the GUI thread for at most :data:`WAIT_MS`.  A request stored by
then carries on at once, as if stored in place; a later one carries on when it is
stored.  Requests carry on in the order they were given, one after another.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject

from vessl_gui.core.errors import StorageError
from vessl_gui.core.history import HistoryStore
from vessl_gui.core.models import AsyncRequest, HistoryEntry
from vessl_gui.ui.background import Done, Runner

log = logging.getLogger(__name__)

#: How long the GUI thread waits for a request to be stored before carrying on later (ms).
WAIT_MS = 20
#: Requests with this much data are not waited for (storing them takes longer than that).
NO_WAIT_FROM = 1_500_000
#: How long closing the window waits for requests still being stored (s).
DRAIN_S = 10.0

#: Called with (the stored row, None) or (None, why it could not be stored).
Then = Callable[[HistoryEntry | None, str | None], None]


class HistoryAdds(QObject):
    """Stores requests in the history on a thread, in order; see the module's doc."""

    def __init__(self, store: HistoryStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._runner = Runner("vessl-add", self)  # one thread: stored in the order given
        self._closing = False

    def pending(self) -> int:
        """Requests given and not carried on yet."""
        return self._runner.pending()

    def add(
        self,
        request: AsyncRequest,
        then: Then,
        wait_ms: int = WAIT_MS,
        *,
        secret_vars: tuple[str, ...] = (),
    ) -> bool:
        """Store ``request``; ``then`` carries on with the row.  True when carried on
        before returning (stored within ``wait_ms``, nothing given before it pending,
        less than :data:`NO_WAIT_FROM` characters of data)."""
        wait = wait_ms if len(request.data) < NO_WAIT_FROM else 0
        return self._runner.submit(
            lambda: self._store.add(request, secret_vars=secret_vars),
            lambda done: self._carry_on(done, then),
            wait_ms=wait,
        )

    def _carry_on(self, done: Done[HistoryEntry], then: Then) -> None:
        if self._closing and done.error is not None:
            log.warning("a request could not be stored at close: %s", done.error)
        if isinstance(done.error, StorageError):
            then(None, done.error.message)
        elif done.error is not None:
            log.error("storing a request failed", exc_info=done.error)
            then(None, "The request could not be stored (see the log).")
        else:
            then(done.value, None)

    def drain(self, timeout: float = DRAIN_S) -> None:
        """At close: wait (at most ``timeout`` s in all) for the requests given, carry
        each on, and let the thread go.  What could not be stored is logged."""
        self._closing = True
        self._runner.drain(timeout)


__all__ = ["NO_WAIT_FROM", "WAIT_MS", "HistoryAdds"]
