"""Writing the history: a row per press of Send, updated as answers arrive; deletes, retention.

A row is written (state ``sending``) before the request leaves and updated as
answers arrive; every write is committed before its method returns, and never
holds the token.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable, Sequence
from typing import Any, Final

from vessl_gui.core.errors import (
    HTTPStatusError,
    OutcomeUnknownError,
    ProtocolError,
    ServeError,
    StorageError,
    TransportError,
)
from vessl_gui.core.models import (
    BATCH_PAUSED,
    BATCH_RUNNING,
    FINAL_STATUSES,
    ORIGIN_COMPOSER,
    ORIGINS,
    POLLABLE_STATES,
    STATE_QUEUED,
    STATE_SEND_ERROR,
    STATE_SENDING,
    STATE_UNKNOWN,
    AsyncRequest,
    HistoryEntry,
    OutputStatus,
    Submission,
)

from .db import chunks, marks, storage_error
from .schema import ENTRY_COLS, NEWEST
from .search import SearchMixin

INTERRUPTED_MESSAGE: Final = (
    "The app stopped before the service answered: this request may or may not have been created."
)
_STATUS_TEXT: Final = {"pending": "Queued", "in_progress": "Running"}
#: ``UPDATE ... RETURNING`` (sqlite 3.35) saves a SELECT per update.
_RETURNING: Final = sqlite3.sqlite_version_info >= (3, 35)
_INSERT: Final = (
    "INSERT INTO history (created_at, state, base_url, method, path, data, profile, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_FROM: Final = (
    "INSERT INTO history (created_at, state, base_url, method, path, data, profile, updated_at,"
    " origin, batch_id, secret_vars) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


class MissingRowError(StorageError):
    """The row to update no longer exists (e.g. deleted while its request was in flight)."""

    def __init__(self, row_id: int) -> None:
        super().__init__(f"History row {row_id} no longer exists.")
        self.row_id = row_id


def now_or(now: float | None) -> float:
    """``now``, or the time now when None (every write takes an optional ``now``)."""
    return time.time() if now is None else now


def secret_names(names: str | Iterable[str] | None) -> str | None:
    """The ``secret_vars`` column's text: the names joined by commas (each once, in
    order), or None for none.  A name with a comma or surrounding spaces is refused
    (ValueError): the column could not be split back."""
    if names is None:
        return None
    items = names.split(",") if isinstance(names, str) else list(names)
    for name in items:
        if not name or "," in name or name != name.strip():
            raise ValueError(f"bad secret variable name {name!r}")
    return ",".join(dict.fromkeys(items)) or None


def check_origin(origin: str) -> None:
    """Refuse (ValueError) an origin that is not one of :data:`ORIGINS`."""
    if origin not in ORIGINS:
        raise ValueError(f"unknown origin {origin!r}; one of {', '.join(ORIGINS)}")


class WritesMixin(SearchMixin):
    """Adding rows, recording what the service answered, deleting and pruning."""

    def _update(self, row_id: int, sets: str, params: Sequence[Any], now: float) -> HistoryEntry:
        sql = f"UPDATE history SET {sets}, updated_at = ? WHERE row_id = ?"
        doing = "saving a result"
        if _RETURNING:  # the row as stored, from the same statement
            with self._lock:
                cursor = self._write_one(
                    f"{sql} RETURNING {ENTRY_COLS}", (*params, now, row_id), doing
                )
                try:
                    rows = cursor.fetchall()
                except sqlite3.Error as e:
                    raise storage_error(e, self._path, doing) from e
            if not rows:
                raise MissingRowError(row_id)
            row = rows[0]
        else:
            with self._tx(doing) as conn:
                if conn.execute(sql, (*params, now, row_id)).rowcount == 0:
                    raise MissingRowError(row_id)
                sql = f"SELECT {ENTRY_COLS} FROM history WHERE row_id = ?"
                row = conn.execute(sql, (row_id,)).fetchone()
        self._own_sending.discard(row_id)
        return HistoryEntry(*row)

    # ---------------------------------------------------------------- writes
    def add(
        self,
        request: AsyncRequest,
        *,
        profile: str = "",
        origin: str = ORIGIN_COMPOSER,
        batch_id: str | None = None,
        secret_vars: str | Iterable[str] | None = None,
        now: float | None = None,
    ) -> HistoryEntry:
        """Record a request about to be sent (state ``sending``); committed on return.

        ``origin`` says where it came from (one of ``ORIGINS``; a batch's rows are
        written by ``create_batch``); ``secret_vars`` names the secret variables kept
        as ``{{name}}`` in the request (a comma-separated text or the names).
        """
        t = now_or(now)
        r = request
        check_origin(origin)
        secrets = secret_names(secret_vars)
        values: tuple[Any, ...] = (
            t,
            STATE_SENDING,
            r.base_url,
            r.method,
            r.path,
            r.data,
            profile,
            t,
        )
        sql = _INSERT
        if origin != ORIGIN_COMPOSER or batch_id is not None or secrets is not None:
            values, sql = (*values, origin, batch_id, secrets), _INSERT_FROM
        with self._lock:
            row_id = int(self._write_one(sql, values, "saving a new request").lastrowid or 0)
            self._own_sending.add(row_id)
        return HistoryEntry(
            row_id,
            t,
            STATE_SENDING,
            r.base_url,
            r.method,
            r.path,
            r.data,
            profile,
            updated_at=t,
            origin=origin,
            batch_id=batch_id,
            secret_vars=secrets,
        )

    def add_many(
        self, requests: Iterable[AsyncRequest], *, profile: str = "", now: float | None = None
    ) -> int:
        """Insert ``sending`` rows in one transaction (imports, benchmarks); returns how many."""
        t = now_or(now)
        rows = (
            (t, STATE_SENDING, r.base_url, r.method, r.path, r.data, profile, t) for r in requests
        )
        last = "SELECT ifnull(max(row_id), 0) FROM history"
        with self._tx("saving requests") as conn:
            before = int(conn.execute(last).fetchone()[0])
            conn.executemany(_INSERT, rows)
            after = int(conn.execute(last).fetchone()[0])
            if self._indexed:  # a bulk import is indexed at once, in one statement per index
                self._catch_up(conn)
            self._own_sending.update(range(before + 1, after + 1))
        return after - before

    def mark_sent(
        self, row_id: int, submission: Submission, now: float | None = None
    ) -> HistoryEntry:
        """The create answered with an id: the request exists and is queued (``pending``)."""
        t = now_or(now)
        sets = "state = 'pending', request_id = ?, http_status = ?, sent_at = ?, error_kind = NULL"
        sub = submission
        return self._update(
            row_id, sets + ", message = 'Created'", (sub.request_id, sub.http_status, t), t
        )

    def mark_send_failed(
        self, row_id: int, error: ServeError, now: float | None = None
    ) -> HistoryEntry:
        """The create failed: ``unknown`` if it may have created a request, else ``send_error``."""
        t = now_or(now)
        # A 2xx the app cannot use still means the service said yes: it may exist.
        maybe_created = isinstance(error, OutcomeUnknownError | ProtocolError)
        state = STATE_UNKNOWN if maybe_created else STATE_SEND_ERROR
        status = error.status_code if isinstance(error, HTTPStatusError) else None
        answered = None if isinstance(error, TransportError) else t  # an HTTP answer came
        sets = "state = ?, error_kind = ?, message = ?, http_status = ?, sent_at = ?"
        return self._update(row_id, sets, (state, error.kind, error.message, status, answered), t)

    def record_output(
        self, row_id: int, output: OutputStatus, now: float | None = None
    ) -> HistoryEntry:
        """Store one status answer; first-seen times are kept and a poll error is cleared."""
        t = now_or(now)
        status, code = output.status, output.status_code
        if status == "failed":
            message = output.fail_reason or "Failed"
        elif status == "completed":
            message = "Completed" if code is None else f"Completed (HTTP {code})"
        else:
            message = _STATUS_TEXT.get(status, status)
        sets = (
            "state = ?, status_code = ?, raw_output = ?, output_json = ?, fail_reason = ?,"
            " message = ?, error_kind = NULL, last_polled_at = ?,"
            " pending_at = coalesce(pending_at, ?), in_progress_at = coalesce(in_progress_at, ?),"
            " finished_at = coalesce(finished_at, ?)"
        )
        first_seen = [t if status == s else None for s in ("pending", "in_progress")]
        first_seen.append(t if status in FINAL_STATUSES else None)
        out = output
        params = (status, code, out.raw_output, out.output_json, out.fail_reason, message, t)
        return self._update(row_id, sets, (*params, *first_seen), t)

    def record_poll_error(
        self, row_id: int, error: ServeError, now: float | None = None
    ) -> HistoryEntry:
        """A status check failed; the row keeps its state."""
        t = now_or(now)
        message = f"Status check failed: {error.message}"
        sets = "error_kind = ?, message = ?, last_polled_at = ?"
        return self._update(row_id, sets, (error.kind, message, t), t)

    def recover_interrupted(self, now: float | None = None) -> int:
        """Turn rows a previous process left in ``sending`` into ``unknown``; returns how many.

        Rows this store added itself (still in flight) are left alone, and so are
        ``queued`` rows (a batch's items not sent yet: safe to send later).  A batch a
        previous process left ``running`` becomes ``paused`` (nothing sends it now;
        the window offers to resume it); the batches this store created or set
        running are left alone.
        """
        t = now_or(now)
        with self._tx("recovering interrupted sends") as conn:
            sql = "SELECT row_id FROM history WHERE state = ?"
            stale = [
                r[0] for r in conn.execute(sql, (STATE_SENDING,)) if r[0] not in self._own_sending
            ]
            for chunk in chunks(stale):
                conn.execute(
                    "UPDATE history SET state = ?, error_kind = ?, message = ?, updated_at = ?"
                    f" WHERE row_id IN ({marks(chunk)})",
                    (STATE_UNKNOWN, OutcomeUnknownError.kind, INTERRUPTED_MESSAGE, t, *chunk),
                )
            sql = "SELECT batch_id FROM batches WHERE state = ?"
            left = [
                r[0] for r in conn.execute(sql, (BATCH_RUNNING,)) if r[0] not in self._own_batches
            ]
            conn.executemany(
                "UPDATE batches SET state = ?, updated_at = ? WHERE batch_id = ?",
                [(BATCH_PAUSED, t, b) for b in left],
            )
        return len(stale)

    def delete(self, row_ids: Iterable[int]) -> int:
        """Delete these rows; returns how many existed."""
        ids, deleted = list(row_ids), 0
        with self._tx("deleting rows") as conn:
            for chunk in chunks(ids):
                sql = f"DELETE FROM history WHERE row_id IN ({marks(chunk)})"
                deleted += conn.execute(sql, chunk).rowcount
        self._own_sending.difference_update(ids)
        return deleted

    def prune(self, max_age_days: int = 0, max_rows: int = 0, now: float | None = None) -> int:
        """Apply a retention policy: delete rows older than ``max_age_days`` and all but
        the newest ``max_rows`` (0 = no limit).  Rows still sending or being followed
        (pending, in progress), and a batch's items not sent yet (queued), are kept
        whatever their age.  Returns how many went."""
        t = time.time() if now is None else now
        kept = POLLABLE_STATES | {STATE_SENDING, STATE_QUEUED}
        keep = f"state NOT IN ({marks(kept)})"
        keep_params = sorted(kept)
        ids: set[int] = set()
        if max_age_days > 0:
            cutoff = t - max_age_days * 86400
            sql = f"SELECT row_id FROM history WHERE created_at < ? AND {keep}"
            ids.update(int(r[0]) for r in self._query(sql, (cutoff, *keep_params)))
        if max_rows > 0:
            sql = (
                f"SELECT row_id FROM history WHERE {keep} AND row_id NOT IN "
                f"(SELECT row_id FROM history ORDER BY {NEWEST} LIMIT ?)"
            )
            ids.update(int(r[0]) for r in self._query(sql, (*keep_params, max_rows)))
        return self.delete(sorted(ids)) if ids else 0

    def clear(self) -> int:
        """Delete every row (and every batch); returns how many rows."""
        with self._tx("clearing the history") as conn, self._bulk(conn):
            deleted = int(conn.execute("DELETE FROM history").rowcount)
            conn.execute("DELETE FROM batches")
            for table in ("history_fts", "history_data_fts") if self._indexed else ():
                conn.execute(f"INSERT INTO {table} ({table}) VALUES ('delete-all')")
        self._own_sending.clear()
        self._own_batches.clear()
        return deleted
