"""When the next item of a batch may start: concurrency, a rate limit, pause, and 429s.

:class:`BatchSchedule` is pure bookkeeping with an injected clock: every call
that depends on time takes ``now`` (seconds, any monotonic origin), so the UI
drives it with its own timer and the tests with any sequence of events.

The rules:

* at most ``concurrency`` items in flight (started, not finished);
* at most ``rate`` starts a second (a token bucket of ``burst`` tokens, 1 by
  default: starts are paced ``1 / rate`` apart; None = no limit);
* ``pause()`` / ``resume()``: no start while paused (items in flight finish);
  ``stop()``: no start ever again (the rest stays queued in the history);
* ``rate_limited(retry_after, now)``: the service answered 429 to one create
  (which was refused, so the item goes back to the queue): the *whole* batch
  waits until ``now + retry_after`` (:data:`DEFAULT_BACKOFF` when the answer
  did not say), and its rate is halved (from the rate it was sending at) so that
  it does not hit 429 again at once; after :data:`COOLDOWN` seconds without a
  429 the rate doubles back, step by step, to the one the user chose.

The runner's loop::

    for _ in range(schedule.ready(now)):
        row = next queued row;  schedule.started(now);  send it
    # on each answer: schedule.finished(ok, now), or rate_limited(retry_after, now)
    # ask again at schedule.next_time(now) (None: after the next answer, or never)
"""

from __future__ import annotations

import math
from collections import deque
from typing import Final

from vessl_gui.core.records import record

DEFAULT_CONCURRENCY: Final = 4
#: Seconds the batch waits after a 429 that gave no ``Retry-After``.
DEFAULT_BACKOFF: Final = 5.0
#: The longest wait a ``Retry-After`` can impose (a larger one is taken as this).
MAX_BACKOFF: Final = 3600.0
#: Seconds without a 429 before the lowered rate is doubled (until back to the user's).
COOLDOWN: Final = 30.0
#: The lowest rate a 429 can bring the batch to (starts a second), unless it was sending
#: slower already.
MIN_RATE: Final = 0.05
#: Seconds of starts the progress' rate is measured over.
RATE_WINDOW: Final = 20.0

RUNNING: Final = "running"
PAUSED: Final = "paused"
STOPPED: Final = "stopped"
DONE: Final = "done"


@record
class BatchProgress:
    """A snapshot for the progress bar."""

    total: int
    sent: int
    """Created (the service answered with an id)."""
    failed: int
    """Not created, or may not have been (send errors, unknown outcomes)."""
    remaining: int
    """Not started yet (queued)."""
    in_flight: int
    rate: float | None
    """Starts a second over the last :data:`RATE_WINDOW` seconds (None: too early)."""
    eta: float | None
    """Seconds until every item has started at that rate (None: unknown; 0: none left)."""
    state: str
    """``running``, ``paused``, ``stopped`` or ``done`` (the batch states of the history)."""
    limited_rate: float | None
    """The rate a 429 lowered the batch to (None: not lowered)."""
    waiting_until: float | None
    """No start before this time (a 429's wait), or None."""


class BatchSchedule:
    """Decides when a batch's items may start (see the module's docstring).

    ``total`` items are queued at ``now``; ``sent`` / ``failed`` count items already
    finished (a batch resumed after a restart shows its whole progress).  Raises
    ValueError for a concurrency below 1, a rate or burst that is not positive, or
    negative counts.
    """

    def __init__(
        self,
        total: int,
        now: float,
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        rate: float | None = None,
        burst: float = 1.0,
        sent: int = 0,
        failed: int = 0,
    ) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be 1 or more")
        if rate is not None and not (rate > 0 and math.isfinite(rate)):
            raise ValueError("rate must be a positive number of starts a second (or None)")
        if not burst >= 1:
            raise ValueError("burst must be 1 or more")
        if min(total, sent, failed) < 0:
            raise ValueError("counts must not be negative")
        self.concurrency = concurrency
        self.rate = rate
        self.burst = float(burst)
        self.sent, self.failed = sent, failed
        self.remaining = total
        self.in_flight = 0
        self._total = total + sent + failed
        self._tokens = self.burst
        self._filled_at = now
        self._hold_until: float | None = None
        self._limited: float | None = None  # the rate a 429 lowered it to
        self._ceiling: float | None = None  # ... and the rate it was sending at then
        self._eased_at = now  # when the lowered rate last changed
        self._paused = self._stopped = False
        self._starts: deque[float] = deque()  # start times of the last RATE_WINDOW
        self._measured_from = now

    # ---------------------------------------------------------------- controls
    def pause(self) -> None:
        """No more starts until :meth:`resume`; items in flight finish."""
        self._paused = True

    def resume(self, now: float) -> None:
        """Starts may go on (not after :meth:`stop`).  The rate is measured afresh."""
        if self._paused and not self._stopped:
            self._paused = False
            self._starts.clear()
            self._measured_from = now
            self._refill(now)

    def stop(self) -> None:
        """No start ever again; the items not started stay ``remaining`` (queued)."""
        self._stopped = True

    def set_limits(self, now: float, concurrency: int, rate: float | None) -> None:
        """Change the concurrency and the rate (the dialog's fields) from now on; items
        in flight above a lowered concurrency finish, no new one starts meanwhile."""
        if concurrency < 1:
            raise ValueError("concurrency must be 1 or more")
        if rate is not None and not (rate > 0 and math.isfinite(rate)):
            raise ValueError("rate must be a positive number of starts a second (or None)")
        self._refill(now)  # tokens earned so far, at the old rate
        self.concurrency, self.rate = concurrency, rate
        if self._ceiling is not None and rate is not None:
            self._ceiling = min(self._ceiling, rate)

    @property
    def state(self) -> str:
        """``done`` (nothing left, nothing in flight), ``stopped``, ``paused`` or ``running``."""
        if self.remaining == 0 and self.in_flight == 0:
            return DONE
        if self._stopped:
            return STOPPED
        return PAUSED if self._paused else RUNNING

    # ------------------------------------------------------------------ events
    def ready(self, now: float) -> int:
        """How many items may start now (0 while paused, stopped, waiting after a 429,
        at the concurrency, or out of tokens)."""
        if self._paused or self._stopped or self.remaining == 0:
            return 0
        if self._hold_until is not None and now < self._hold_until:
            return 0
        free = min(self.concurrency - self.in_flight, self.remaining)
        if free <= 0:
            return 0
        if self._current_rate(now) is None:
            return free
        self._refill(now)
        return min(free, int(self._tokens + 1e-9))

    def started(self, now: float) -> None:
        """One item started (its create is being sent).  Only after :meth:`ready` said
        it may (ValueError otherwise: a runner's bug, not a state to live with)."""
        if self.ready(now) < 1:
            raise ValueError("no item may start now")
        if self._current_rate(now) is not None:
            self._tokens = max(0.0, self._tokens - 1.0)
        self.remaining -= 1
        self.in_flight += 1
        self._starts.append(now)
        self._forget(now)

    def finished(self, ok: bool, now: float) -> None:
        """One item in flight ended: created (``ok``) or not (a send error, unknown)."""
        self._end_one()
        if ok:
            self.sent += 1
        else:
            self.failed += 1

    def skipped(self, count: int = 1) -> None:
        """``count`` items will not be sent after all (their rows were deleted meanwhile)."""
        if not 0 <= count <= self.remaining:
            raise ValueError(f"cannot skip {count} of {self.remaining} remaining")
        self.remaining -= count
        self._total -= count

    def withdrawn(self, count: int = 1) -> None:
        """``count`` items :meth:`started` will not be sent after all: there was no row
        left to take for them (rows deleted meanwhile).  They leave the batch."""
        if not 0 <= count <= self.in_flight:
            raise ValueError(f"cannot withdraw {count} of {self.in_flight} in flight")
        self.in_flight -= count
        self._total -= count

    def returned(self, count: int = 1) -> None:
        """``count`` items :meth:`started` were not sent (their rows could not be read):
        they are queued again, as if never started."""
        if not 0 <= count <= self.in_flight:
            raise ValueError(f"cannot return {count} of {self.in_flight} in flight")
        self.in_flight -= count
        self.remaining += count

    def rate_limited(self, retry_after: float | None, now: float) -> None:
        """One item in flight got a 429 (its create was refused, and the row requeued):
        the item is queued again, no start before ``now + retry_after`` (or
        :data:`DEFAULT_BACKOFF`), and the rate is lowered.  The 429s of one burst
        (every item in flight refused at once) lower it once.  No start is earned
        while waiting: after it, the starts go on at the lowered rate."""
        self._end_one()
        self.remaining += 1
        wait = DEFAULT_BACKOFF if retry_after is None or not retry_after >= 0 else retry_after
        until = now + min(wait, MAX_BACKOFF)
        holding = self._hold_until is not None and now < self._hold_until
        current = self._current_rate(now)
        self._refill(now)  # the starts earned until now, at the rate before this 429
        self._hold_until = until if not holding else max(until, self._hold_until or until)
        if not holding:
            sending = current if current is not None else self._measured_rate(now)
            sending = sending if sending is not None else float(max(1, len(self._starts)))
            self._limited = max(min(MIN_RATE, sending), sending / 2)
            self._ceiling = self.rate if self.rate is not None else sending
            self._eased_at = self._hold_until
        self._filled_at = max(self._filled_at, self._hold_until)

    def next_time(self, now: float) -> float | None:
        """When :meth:`ready` may say more than now: ``now`` if it already does, else a
        later time (at which it does); None when only an answer (an item finishing)
        or :meth:`resume` can change it, or when nothing is left to start."""
        if self._paused or self._stopped or self.remaining == 0:
            return None
        if self.in_flight >= self.concurrency:
            return None
        if self.ready(now) > 0:
            return now
        holding = self._hold_until is not None and now < self._hold_until
        base = self._hold_until if holding and self._hold_until is not None else now
        rate = self._current_rate(now)  # (a rate eased back later only makes it sooner)
        if rate is None:
            return base
        return base + max(0.0, 1.0 - self._tokens) / rate

    # ---------------------------------------------------------------- progress
    def progress(self, now: float) -> BatchProgress:
        """Counts, the measured rate, the time left, the state."""
        rate = self._measured_rate(now)
        if self.remaining == 0:
            eta: float | None = 0.0
        elif rate and self.state == RUNNING:
            eta = self.remaining / rate
        else:
            eta = None
        hold = self._hold_until if self._hold_until is not None and now < self._hold_until else None
        return BatchProgress(
            total=self._total,
            sent=self.sent,
            failed=self.failed,
            remaining=self.remaining,
            in_flight=self.in_flight,
            rate=rate,
            eta=eta,
            state=self.state,
            limited_rate=self._current_limit(now),
            waiting_until=hold,
        )

    # -------------------------------------------------------------- internals
    def _end_one(self) -> None:
        if self.in_flight < 1:
            raise ValueError("no item is in flight")
        self.in_flight -= 1

    def _current_limit(self, now: float) -> float | None:
        """The lowered rate, eased back (doubled each COOLDOWN after the wait) to the
        ceiling; None once it is back."""
        if self._limited is None:
            return None
        steps = int((now - self._eased_at) // COOLDOWN) if now > self._eased_at else 0
        if steps > 0:
            self._refill(now)  # tokens earned at the old rate, before it changes
            self._limited *= 2.0 ** min(steps, 64)
            self._eased_at += steps * COOLDOWN
            if self._ceiling is None or self._limited >= self._ceiling:
                self._limited = self._ceiling = None
                return None
        return self._limited

    def _current_rate(self, now: float) -> float | None:
        """The rate starts are paced at now: the user's, or lower after a 429."""
        limited = self._current_limit(now)
        if limited is None:
            return self.rate
        return limited if self.rate is None else min(self.rate, limited)

    def _refill(self, now: float) -> None:
        if now <= self._filled_at:
            return
        rate = self.rate if self._limited is None else self._limited
        if rate is None:
            self._tokens = self.burst
        else:
            if self.rate is not None:
                rate = min(rate, self.rate)
            self._tokens = min(self.burst, self._tokens + (now - self._filled_at) * rate)
        self._filled_at = now

    def _forget(self, now: float) -> None:
        while self._starts and self._starts[0] <= now - RATE_WINDOW:
            self._starts.popleft()

    def _measured_rate(self, now: float) -> float | None:
        """Starts a second over the last RATE_WINDOW seconds (since the start or the
        last resume); None before a second has passed."""
        self._forget(now)
        span = min(RATE_WINDOW, now - self._measured_from)
        if span < 1.0:
            return None
        return len(self._starts) / span
