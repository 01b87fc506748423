"""Words and times as the history table and the details pane both show them (no Qt)."""

from __future__ import annotations

import time

TIMING_PRECISION = (
    "Observed at the polling interval's precision: the service does not report its own"
    " times, so these are the moments the app's status checks saw each state."
)

STATUS_LABELS = {
    "sending": "sending…",
    "pending": "pending",
    "in_progress": "in progress",
    "completed": "completed",
    "failed": "failed",
    "send_error": "not sent",
    "queued": "queued",
    "unknown": "unknown",
}


def format_time(ts: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(ts))


def short_time(ts: float, now: float | None = None) -> str:
    """``HH:MM:SS`` for today, else the date and time."""
    when = time.localtime(ts)
    today = time.localtime(time.time() if now is None else now)
    if when[:3] == today[:3]:
        return time.strftime("%H:%M:%S", when)
    return time.strftime("%Y-%m-%d %H:%M", when)
