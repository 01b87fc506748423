"""Driving one batch through the send workers: :class:`BatchRun`.

A :class:`~vessl_gui.core.batch.BatchSchedule` decides when the next item may start
(concurrency, a requests-per-second limit, pause, a 429's wait); this object asks it
on a timer, takes the next ``queued`` rows of the batch from the history (file
order), marks each ``sending`` before it goes (so a crash leaves it ``unknown``, never
re-sent automatically) and gives it to the existing send workers.  The workers'
answers come back here: an id is a success, a 429 puts the row back in the queue and
slows the whole batch down, any other error is a failure.  The GUI thread does only
bookkeeping: the rows are taken from the history and marked on a thread of their
own (a write there can wait for the search index's catch-up; 10 000 rows: up to
~20 ms a call measured, too much for the window), at most :data:`STARTS_PER_TICK`
a tick.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from vessl_gui.core import errors
from vessl_gui.core.batch import BatchSchedule
from vessl_gui.core.batch.prepare import wire_text
from vessl_gui.core.history import HistoryStore
from vessl_gui.core.models import AsyncRequest, BatchInfo, ClientConfig
from vessl_gui.core.variables import Variable

if TYPE_CHECKING:
    from vessl_gui.ui.background import Done, Runner
    from vessl_gui.ui.workers import WorkerThreads

#: Starts a timer tick at most (the rest on the next tick: the window keeps painting).
STARTS_PER_TICK = 32
#: How often the progress is told while the batch runs (ms).
PROGRESS_MS = 200


class BatchRun(QObject):
    """One batch being sent.

    Signals:
        progressed(BatchProgress): counts, rate, time left (every ~200 ms and at the end).
        ended(str state): ``done`` or ``stopped`` (the rest stays queued).
        message(str): something to tell the user (a 429's wait, a row that failed).
    """

    progressed = Signal(object)
    ended = Signal(str)
    message = Signal(str)

    def __init__(
        self,
        store: HistoryStore,
        info: BatchInfo,
        schedule: BatchSchedule,
        *,
        workers: Callable[[], WorkerThreads],
        token: str,
        config: ClientConfig,
        variables: Sequence[Variable] = (),
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.info = info
        self.schedule = schedule
        self._workers = workers
        self._token = token
        self._config = config
        self._variables = tuple(variables)
        self.in_flight: set[int] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._tick)
        self._progress = QTimer(self)
        self._progress.setInterval(PROGRESS_MS)
        self._progress.timeout.connect(self._tell)
        self._ended = False
        self._feeding = False  # rows being fetched on the feeding thread
        self._last_feed = 0
        self._runner: Runner | None = None

    @property
    def batch_id(self) -> str:
        return self.info.batch_id

    def owns(self, row_id: int) -> bool:
        """Whether ``row_id`` is a row of this batch being sent now."""
        return row_id in self.in_flight

    def start(self) -> None:
        workers = self._workers()
        workers.created.connect(self._on_created)
        workers.send_failed.connect(self._on_failed)
        workers.storage_failed.connect(self._on_storage_failed)
        workers.set_config(self.info.base_url, self._config)
        workers.set_token(self.info.base_url, self._token)
        self.store.set_batch_state(self.batch_id, "running")
        self._progress.start()
        self._arm(0)

    # -- controls --------------------------------------------------------------------

    def pause(self) -> None:
        self.schedule.pause()
        self.store.set_batch_state(self.batch_id, "paused")
        self._tell()

    def resume(self) -> None:
        self.schedule.resume(time.monotonic())
        self.store.set_batch_state(self.batch_id, "running")
        self._arm(0)

    def stop(self) -> None:
        """No more starts; the requests in flight end; the rest stays queued."""
        self.schedule.stop()
        self.store.set_batch_state(self.batch_id, "stopped")
        self._maybe_end()
        self._tell()

    # -- the loop --------------------------------------------------------------------

    def _arm(self, delay_s: float | None) -> None:
        if delay_s is not None and not self._ended:
            self._timer.start(max(0, int(delay_s * 1000)))

    @Slot()
    def _tick(self) -> None:
        now = time.monotonic()
        n = 0 if self._feeding else min(self.schedule.ready(now), STARTS_PER_TICK)
        if n:
            for _ in range(n):  # the slots are taken now; the rows are fetched on a thread
                self.schedule.started(now)
            self._feeding = True
            self._last_feed = n
            self._feeder().submit(lambda: self._take(n), self._fed)
        if self._maybe_end():
            return
        if not self._feeding:
            now = time.monotonic()
            nxt = self.schedule.next_time(now)
            self._arm(None if nxt is None else nxt - now)

    def _feeder(self) -> Runner:
        if self._runner is None:
            from vessl_gui.ui.background import Runner

            self._runner = Runner("vessl-batch-feed", self)
        return self._runner

    def _take(self, n: int) -> tuple[list[tuple[int, AsyncRequest]], int, str | None]:
        """On the feeding thread: the next ``n`` queued rows, each marked ``sending`` before
        it is handed over (a crash then leaves it ``unknown``, never sent twice), with
        their variables replaced; how many failed that replacement; and why the history
        could not be read, if it could not (the rows taken until then are kept)."""
        out: list[tuple[int, AsyncRequest]] = []
        failed = 0
        try:
            for row in self.store.next_queued(self.batch_id, n):
                if not self.store.start_sending(row.row_id, now=time.time()):
                    continue  # deleted or taken meanwhile
                try:
                    path, data = wire_text(row.path, row.data, self._variables)
                except errors.ValidationError as exc:  # a variable removed meanwhile
                    self.store.mark_send_failed(row.row_id, errors.ProtocolError(exc.message))
                    failed += 1
                    continue
                out.append((row.row_id, AsyncRequest(row.base_url, row.method, path, data)))
        except errors.StorageError as exc:
            return out, failed, exc.message
        return out, failed, None

    def _fed(self, done: Done[tuple[list[tuple[int, AsyncRequest]], int, str | None]]) -> None:
        """Back on the GUI thread: hand the rows to the send workers."""
        self._feeding = False
        rows: list[tuple[int, AsyncRequest]] = []
        failed = 0
        problem: str | None = str(done.error)
        if done.error is None and done.value is not None:
            rows, failed, problem = done.value
        now = time.monotonic()
        left = max(0, self._last_feed - len(rows) - failed)  # slots taken, no row sent
        if problem is not None:
            self.schedule.returned(left)  # their rows are still queued: later, not lost
        elif left:
            self.schedule.withdrawn(left)  # no row was left for them (deleted meanwhile)
        for _ in range(failed):
            self.schedule.finished(False, now)
        if self._ended:  # closing: taken but never sent, so safe to send later
            for row_id, _ in rows:
                self.store.requeue(row_id, "Not sent yet: the window was closed first.")
            return
        workers = self._workers()
        for row_id, request in rows:
            self.in_flight.add(row_id)
            workers.send(row_id, request, self._token, self._config)
        if problem is not None and self.schedule.state == "running":
            with contextlib.suppress(errors.StorageError):  # paused here all the same
                self.pause()
            self.message.emit(
                f"The batch is paused: its next requests could not be read from the "
                f"history ({problem}). Resume to try again."
            )
        self._after_answer()

    @Slot(int, str, str)
    def _on_created(self, row_id: int, base_url: str, request_id: str) -> None:
        if row_id in self.in_flight:
            self.in_flight.discard(row_id)
            self.schedule.finished(True, time.monotonic())
            self._after_answer()

    @Slot(int, object)
    def _on_failed(self, row_id: int, error: errors.ServeError) -> None:
        if row_id not in self.in_flight:
            return
        self.in_flight.discard(row_id)
        now = time.monotonic()
        if isinstance(error, errors.RateLimitedError) and self.store.requeue(row_id):
            # Refused, so nothing was created: it goes back to the queue, and the whole
            # batch waits and slows down.
            self.schedule.rate_limited(error.retry_after, now)
            wait = error.retry_after
            self.message.emit(
                "The service is rate limiting: the batch slows down"
                + (f" and waits {wait:g} s." if wait else ".")
            )
        else:
            self.schedule.finished(False, now)
        self._after_answer()

    @Slot(str)
    def _on_storage_failed(self, message: str) -> None:
        self.message.emit(f"History could not be saved: {message}")

    def _after_answer(self) -> None:
        if self._maybe_end():
            return
        if not self._timer.isActive() and not self._feeding:
            now = time.monotonic()
            nxt = self.schedule.next_time(now)
            self._arm(None if nxt is None else nxt - now)

    def _maybe_end(self) -> bool:
        p = self.schedule.progress(time.monotonic())
        over = p.in_flight == 0 and (p.remaining == 0 or p.state == "stopped")
        if not over or self._ended or self._feeding:
            return self._ended
        self._ended = True
        state = "done" if p.remaining == 0 else "stopped"
        self.store.set_batch_state(self.batch_id, state)
        self._timer.stop()
        self._progress.stop()
        self._tell()
        self.ended.emit(state)
        return True

    @Slot()
    def _tell(self) -> None:
        self.progressed.emit(self.schedule.progress(time.monotonic()))

    def shutdown(self) -> None:
        """At close: no more starts; the rows in flight end as queued sends do."""
        self._ended = True
        self._timer.stop()
        self._progress.stop()
        if self._runner is not None:
            self._runner.drain(5.0)  # rows being taken: marked sending, so they end unknown
        if self.schedule.state == "running":
            self.schedule.pause()
            self.store.set_batch_state(self.batch_id, "paused")
