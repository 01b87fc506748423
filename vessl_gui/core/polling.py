"""How long until a request's status is checked again: the polling backoff schedule.

A tracked request is first checked :data:`POLL_FIRST` s after it is tracked (or
refreshed).  While its status stays the same, each interval is half as long again as
the last (:data:`POLL_GROWTH`), up to the maximum (:data:`POLL_MAX`, or the user's
setting); a new status starts again from the first interval.  A transient error
grows the interval too, and the next check waits at least what a rate limit's
``Retry-After`` asks.

Pure arithmetic, no clock and no Qt: the poll worker
(:mod:`vessl_gui.ui.workers.poll`) keeps one :class:`Backoff`, asks it, and adds the
answers to its clock.
"""

from __future__ import annotations

from vessl_gui.core.records import record

#: Poll intervals: start at about 1 s, grow by half each time, cap at 30 s.
POLL_FIRST = 1.0
POLL_GROWTH = 1.5
POLL_MAX = 30.0
#: The shortest first interval a setting may ask for.
SHORTEST_FIRST = 0.05


@record
class Backoff:
    """The first interval and the longest (seconds)."""

    first: float
    maximum: float

    @classmethod
    def default(cls) -> Backoff:
        """:data:`POLL_FIRST` to :data:`POLL_MAX`, as they are when called (tests make
        them shorter)."""
        return cls(POLL_FIRST, POLL_MAX)

    @classmethod
    def limited(cls, first: float, maximum: float) -> Backoff:
        """From settings: the first at least :data:`SHORTEST_FIRST`, the maximum at least
        the first."""
        first = max(SHORTEST_FIRST, first)
        return cls(first, max(first, maximum))

    def grown(self, interval: float) -> float:
        """The interval after ``interval``: half as long again, at most the maximum."""
        return min(self.maximum, interval * POLL_GROWTH)

    def after_status(self, interval: float, changed: bool) -> float:
        """The next interval after a status answer for a request still running: the
        first again when its status ``changed``, else ``interval`` grown."""
        return self.first if changed else self.grown(interval)

    def after_error(self, interval: float, retry_after: float | None) -> tuple[float, float]:
        """After a transient error: (the wait until the next check, the interval after
        it).  The wait is ``interval``, or the rate limit's ``retry_after`` if longer."""
        wait = interval
        if retry_after:
            wait = max(wait, retry_after)
        return wait, self.grown(interval)
