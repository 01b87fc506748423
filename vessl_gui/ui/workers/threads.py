"""The worker threads, owned and wired: a small pool of send workers and one poll worker.

The worker-object pattern: plain ``QObject`` workers moved to their own ``QThread``
with ``moveToThread``, reporting by signals.  Each worker owns its own clients
(:class:`~vessl_gui.ui.workers.clients.Clients`, created on its own thread) so
connections are reused.  Sends and polls run on different threads, so a hung
status check never delays a send.  :class:`WorkerThreads` routes work to them from
the GUI thread and stops them with a bound.
"""

from __future__ import annotations

import logging
import queue
import time
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from vessl_gui.core import errors
from vessl_gui.core.history import HistoryStore
from vessl_gui.core.models import AsyncRequest, ClientConfig, HistoryEntry
from vessl_gui.ui.workers.clients import ClientFactory
from vessl_gui.ui.workers.poll import PollWorker
from vessl_gui.ui.workers.send import SendJob, SendThread, SendWorker

log = logging.getLogger(__name__)


class _PollPort(QObject):
    """Lives on the GUI thread; its signals reach the PollWorker queued."""

    track = Signal(int, str, str)
    refresh = Signal(object)
    set_token = Signal(str, str)
    set_config = Signal(str, object)
    set_intervals = Signal(float, float)
    shutdown = Signal()


class WorkerThreads(QObject):
    """Owns the worker threads and routes work to them; stops them with a bound.

    Sends go to a small pool: each send goes to the worker with the fewest
    queued sends (the first on a tie), so sends made one after another reuse
    one connection, while a slow send does not hold up the next one.

    Signals (all emitted on the GUI thread's side of queued connections):
        row_updated(HistoryEntry), created(int, str, str), send_failed(int, object),
        finished(HistoryEntry), storage_failed(str)
    """

    row_updated = Signal(object)
    created = Signal(int, str, str)
    send_failed = Signal(int, object)
    finished = Signal(object)
    storage_failed = Signal(str)

    def __init__(
        self,
        store: HistoryStore,
        client_factory: ClientFactory,
        send_workers: int = 4,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.threads: list[QThread] = []
        self.senders: list[SendWorker] = []
        self._send_jobs: list[queue.SimpleQueue[SendJob | None]] = []
        self._pending: list[int] = []
        self.abandoned: list[QThread] = []
        self._stopped = False
        for i in range(send_workers):
            worker = SendWorker(store, client_factory, index=i)
            worker.sent.connect(self._on_sent)
            worker.failed.connect(self._on_failed)
            worker.storage_failed.connect(self._on_storage_failed)
            worker.done.connect(self._on_send_done)
            sender = SendThread(worker)
            self._move(worker, f"vessl-send-{i}", sender)
            self.senders.append(worker)
            self._send_jobs.append(sender.jobs)
            self._pending.append(0)
        self.poller = PollWorker(store, client_factory)
        self._poll_port = _PollPort(self)
        self._poll_port.track.connect(self.poller.track)
        self._poll_port.refresh.connect(self.poller.refresh)
        self._poll_port.set_token.connect(self.poller.set_token)
        self._poll_port.set_config.connect(self.poller.set_config)
        self._poll_port.set_intervals.connect(self.poller.set_intervals)
        self._poll_port.shutdown.connect(self.poller.shutdown)
        self.poller.row_updated.connect(self.row_updated)
        self.poller.finished.connect(self.finished)
        self.poller.storage_failed.connect(self.storage_failed)
        poll_thread = self._move(self.poller, "vessl-poll")
        poll_thread.started.connect(self.poller.start)

    def _move(self, worker: QObject, name: str, thread: QThread | None = None) -> QThread:
        if thread is None:
            thread = QThread()
        thread.setObjectName(name)
        worker.moveToThread(thread)
        self.threads.append(thread)
        return thread

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    # -- routing (GUI thread) ------------------------------------------------

    def send(
        self, row_id: int, request: AsyncRequest, token: str, config: ClientConfig | None = None
    ) -> None:
        index = min(range(len(self.senders)), key=lambda i: self._pending[i])
        self._pending[index] += 1
        self._send_jobs[index].put((row_id, request, token, config or ClientConfig()))

    def in_flight(self) -> int:
        return sum(self._pending)

    @Slot(int)
    def _on_send_done(self, index: int) -> None:
        self._pending[index] = max(0, self._pending[index] - 1)

    # The worker is counted free before the answer is passed on: a send made in
    # reply then goes to the same worker and its open connection.
    @Slot(int, object, str, str)
    def _on_sent(self, index: int, entry: HistoryEntry, base_url: str, request_id: str) -> None:
        self._pending[index] = max(0, self._pending[index] - 1)
        self.row_updated.emit(entry)
        self.created.emit(entry.row_id, base_url, request_id)

    @Slot(int, object, object)
    def _on_failed(self, index: int, entry: HistoryEntry, error: errors.ServeError) -> None:
        self._pending[index] = max(0, self._pending[index] - 1)
        self.row_updated.emit(entry)
        self.send_failed.emit(entry.row_id, error)

    @Slot(int, str)
    def _on_storage_failed(self, index: int, message: str) -> None:
        self._pending[index] = max(0, self._pending[index] - 1)
        self.storage_failed.emit(message)

    def track(self, row_id: int, base_url: str, request_id: str) -> None:
        self._poll_port.track.emit(row_id, base_url, request_id)

    def refresh(self, rows: list[tuple[int, str, str]]) -> None:
        self._poll_port.refresh.emit(rows)

    def set_token(self, base_url: str, token: str) -> None:
        self._poll_port.set_token.emit(base_url, token)

    def set_config(self, base_url: str, config: ClientConfig) -> None:
        """Client settings for polls of one service ("" = the default)."""
        self._poll_port.set_config.emit(base_url, config)

    def set_intervals(self, first: float, maximum: float) -> None:
        self._poll_port.set_intervals.emit(first, maximum)

    # -- shutdown ------------------------------------------------------------

    def stop(self, timeout_ms: int = 2500) -> bool:
        """Cut connections, stop and join every thread; True when all stopped in time."""
        if self._stopped:
            return not self.abandoned
        self._stopped = True
        workers: list[Any] = [*self.senders, self.poller]
        for worker in workers:
            worker.aborter.abort()
        for jobs in self._send_jobs:
            jobs.put(None)
        self._poll_port.shutdown.emit()
        deadline = time.monotonic() + timeout_ms / 1000
        for thread in self.threads:
            left = max(0, int((deadline - time.monotonic()) * 1000))
            if not thread.wait(left):
                log.warning("thread %s did not stop in time", thread.objectName())
                self.abandoned.append(thread)
        return not self.abandoned
