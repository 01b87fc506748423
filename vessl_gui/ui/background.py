"""The one way the window runs work off the GUI thread and gets the answer back on it.

A :class:`Runner` owns a small pool of named daemon threads (a job that never ends,
such as a keyring waiting for an unlock prompt, must not keep the app from exiting).
:meth:`Runner.submit` runs a function there and calls ``then(Done)`` later on the
GUI thread (queued through a relay that lives there), in the order the jobs were
submitted, or at once when the job ends within ``wait_ms`` (the GUI thread waits
that long: a small job is answered as if run in place, a large one later).  A job
submitted with ``latest=True`` supersedes every job submitted before it: their
answers are dropped and those not started yet are skipped (holding a key down the
history rows reads only the last one).  :meth:`Runner.cancel` drops everything
pending; :meth:`Runner.drain` (at close) waits, with a bound, and delivers what ended.

``then`` is never called for a dropped job, never from a worker thread, and an
exception in the job is handed to it as :attr:`Done.error`, not raised into the
event loop.  Used by the history reader and writer, the filter's match counter,
the whole-file check, the keyring opener and the JSON editor's checks.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, wait
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, Qt, Signal

from vessl_gui.core.records import record

log = logging.getLogger(__name__)

T = TypeVar("T")


@record
class Done(Generic[T]):
    """What a job ended with: its ``value``, or the ``error`` it raised."""

    value: T | None
    error: BaseException | None = None

    def unwrap(self) -> T | None:
        """The value; the job's exception is raised again."""
        if self.error is not None:
            raise self.error
        return self.value


Then = Callable[[Done[Any]], None]


class _Relay(QObject):
    """Lives on the GUI thread; a job's end reaches it queued from the worker thread."""

    ended = Signal()


class Runner(QObject):
    """Runs jobs on ``threads`` threads named ``name``; see the module's doc."""

    def __init__(self, name: str, parent: QObject | None = None, threads: int = 1) -> None:
        super().__init__(parent)
        self._name = name
        self._threads = threads
        self._jobs: queue.SimpleQueue[tuple[Future[Any], Callable[[], Any]] | None] = (
            queue.SimpleQueue()
        )
        self._workers: list[threading.Thread] = []
        self._queue: deque[tuple[Future[Any], Then]] = deque()
        self._relay = _Relay(self)
        # Queued even when the job ends on this thread (while the GUI thread waits).
        self._relay.ended.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def pending(self) -> int:
        """Jobs submitted whose answer has not been given yet."""
        return len(self._queue)

    def submit(
        self,
        fn: Callable[[], T],
        then: Callable[[Done[T]], None],
        *,
        wait_ms: int = 0,
        latest: bool = False,
    ) -> bool:
        """Run ``fn`` on the pool; ``then`` gets its :class:`Done` on the GUI thread.

        True when ``then`` was called before returning (the job ended within
        ``wait_ms`` and nothing submitted before it is still pending).
        """
        if latest:
            self.cancel()
        future: Future[T] = Future()
        if len(self._workers) < self._threads:
            n = len(self._workers)
            name = self._name if self._threads == 1 else f"{self._name}-{n}"
            worker = threading.Thread(target=self._work, name=name, daemon=True)
            self._workers.append(worker)
            worker.start()
        self._jobs.put((future, fn))
        self._queue.append((future, then))
        if wait_ms > 0 and len(self._queue) == 1:
            wait([future], timeout=wait_ms / 1000)
            if future.done():
                self._queue.popleft()
                _answer(future, then)
                return True
        future.add_done_callback(lambda _: self._relay.ended.emit())
        return False

    def wait_done(self, timeout: float) -> bool:
        """Wait (at most ``timeout`` s) until every pending job has ended, without
        answering them (their answers come through the event loop, posted a moment
        after the job ends: ``pending()`` may still count them); True if all ended."""
        futures = [future for future, _ in self._queue]
        _, not_done = wait(futures, timeout=timeout)
        return not not_done

    def cancel(self) -> None:
        """Drop the answers of every pending job; skip those not started yet."""
        while self._queue:
            future, _ = self._queue.popleft()
            future.cancel()

    def _deliver(self) -> None:
        while self._queue and self._queue[0][0].done():
            future, then = self._queue.popleft()
            _answer(future, then)

    def drain(self, timeout: float) -> None:
        """At close: wait (at most ``timeout`` s in all) for the pending jobs, answer
        each that ended, in order, and let the threads go."""
        deadline = time.monotonic() + timeout
        while self._queue:
            future, then = self._queue.popleft()
            wait([future], timeout=max(0.0, deadline - time.monotonic()))
            if not future.done():
                log.warning("%s: a job was still running at close", self._name)
                continue
            try:
                _answer(future, then)
            except Exception:  # the rest of the shutdown must still run
                log.exception("%s: a job's answer failed at close", self._name)
        self.shutdown(wait_for_jobs=False)

    def shutdown(self, *, wait_for_jobs: bool = True, timeout: float = 5.0) -> None:
        """Drop what is pending and stop the threads after the job under way (waiting
        for it at most ``timeout`` s when ``wait_for_jobs``).  Submitting again starts
        new threads."""
        self.cancel()
        workers, self._workers = self._workers, []
        for _ in workers:
            self._jobs.put(None)
        if wait_for_jobs:
            deadline = time.monotonic() + timeout
            for worker in workers:
                worker.join(max(0.0, deadline - time.monotonic()))
        self._jobs = queue.SimpleQueue()

    def _work(self) -> None:
        jobs = self._jobs
        while True:
            item = jobs.get()
            if item is None:
                return
            future, fn = item
            if not future.set_running_or_notify_cancel():
                continue  # cancelled before it started
            try:
                result = fn()
            except BaseException as exc:  # handed to `then`, never raised here
                future.set_exception(exc)
            else:
                future.set_result(result)


def _answer(future: Future[Any], then: Then) -> None:
    if future.cancelled():
        return
    error = future.exception()
    then(Done(None, error) if error is not None else Done(future.result()))


__all__ = ["Done", "Runner"]
