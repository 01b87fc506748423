"""A rate limit on creates: at most N a second, as a gateway in front of a service would.

A sliding window of one second: a create is let through when fewer than N were
let through in the last second; else it is refused (the caller answers 429 with
``Retry-After``) and does not count.  Not thread-safe: the caller holds the lock.
"""

from __future__ import annotations

import math
from collections import deque
from typing import Final

WINDOW: Final = 1.0


class CreateLimiter:
    """At most ``per_second`` creates in any second (a sliding window)."""

    def __init__(self, per_second: int) -> None:
        if per_second < 1:
            raise ValueError("create_rate must be 1 or more creates a second (or None)")
        self.per_second = per_second
        self._times: deque[float] = deque()

    def admit(self, now: float) -> float | None:
        """None when a create may go through now (it is counted); else the seconds until
        one may (for ``Retry-After``)."""
        while self._times and self._times[0] <= now - WINDOW:
            self._times.popleft()
        if len(self._times) < self.per_second:
            self._times.append(now)
            return None
        return self._times[0] + WINDOW - now


def retry_after_header(seconds: float) -> str:
    """``Retry-After`` as whole seconds (what the header allows), at least 1."""
    return str(max(1, math.ceil(seconds)))
