"""Sending a batch: the items of a file, and when each may start.

    source    load_batch / read_batch: a JSON Lines or JSON array
              file into checked items (BatchSource) and their problems (line, column)
    schedule  BatchSchedule: concurrency, a rate limit (token bucket), pause / resume /
              stop, the whole batch slowed down by a 429; progress (BatchProgress)

Both are pure (no Qt, no network, no clock of their own): the window runs them and
sends with its own workers.  The batch's rows live in the history
(``HistoryStore.create_batch`` and the methods after it).
"""

from __future__ import annotations

from .schedule import DEFAULT_BACKOFF, DEFAULT_CONCURRENCY, BatchProgress, BatchSchedule
from .source import (
    MAX_BATCH_BYTES,
    BatchFileError,
    BatchItem,
    BatchProblem,
    BatchSource,
    load_batch,
    read_batch,
)

__all__ = [
    "DEFAULT_BACKOFF",
    "DEFAULT_CONCURRENCY",
    "MAX_BATCH_BYTES",
    "BatchFileError",
    "BatchItem",
    "BatchProblem",
    "BatchProgress",
    "BatchSchedule",
    "BatchSource",
    "load_batch",
    "read_batch",
]
