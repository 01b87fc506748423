"""How long a request waited and ran, as the app's status checks observed it.

Kept apart from :mod:`vessl_gui.core.outputs` so the history table can show
these columns without importing the output analysis (start-up, benchmark B1).
"""

from __future__ import annotations

from vessl_gui.core.records import record

__all__ = ["Timings", "format_duration", "observed_timings"]


@record
class Timings:
    """Durations in seconds as polling observed them (None: not observed)."""

    waited: float | None
    """From the service accepting the request to the first check that saw it running
    (or finished, when it was never seen running)."""
    ran: float | None
    """From the first check that saw it running to the first that saw it finished."""
    total: float | None
    """From pressing Send to the first check that saw it finished."""
    started_unseen: bool = False
    """It finished between two checks without ever being seen running."""


def observed_timings(
    created_at: float,
    sent_at: float | None,
    pending_at: float | None,
    in_progress_at: float | None,
    finished_at: float | None,
) -> Timings:
    accepted = sent_at if sent_at is not None else pending_at
    started = in_progress_at
    unseen = started is None and finished_at is not None
    waited = None
    if accepted is not None:
        until = started if started is not None else finished_at
        waited = None if until is None or unseen else max(0.0, until - accepted)
    ran = None
    if started is not None and finished_at is not None:
        ran = max(0.0, finished_at - started)
    total = None if finished_at is None else max(0.0, finished_at - created_at)
    return Timings(waited, ran, total, unseen)


def format_duration(seconds: float | None) -> str:
    """``0.4 s``, ``12 s``, ``3 min 05 s``, ``2 h 04 min``; ``""`` for None."""
    if seconds is None:
        return ""
    if seconds < 10:
        return f"{seconds:.1f} s"
    if seconds < 60:
        return f"{seconds:.0f} s"
    whole = round(seconds)
    if whole < 3600:
        return f"{whole // 60} min {whole % 60:02d} s"
    return f"{whole // 3600} h {whole % 3600 // 60:02d} min"
