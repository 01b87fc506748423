"""Batches in the history: a file's items written as ``queued`` rows, then sent one by one.

Every item of a batch is a history row written *before* anything is sent
(:meth:`BatchesMixin.create_batch`: one transaction for the batch and all its
rows), so a crash or a close mid-batch loses nothing.  A runner then takes the
next rows in file order (:meth:`~BatchesMixin.next_queued`), turns each into
``sending`` (:meth:`~BatchesMixin.start_sending`, atomic: a row deleted or taken
meanwhile is skipped) and records the answer as for any send (``mark_sent``,
``mark_send_failed``).  A 429 means the create was refused, so the row may go
back to ``queued`` (:meth:`~BatchesMixin.requeue`); any other doubt leaves it
``unknown``, never sent again automatically.  Stopping a batch leaves its queued
rows ``queued``: they are "the rest", which the window offers to send later.

Row states of a batch::

    queued -> sending -> pending / send_error / unknown   (then polled as any row)
              sending -> queued                            (requeue after a 429)
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import Final

from vessl_gui.core.models import (
    BATCH_DONE,
    BATCH_RUNNING,
    BATCH_STATES,
    ORIGIN_BATCH,
    ROW_STATES,
    STATE_QUEUED,
    STATE_SEND_ERROR,
    STATE_SENDING,
    BatchInfo,
    BatchMeta,
    HistoryEntry,
)

from .base import StoreBase
from .schema import BATCH_COLS, ENTRY_COLS
from .writes import now_or, secret_names

#: The message of a batch's row until it is sent.
QUEUED_MESSAGE: Final = "Waiting to be sent (batch)"
#: The message of a row put back in the queue after a 429.
REQUEUED_MESSAGE: Final = "Rate limited (429): not created, will be sent again"
_INSERT_ROW: Final = (
    "INSERT INTO history (created_at, state, base_url, method, path, data, profile, updated_at,"
    " origin, batch_id, secret_vars, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_BATCH: Final = (
    f"INSERT INTO batches ({BATCH_COLS})"
    f" VALUES ({', '.join('?' * len(dataclasses.fields(BatchInfo)))})"
)


class BatchesMixin(StoreBase):
    """Creating a batch, taking its rows in order, its state and its counts."""

    def create_batch(
        self,
        meta: BatchMeta,
        items: Sequence[str],
        *,
        secret_vars: str | Iterable[str] | None = None,
        now: float | None = None,
    ) -> BatchInfo:
        """Write the batch (state ``running``) and one ``queued`` row per item, in file
        order, in one transaction; returns the batch.

        ``items`` are the ``data`` texts, already checked (see
        :func:`vessl_gui.core.batch.read_batch`); an empty batch, a concurrency below
        1 or a rate that is not positive is refused (ValueError).  10 000 small items
        take ~100 ms (one ``executemany``, measured beside 100 000 rows on a shared
        2-core machine; the search index catches up later, off the GUI thread, as
        for every write: ~0.8 s for those 10 000 rows).
        """
        if not items:
            raise ValueError("a batch needs at least one item")
        if meta.concurrency < 1:
            raise ValueError("a batch's concurrency must be 1 or more")
        if meta.rate is not None and not meta.rate > 0:
            raise ValueError("a batch's rate must be positive (or None: no limit)")
        t = now_or(now)
        names = secret_names(secret_vars)
        import secrets  # here: it imports hashlib/hmac (~5 ms before the first frame)

        batch_id = secrets.token_hex(6)
        m = meta
        info = BatchInfo(
            batch_id, t, m.source, m.base_url, m.method, m.path, m.profile, len(items),
            m.concurrency, m.rate, BATCH_RUNNING, t,
        )  # fmt: skip
        head = (t, STATE_QUEUED, m.base_url, m.method, m.path)
        tail = (m.profile, t, ORIGIN_BATCH, batch_id, names, QUEUED_MESSAGE)
        with self._tx("saving a batch") as conn:
            conn.execute(_INSERT_BATCH, dataclasses.astuple(info))
            conn.executemany(_INSERT_ROW, ((*head, data, *tail) for data in items))
        self._own_batches.add(batch_id)
        return info

    def next_queued(self, batch_id: str, n: int) -> list[HistoryEntry]:
        """The batch's first ``n`` rows still ``queued``, in file order (an index seek)."""
        sql = (
            f"SELECT {ENTRY_COLS} FROM history WHERE batch_id = ? AND state = ?"
            " ORDER BY row_id LIMIT ?"
        )
        return [HistoryEntry(*r) for r in self._query(sql, (batch_id, STATE_QUEUED, max(0, n)))]

    def batch_entries(self, batch_id: str, after: int = 0, limit: int = 500) -> list[HistoryEntry]:
        """The batch's rows (any state) with ``row_id`` above ``after``, in file order, at
        most ``limit``: pages for an export, by key (a row deleted between two pages
        does not shift the next one)."""
        sql = (
            f"SELECT {ENTRY_COLS} FROM history WHERE batch_id = ? AND row_id > ?"
            " ORDER BY created_at, row_id LIMIT ?"  # (one created_at a batch: the time index)
        )
        return [HistoryEntry(*r) for r in self._query(sql, (batch_id, after, max(0, limit)))]

    def start_sending(self, row_id: int, now: float | None = None) -> bool:
        """``queued`` -> ``sending``, atomically; False when the row is not queued any
        more (deleted, or taken by someone else): then do not send it."""
        t = now_or(now)
        sql = (
            "UPDATE history SET state = ?, message = '', error_kind = NULL, updated_at = ?"
            " WHERE row_id = ? AND state = ?"
        )
        with self._lock:
            changed = self._write_one(sql, (STATE_SENDING, t, row_id, STATE_QUEUED), "sending")
            if changed.rowcount != 1:
                return False
            self._own_sending.add(row_id)
        return True

    def requeue(
        self, row_id: int, message: str = REQUEUED_MESSAGE, now: float | None = None
    ) -> bool:
        """``sending`` -> ``queued`` (after a 429: the create was refused, so it is safe to
        send again), or a ``send_error`` the send worker recorded for a 429 (kind
        ``rate_limited``); False otherwise.  Only for a create the service refused: a
        row whose request may exist must be marked ``unknown``."""
        t = now_or(now)
        sql = (
            "UPDATE history SET state = ?, message = ?, error_kind = 'rate_limited',"
            " status_code = NULL, updated_at = ? WHERE row_id = ? AND (state = ?"
            " OR (state = ? AND error_kind = 'rate_limited'))"
        )
        params = (STATE_QUEUED, message, t, row_id, STATE_SENDING, STATE_SEND_ERROR)
        with self._lock:
            changed = self._write_one(sql, params, "putting a request back in its batch")
            self._own_sending.discard(row_id)
            return changed.rowcount == 1

    def set_batch_state(self, batch_id: str, state: str, now: float | None = None) -> bool:
        """Set the batch's state (one of ``BATCH_STATES``); False when no such batch.

        The rows are not touched: stopping a batch leaves its queued rows ``queued``.
        """
        if state not in BATCH_STATES:
            raise ValueError(f"unknown batch state {state!r}; one of {', '.join(BATCH_STATES)}")
        sql = "UPDATE batches SET state = ?, updated_at = ? WHERE batch_id = ?"
        with self._lock:
            changed = self._write_one(sql, (state, now_or(now), batch_id), "saving a batch")
            if state == BATCH_RUNNING:
                self._own_batches.add(batch_id)
            else:
                self._own_batches.discard(batch_id)
            return changed.rowcount == 1

    def batch_counts(self, batch_id: str) -> dict[str, int]:
        """How many of the batch's rows are in each state: every one of ``ROW_STATES``
        (0 when none), in that order; a covering index scan (~2 ms for 10 000 rows)."""
        counts = dict.fromkeys(ROW_STATES, 0)
        sql = "SELECT state, count(*) FROM history WHERE batch_id = ? GROUP BY state"
        counts.update((str(s), int(n)) for s, n in self._query(sql, (batch_id,)))
        return counts

    def batch_secret_vars(self, batch_id: str) -> set[str]:
        """The secret variables the batch's rows keep as ``{{name}}`` (their values are
        read again to send them, e.g. the rest of a batch after a restart)."""
        sql = "SELECT DISTINCT secret_vars FROM history WHERE batch_id = ? AND secret_vars != ''"
        found: set[str] = set()
        for (text,) in self._query(sql, (batch_id,)):
            found.update(n for n in str(text or "").split(",") if n)
        return found

    def batch(self, batch_id: str) -> BatchInfo | None:
        """The batch, or None."""
        rows = self._query(f"SELECT {BATCH_COLS} FROM batches WHERE batch_id = ?", (batch_id,))
        return BatchInfo(*rows[0]) if rows else None

    def batches(self, unfinished_only: bool = False) -> list[BatchInfo]:
        """Every batch, newest first; ``unfinished_only``: those not ``done`` (running,
        paused or stopped: at start, the ones whose rest the window offers to send)."""
        where = f"WHERE state != '{BATCH_DONE}'" if unfinished_only else ""
        sql = f"SELECT {BATCH_COLS} FROM batches {where} ORDER BY created_at DESC, rowid DESC"
        return [BatchInfo(*r) for r in self._query(sql)]
