"""The request history: one sqlite3 row per press of Send, never the token.

:class:`HistoryStore` is built from one class per concern: :class:`~.base.StoreBase`
(the file, its connections and lock), :class:`~.search.SearchMixin` (the text
index and the filter's queries), :class:`~.writes.WritesMixin` (the writes),
:class:`~.followed.FollowMixin` (ids created elsewhere) and
:class:`~.batches.BatchesMixin` (batches sent from a file); here are the reads,
opening a file that may be damaged, and closing.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Sequence
from contextlib import suppress
from pathlib import Path
from types import TracebackType
from typing import Any

from vessl_gui.core.errors import StorageError
from vessl_gui.core.models import POLLABLE_STATES, STATE_SENDING, HistoryEntry, HistorySummary

from .batches import BatchesMixin
from .db import CorruptHistoryError, chunks, connect, is_memory_path, marks, storage_error
from .followed import FollowMixin
from .repair import DAMAGED_SUFFIX, quarantine
from .schema import ENTRY_COLS, NEWEST, SUMMARY_COLS
from .writes import WritesMixin


class HistoryStore(BatchesMixin, FollowMixin, WritesMixin):
    """The history database at ``path`` (``":memory:"`` for a private in-memory one).

    The parent folder is created if missing.  Raises :class:`StorageError`
    (:class:`CorruptHistoryError` for a damaged file) when it cannot be opened.
    ``full_text=False`` does not use the FTS5 indexes (search then always uses LIKE).
    Every method raises :class:`StorageError` when the database fails.
    """

    @classmethod
    def open_or_quarantine(cls, path: str | os.PathLike[str]) -> tuple[HistoryStore, Path | None]:
        """Open ``path``; if it is damaged, move it (and its -wal/-shm) aside and start afresh.

        Returns the store and the moved-aside file (None when nothing was moved),
        so the UI can tell the user where the old history went.  Nothing is deleted.
        Other failures (read-only, disk full ...) raise :class:`StorageError`.

        Only the history table and its indexes are checked here (~95 ms at 100 000
        rows; the whole file, search indexes included, ~185 ms): :func:`check_file`
        checks everything, off the GUI thread, once the window is up, and
        :func:`mark_damaged` has the file moved aside at the next start.
        """
        marker = Path(f"{os.fspath(path)}{DAMAGED_SUFFIX}")
        if marker.exists():  # found damaged by check_file during the last session
            moved = quarantine(path)
            with suppress(OSError):
                marker.unlink()
            return cls(path), moved
        try:
            store = cls(path)
        except CorruptHistoryError:
            pass
        else:
            try:
                if [r[0] for r in store._query("PRAGMA quick_check(history)")] == ["ok"]:
                    return store, None
            except CorruptHistoryError:
                pass
            store._abandon()
        moved = quarantine(path)
        return cls(path), moved

    @classmethod
    def open_for_use(cls, path: str | os.PathLike[str]) -> tuple[HistoryStore, Path | None, int]:
        """:meth:`open_or_quarantine`, then :meth:`recover_interrupted` (the app's start).

        Returns the store, the moved-aside file (or None) and how many rows were
        recovered.  A file whose damage shows only while recovering (its search
        indexes are not checked at start) is moved aside as well.
        """
        store, moved = cls.open_or_quarantine(path)
        try:
            return store, moved, store.recover_interrupted()
        except CorruptHistoryError:
            store._abandon()
        moved = quarantine(path)
        store = cls(path)
        return store, moved, store.recover_interrupted()

    # ------------------------------------------------------------- plumbing
    def close(self) -> None:
        """Index what is left to index, and close; a closed store can be closed again."""
        with suppress(StorageError):  # not indexed now: the next search will
            self.sync_search_index()
        self._close_sync_connection()
        with self._lock:
            if self._conn is not None:
                with suppress(sqlite3.Error):
                    self._conn.execute("PRAGMA optimize")
                self._conn.close()
                self._conn = None
        self._close_read_connection()  # after: a read starting now finds the store closed

    def _abandon(self) -> None:
        """Close a damaged file without writing to it (no indexing, no optimize)."""
        self._close_sync_connection()
        with self._lock:
            if self._conn is not None:
                with suppress(sqlite3.Error):
                    self._conn.close()
                self._conn = None
        self._close_read_connection()

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # ----------------------------------------------------------------- reads
    def get(self, row_id: int) -> HistoryEntry | None:
        rows = self._query(f"SELECT {ENTRY_COLS} FROM history WHERE row_id = ?", (row_id,))
        return HistoryEntry(*rows[0]) if rows else None

    def get_apart(self, row_id: int) -> HistoryEntry | None:
        """:meth:`get` on a connection of its own, for a thread that reads a row the
        window is waiting for: it neither waits for this store's other calls nor makes
        them wait (reading a 20 MB row takes ~0.1 s).  Thread-safe, one such read at a
        time.  A store in memory has one connection: there it is :meth:`get`.
        """
        if is_memory_path(self._path):
            return self.get(row_id)
        with self._read_lock:
            self._connection()  # closed: StorageError
            try:
                if self._read_conn is None:
                    self._read_conn = connect(self._path)
                sql = f"SELECT {ENTRY_COLS} FROM history WHERE row_id = ?"
                rows = self._read_conn.execute(sql, (row_id,)).fetchall()
            except sqlite3.Error as e:
                raise storage_error(e, self._path, "reading") from e
        return HistoryEntry(*rows[0]) if rows else None

    def _close_read_connection(self) -> None:
        with self._read_lock:
            if self._read_conn is not None:
                with suppress(sqlite3.Error):
                    self._read_conn.close()
                self._read_conn = None

    def get_many(self, row_ids: Iterable[int]) -> list[HistoryEntry]:
        """The rows that exist, in the order asked."""
        ids = list(row_ids)
        found: dict[int, HistoryEntry] = {}
        for chunk in chunks(ids):
            sql = f"SELECT {ENTRY_COLS} FROM history WHERE row_id IN ({marks(chunk)})"
            found.update((row[0], HistoryEntry(*row)) for row in self._query(sql, chunk))
        return [found[i] for i in ids if i in found]

    def find_by_request_id(self, request_id: str) -> list[HistoryEntry]:
        """Rows with this service id, newest first."""
        sql = f"SELECT {ENTRY_COLS} FROM history WHERE request_id = ? ORDER BY {NEWEST}"
        return [HistoryEntry(*r) for r in self._query(sql, (request_id,))]

    def unfinished(self) -> list[HistorySummary]:
        """Rows whose request exists and is not finished (to poll after a restart), oldest first."""
        return self._summaries(
            "request_id IS NOT NULL AND state IN (?, ?)", sorted(POLLABLE_STATES)
        )

    def services(self) -> list[str]:
        """Every base URL in the history, most recently used first."""
        sql = "SELECT base_url FROM history GROUP BY base_url ORDER BY max(created_at) DESC"
        return [str(r[0]) for r in self._query(sql)]

    def sending_rows(self) -> list[HistorySummary]:
        """Rows still in ``sending`` (in flight now, or left by a crash), oldest first."""
        return self._summaries("state = ?", (STATE_SENDING,))

    def _summaries(self, where: str, params: Sequence[Any]) -> list[HistorySummary]:
        sql = f"SELECT {SUMMARY_COLS} FROM history WHERE {where} ORDER BY created_at, row_id"
        return [HistorySummary(*r) for r in self._query(sql, params)]

    def integrity_check(self) -> str:
        """``"ok"``, or the problems sqlite finds (and the search indexes'), one per line."""
        problems = [str(r[0]) for r in self._query("PRAGMA integrity_check")]
        if self._indexed:  # the check compares the indexes with every row
            try:
                self.sync_search_index()
            except StorageError as e:
                problems.append(f"search index: {e}")
        for table in ("history_fts", "history_data_fts") if self._indexed else ():
            try:
                with self._tx("checking the search index") as conn:
                    conn.execute(f"INSERT INTO {table} ({table}) VALUES ('integrity-check')")
            except StorageError as e:
                problems.append(f"{table}: {e}")
        problems = [p for p in problems if p != "ok"]
        return "\n".join(problems) if problems else "ok"
