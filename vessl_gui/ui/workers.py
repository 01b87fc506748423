"""Worker objects that talk to the network on their own ``QThread``.

The worker-object pattern: a plain ``QObject`` moved to a ``QThread`` with
``moveToThread``, reporting by signals.  The poll worker is driven by queued
signals and timers on its thread's event loop; a send worker's thread blocks
on a plain queue instead (handing it a send that way costs less than a queued
signal through the thread's event dispatcher; tests/benchmarks B3).  Each
worker owns one :class:`~vessl_gui.core.client.ServeClient` (created on its
own thread) so connections are reused.  Sends and polls run on different
threads, so a hung status check never delays a send.

The workers write results into the history store themselves (it is
thread-safe) before they report them, so whatever the window shows is
already on disk.  A send worker reports each answer with one signal (one
thread hop back to the GUI thread, which then emits the public signals), and
brings the history's text index up to date (and checkpoints its log) on its
own thread when it has been idle for :data:`INDEX_SYNC_MS` (tests/benchmarks B3).
"""

from __future__ import annotations

import logging
import queue
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QObject,
    QThread,
    QTimer,
    Signal,
    SignalInstance,
    Slot,
)

from vessl_gui.core import errors
from vessl_gui.core.abort import Aborter
from vessl_gui.core.client import ServeClient
from vessl_gui.core.history import HistoryStore
from vessl_gui.core.models import AsyncRequest, ClientConfig, HistoryEntry

log = logging.getLogger(__name__)

#: Poll intervals: start at about 1 s, grow by half each time, cap at 30 s.
POLL_FIRST = 1.0
POLL_GROWTH = 1.5
POLL_MAX = 30.0
POLL_TICK_MS = 200
#: At most this many status checks per tick, so new work is picked up quickly.
POLL_BATCH = 16
#: A send worker idle this long indexes the rows sent for text search (and checkpoints
#: the history's log); one that is never idle does it every SYNC_EVERY sends.
INDEX_SYNC_MS = 500
SYNC_EVERY = 5000

ClientFactory = Callable[[ClientConfig], ServeClient]


def make_client(config: ClientConfig) -> ServeClient:
    """The default factory: a ServeClient set up from a ClientConfig."""
    return ServeClient(timeouts=config.timeouts, verify=config.verify, ca_bundle=config.ca_bundle)


class _Clients:
    """One ServeClient per ClientConfig, owned by one worker thread."""

    def __init__(self, factory: ClientFactory, aborter: Aborter) -> None:
        self._factory = factory
        self._aborter = aborter
        self._clients: dict[ClientConfig, ServeClient] = {}
        self._last: tuple[ClientConfig, ServeClient] | None = None

    def get(self, config: ClientConfig) -> ServeClient:
        last = self._last
        if last is not None and last[0] is config:  # the same settings object as last time
            return last[1]
        client = self._clients.get(config)
        if client is None:
            client = self._clients[config] = self._factory(config)
            self._aborter.install(client.http)
        self._last = (config, client)
        return client

    def close(self) -> None:
        for client in self._clients.values():
            client.close()
        self._clients.clear()
        self._last = None


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
        self._clients = _Clients(client_factory, self.aborter)
        self._unsynced = 0  # sends since the last catch-up

    def serve(self, jobs: queue.SimpleQueue[_SendJob | None]) -> None:
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
        _leave_thread(self)


#: One send: (row_id, request, token, config).
_SendJob = tuple[int, AsyncRequest, str, ClientConfig]


class _SendThread(QThread):
    """Runs one SendWorker's loop (:meth:`SendWorker.serve`) on its jobs queue."""

    def __init__(self, worker: SendWorker) -> None:
        super().__init__()
        self.worker = worker
        self.jobs: queue.SimpleQueue[_SendJob | None] = queue.SimpleQueue()

    def run(self) -> None:
        self.worker.serve(self.jobs)


def _leave_thread(worker: QObject) -> None:
    """Hand the worker back to the GUI thread and end its own thread's loop."""
    thread = QThread.currentThread()
    app = QCoreApplication.instance()
    if app is not None:
        worker.moveToThread(app.thread())
    thread.quit()


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
        self._first = POLL_FIRST
        self._max = POLL_MAX
        self._timer: QTimer | None = None
        self.aborter = Aborter()
        self._clients = _Clients(client_factory, self.aborter)

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
        _leave_thread(self)

    @Slot(str, object)
    def set_config(self, base_url: str, config: ClientConfig) -> None:
        """The client settings for one service ("" sets the default for all others)."""
        if base_url:
            self._configs[base_url] = config
        else:
            self._default_config = config

    @Slot(float, float)
    def set_intervals(self, first: float, maximum: float) -> None:
        self._first = max(0.05, first)
        self._max = max(self._first, maximum)

    @Slot(str, str)
    def set_token(self, base_url: str, token: str) -> None:
        if token:
            self._tokens[base_url] = token
        else:
            self._tokens.pop(base_url, None)

    @Slot(int, str, str)
    def track(self, row_id: int, base_url: str, request_id: str) -> None:
        if row_id not in self._tracked:
            now = self._clock()
            self._tracked[row_id] = _Tracked(
                row_id, base_url, request_id, now + self._first, self._first
            )

    @Slot(object)
    def refresh(self, rows: list[tuple[int, str, str]]) -> None:
        """Check these (row_id, base_url, request_id) now, and track them again."""
        now = self._clock()
        for row_id, base_url, request_id in rows:
            item = self._tracked.get(row_id)
            if item is None:
                item = self._tracked[row_id] = _Tracked(
                    row_id, base_url, request_id, now, self._first
                )
            item.due = now
            item.interval = self._first
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
            item.due = self._clock() + self._max
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
            wait = item.interval
            if isinstance(exc, errors.RateLimitedError) and exc.retry_after:
                wait = max(wait, exc.retry_after)
            item.interval = min(self._max, item.interval * POLL_GROWTH)
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
        if output.status != item.last_status:
            item.interval = self._first
        else:
            item.interval = min(self._max, item.interval * POLL_GROWTH)
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
        self._send_jobs: list[queue.SimpleQueue[_SendJob | None]] = []
        self._pending: list[int] = []
        self.abandoned: list[QThread] = []
        self._stopped = False
        for i in range(send_workers):
            worker = SendWorker(store, client_factory, index=i)
            worker.sent.connect(self._on_sent)
            worker.failed.connect(self._on_failed)
            worker.storage_failed.connect(self._on_storage_failed)
            worker.done.connect(self._on_send_done)
            sender = _SendThread(worker)
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
