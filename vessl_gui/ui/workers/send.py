"""Send workers: each sends creates one at a time on its own thread, from a plain queue.

A send worker's thread blocks on a plain queue (handing it a send that way costs
less than a queued signal through the thread's event dispatcher; tests/benchmarks
B3).  It writes the outcome into the history store itself (it is thread-safe)
before it reports it, with one signal (one thread hop back to the GUI thread,
which then emits the public signals), and brings the history's text index up to
date (and checkpoints its log) on its own thread when it has been idle for
:data:`INDEX_SYNC_MS` (tests/benchmarks B3).
"""

from __future__ import annotations

import logging
import queue
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, SignalInstance

from vessl_gui.core import errors
from vessl_gui.core.abort import Aborter
from vessl_gui.core.history import HistoryStore
from vessl_gui.core.models import AsyncRequest, ClientConfig
from vessl_gui.ui.workers.clients import ClientFactory, Clients
from vessl_gui.ui.workers.leave import leave_thread

log = logging.getLogger(__name__)

#: A send worker idle this long indexes the rows sent for text search (and checkpoints
#: the history's log); one that is never idle does it every SYNC_EVERY sends.
INDEX_SYNC_MS = 500
SYNC_EVERY = 5000


class SendWorker(QObject):
    """Sends creates, one at a time, on its thread.

    Each send ends with exactly one of these signals, which also tells the pool
    that this worker is free (so a send made in reply to the answer finds it idle
    and reuses its connection; tests/benchmarks B3):

        sent(int index, HistoryEntry entry, str base_url, str request_id): a request
            now exists; ``entry`` is its row after the answer was stored.
        failed(int index, HistoryEntry entry, ServeError error): the create failed
            (row updated too).
        storage_failed(int index, str message): the history store could not be written.
        done(int index): the send ended any other way (an unexpected error).
    """

    sent = Signal(int, object, str, str)
    failed = Signal(int, object, object)
    storage_failed = Signal(int, str)
    done = Signal(int)

    def __init__(self, store: HistoryStore, client_factory: ClientFactory, index: int = 0) -> None:
        super().__init__()
        self._store = store
        self._index = index
        self.aborter = Aborter()
        self._clients = Clients(client_factory, self.aborter)
        self._unsynced = 0  # sends since the last catch-up

    def serve(self, jobs: queue.SimpleQueue[SendJob | None]) -> None:
        """The send thread's loop: run the jobs in order until ``None``, then shut down.

        It blocks on a plain queue, not on a Qt event loop: waking it that way is
        cheaper than a queued signal (tests/benchmarks B3).  Idle for
        :data:`INDEX_SYNC_MS` after some sends, it catches the text index up.
        """
        while True:
            try:
                job = jobs.get(timeout=INDEX_SYNC_MS / 1000 if self._unsynced else None)
            except queue.Empty:
                self._sync_index()
                continue
            if job is None:
                self.shutdown()
                return
            try:
                self.send(*job)
            except Exception:  # reported (done) by send; the next job still runs
                log.exception("a send failed unexpectedly")

    def send(self, row_id: int, request: AsyncRequest, token: str, config: ClientConfig) -> None:
        """Send one create and report it (on the caller's thread: the worker's)."""
        self._unsynced += 1
        if self._unsynced > SYNC_EVERY:  # never idle: do not let the index fall far behind
            self._sync_index()
        try:
            signal, args = self._send(row_id, request, token, config)
        except BaseException:
            self.done.emit(self._index)
            raise
        # The report is the last thing done here: the GUI thread, woken by it, waits for
        # this thread's GIL as little as possible (PySide lets go of the GIL while it
        # emits; a report by postEvent, which keeps it, measured no better; B3).
        signal.emit(*args)

    def _send(
        self, row_id: int, request: AsyncRequest, token: str, config: ClientConfig
    ) -> tuple[SignalInstance, tuple[Any, ...]]:
        """Send and store the outcome; returns the signal reporting it, with its arguments."""
        index = self._index
        try:
            try:
                submission = self._clients.get(config).create(request, token)
            except errors.ServeError as exc:
                entry = self._store.mark_send_failed(row_id, exc)
                return self.failed, (index, entry, exc)
            try:
                entry = self._store.mark_sent(row_id, submission)
            except errors.StorageError as exc:
                # The request exists now: its id must not vanish with the failed write.
                rid = submission.request_id
                log.warning("request %s was created but could not be recorded", rid)
                message = (
                    f"{exc.message} Request {rid} was created: note its id, "
                    "it is not in the history."
                )
                return self.storage_failed, (index, message)
        except errors.StorageError as exc:
            return self.storage_failed, (index, exc.message)
        return self.sent, (index, entry, request.base_url, submission.request_id)

    def _sync_index(self) -> None:
        """Catch up the text index and checkpoint the history's log, off the GUI thread."""
        self._unsynced = 0
        try:
            self._store.sync_search_index()
            self._store.checkpoint()
        except errors.StorageError as exc:  # searching catches up (and reports) later
            log.info("the history was not caught up: %s", exc.message)

    def shutdown(self) -> None:
        self._clients.close()
        leave_thread(self)


#: One send: (row_id, request, token, config).
SendJob = tuple[int, AsyncRequest, str, ClientConfig]


class SendThread(QThread):
    """Runs one SendWorker's loop (:meth:`SendWorker.serve`) on its jobs queue."""

    def __init__(self, worker: SendWorker) -> None:
        super().__init__()
        self.worker = worker
        self.jobs: queue.SimpleQueue[SendJob | None] = queue.SimpleQueue()

    def run(self) -> None:
        self.worker.serve(self.jobs)
