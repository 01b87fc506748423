"""The poll worker: checks the status of unfinished requests with backoff, on its thread.

A plain ``QObject`` moved to its own ``QThread`` (the worker-object pattern), driven
by queued signals and a timer on that thread's event loop: every
:data:`POLL_TICK_MS` it checks the requests that are due (at most
:data:`POLL_BATCH`), and :class:`~vessl_gui.core.polling.Backoff` says when each is
due next.  It stores each answer in the history (thread-safe) before it reports
it, so whatever the window shows is already on disk.  Polls run on a thread of
their own, so a hung status check never delays a send.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from vessl_gui.core import errors
from vessl_gui.core.abort import Aborter
from vessl_gui.core.history import HistoryStore
from vessl_gui.core.models import ClientConfig, HistoryEntry
from vessl_gui.core.polling import Backoff
from vessl_gui.ui.workers.clients import ClientFactory, Clients
from vessl_gui.ui.workers.leave import leave_thread

log = logging.getLogger(__name__)

POLL_TICK_MS = 200
#: At most this many status checks per tick, so new work is picked up quickly.
POLL_BATCH = 16


@dataclass
class _Tracked:
    row_id: int
    base_url: str
    request_id: str
    due: float
    interval: float
    last_status: str = ""


class PollWorker(QObject):
    """Checks the status of unfinished requests with backoff, on its thread.

    Signals:
        row_updated(HistoryEntry): a row after a status answer or error was stored.
        finished(HistoryEntry): a row reached ``completed`` or ``failed``.
        storage_failed(str message): the history store could not be written.
    """

    row_updated = Signal(object)
    finished = Signal(object)
    storage_failed = Signal(str)

    def __init__(
        self,
        store: HistoryStore,
        client_factory: ClientFactory,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self._store = store
        self._clock = clock
        self._tracked: dict[int, _Tracked] = {}
        self._tokens: dict[str, str] = {}
        self._configs: dict[str, ClientConfig] = {}
        self._default_config = ClientConfig()
        self._backoff = Backoff.default()
        self._timer: QTimer | None = None
        self.aborter = Aborter()
        self._clients = Clients(client_factory, self.aborter)

    @Slot()
    def start(self) -> None:
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    @Slot()
    def shutdown(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._clients.close()
        leave_thread(self)

    @Slot(str, object)
    def set_config(self, base_url: str, config: ClientConfig) -> None:
        """The client settings for one service ("" sets the default for all others)."""
        if base_url:
            self._configs[base_url] = config
        else:
            self._default_config = config

    @Slot(float, float)
    def set_intervals(self, first: float, maximum: float) -> None:
        self._backoff = Backoff.limited(first, maximum)

    @Slot(str, str)
    def set_token(self, base_url: str, token: str) -> None:
        if token:
            self._tokens[base_url] = token
        else:
            self._tokens.pop(base_url, None)

    @Slot(int, str, str)
    def track(self, row_id: int, base_url: str, request_id: str) -> None:
        if row_id not in self._tracked:
            now, first = self._clock(), self._backoff.first
            self._tracked[row_id] = _Tracked(row_id, base_url, request_id, now + first, first)

    @Slot(object)
    def refresh(self, rows: list[tuple[int, str, str]]) -> None:
        """Check these (row_id, base_url, request_id) now, and track them again."""
        now = self._clock()
        for row_id, base_url, request_id in rows:
            item = self._tracked.get(row_id)
            if item is None:
                item = self._tracked[row_id] = _Tracked(
                    row_id, base_url, request_id, now, self._backoff.first
                )
            item.due = now
            item.interval = self._backoff.first
        self._tick()

    def tracked_count(self) -> int:
        return len(self._tracked)

    @Slot()
    def _tick(self) -> None:
        now = self._clock()
        due = sorted((t for t in self._tracked.values() if t.due <= now), key=lambda t: t.due)
        for item in due[:POLL_BATCH]:
            if self.aborter.aborted:
                return
            self._poll(item)

    def _poll(self, item: _Tracked) -> None:
        token = self._tokens.get(item.base_url)
        if not token:
            item.due = self._clock() + self._backoff.maximum
            self._store_error(
                item,
                errors.CredentialError(
                    "Status not checked: no token for this service. "
                    "Enter its token (and send or press Save) to resume."
                ),
            )
            return
        try:
            config = self._configs.get(item.base_url, self._default_config)
            client = self._clients.get(config)
            output = client.fetch_output(item.base_url, item.request_id, token)
        except (errors.AuthError, errors.NotFoundError) as exc:
            # Retrying will not help until the user changes something: stop, say so.
            self._tracked.pop(item.row_id, None)
            self._store_error(item, exc, stopped=True)
            return
        except errors.ServeError as exc:
            retry_after = exc.retry_after if isinstance(exc, errors.RateLimitedError) else None
            wait, item.interval = self._backoff.after_error(item.interval, retry_after)
            item.due = self._clock() + wait
            self._store_error(item, exc)
            return
        try:
            entry = self._store.record_output(item.row_id, output)
        except errors.StorageError as exc:
            self.storage_failed.emit(exc.message)
            item.due = self._clock() + item.interval
            return
        if output.is_final:
            self._tracked.pop(item.row_id, None)
            self.row_updated.emit(entry)
            self.finished.emit(entry)
            return
        changed = output.status != item.last_status
        item.interval = self._backoff.after_status(item.interval, changed)
        item.last_status = output.status
        item.due = self._clock() + item.interval
        self.row_updated.emit(entry)

    def _store_error(
        self, item: _Tracked, exc: errors.VesslGuiError, stopped: bool = False
    ) -> None:
        try:
            entry: HistoryEntry = self._store.record_poll_error(item.row_id, _as_serve(exc))
        except errors.StorageError as err:
            self.storage_failed.emit(err.message)
            return
        self.row_updated.emit(entry)
        if stopped:
            log.info("stopped checking row %s: %s", item.row_id, exc.kind)


def _as_serve(exc: errors.VesslGuiError) -> errors.ServeError:
    if isinstance(exc, errors.ServeError):
        return exc
    err = errors.ServeError(exc.message)
    err.kind = exc.kind
    return err
