"""Text search over the history: the deferred index catch-up, and the filter's count and pages.

Indexing is deferred so a send's two writes stay cheap (tests/benchmarks B3):
rows with ``row_id`` above ``history_fts_mark.indexed_upto`` are not indexed
yet, and :meth:`SearchMixin.sync_search_index` indexes them in batches.  It
runs before every text search (so results are always complete), on close,
and when the send workers are idle.  Without FTS5/trigram, or for queries
shorter than 3 characters, search falls back to ``LIKE``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Iterator
from contextlib import contextmanager, suppress
from typing import Any, Final

from vessl_gui.core.models import HistorySummary

from .base import StoreBase
from .db import connect, is_memory_path, marks, storage_error, transaction
from .schema import FTS_TRIGGERS, INDEXED_UPTO, NEWEST, SEARCH_COLS, SMALL, SUMMARY_COLS

#: Columns the history may be sorted by (the table's sortable columns).
SORTABLE: Final = (
    *("created_at", "request_id", "state", "method", "path", "base_url", "message"),
    *("waited", "ran", "total"),
)
#: Sort keys computed from the times polling observed (NULL, sorted first, when not seen).
_SORT_EXPRESSIONS: Final = {
    "waited": "(in_progress_at - sent_at)",
    "ran": "(finished_at - in_progress_at)",
    "total": "(finished_at - created_at)",
}
#: Rows indexed per transaction when catching up (~5 ms for typical rows; the lock is
#: free in between).
SYNC_BATCH: Final = 500


def _behind(conn: sqlite3.Connection) -> bool:
    """Whether some rows are not in the search indexes yet."""
    row = conn.execute(f"SELECT {INDEXED_UPTO}, (SELECT max(row_id) FROM history)").fetchone()
    return row[1] is not None and row[0] is not None and 0 <= row[0] < row[1]


class SearchMixin(StoreBase):
    """The search indexes' catch-up, and ``count`` / ``page`` with a filter."""

    # ----------------------------------------------------------- text index
    def sync_search_index(self, batch: int = SYNC_BATCH) -> int:
        """Index the rows written since the last catch-up; returns how many were indexed.

        Thread-safe.  A file's catch-up runs on a connection of its own, in
        transactions of ``batch`` rows: this store's readers (the GUI thread) do not
        wait for it (indexing one 5 MB row takes ~0.3 s), its writers wait for one
        batch at most.  Cheap (two indexed reads) when nothing is left to index; 0
        when this sqlite has no FTS5.
        """
        self._connection()  # closed: StorageError
        if is_memory_path(self._path):
            return self._sync_on_main(batch)  # nobody else can open it
        total = 0
        with self._sync_lock:
            while self._indexed:
                try:
                    conn = self._sync_connection()
                    if not _behind(conn):  # a read: no write lock taken for nothing
                        break
                    with transaction(conn):
                        done = self._catch_up(conn, batch)
                except sqlite3.Error as e:
                    raise storage_error(e, self._path, "updating the search index") from e
                self._hits_for = None  # (with the lock or not: one assignment)
                if not done:
                    break
                total += done
        return total

    def _sync_connection(self) -> sqlite3.Connection:
        """The catch-up's own connection (call with ``_sync_lock`` held)."""
        if self._sync_conn is None:
            conn = connect(self._path)
            conn.execute("PRAGMA synchronous = NORMAL")  # per connection, as the main one
            self._sync_conn = conn
        return self._sync_conn

    def _close_sync_connection(self) -> None:
        with self._sync_lock:
            if self._sync_conn is not None:
                with suppress(sqlite3.Error):
                    self._sync_conn.close()
                self._sync_conn = None

    def _sync_on_main(self, batch: int) -> int:
        total = 0
        while True:
            with self._lock:
                if not self._indexed or not self._index_behind():
                    return total
                with self._tx("updating the search index") as conn:
                    total += self._catch_up(conn, batch)

    def _index_behind(self) -> bool:
        """Whether some rows are not indexed yet (call with the lock held)."""
        try:
            return _behind(self._connection())
        except sqlite3.Error as e:
            raise storage_error(e, self._path, "reading") from e

    @staticmethod
    def _catch_up(conn: sqlite3.Connection, batch: int | None = None) -> int:
        """Inside a transaction: index the next ``batch`` rows not indexed yet (all when
        None), one statement per index (~5x faster than triggers row by row)."""
        upto = conn.execute(f"SELECT {INDEXED_UPTO}").fetchone()[0]
        if upto is None or upto < 0:
            return 0
        limit = -1 if batch is None else batch
        last, count = conn.execute(
            "SELECT max(row_id), count(*) FROM"
            " (SELECT row_id FROM history WHERE row_id > ? ORDER BY row_id LIMIT ?)",
            (upto, limit),
        ).fetchone()
        if not count:
            return 0
        cols = ", ".join(SMALL)
        window = "FROM history WHERE row_id > ? AND row_id <= ?"
        conn.execute(
            f"INSERT INTO history_fts (rowid, {cols}) SELECT row_id, {cols} {window}", (upto, last)
        )
        conn.execute(
            f"INSERT INTO history_data_fts (rowid, data) SELECT row_id, data {window}", (upto, last)
        )
        conn.execute("UPDATE history_fts_mark SET indexed_upto = ?", (last,))
        return int(count)

    @contextmanager
    def _bulk(self, conn: sqlite3.Connection) -> Iterator[None]:
        """Inside a transaction: drop the FTS triggers (the caller updates the indexes
        itself, much faster than row by row), and put them back."""
        for name in FTS_TRIGGERS if self._indexed else ():
            conn.execute(f"DROP TRIGGER {name}")
        yield
        for name, body in FTS_TRIGGERS.items() if self._indexed else ():
            conn.execute(f"CREATE TRIGGER {name} {body}")

    # ------------------------------------------------------------- filtering
    def _where(
        self,
        text: str,
        states: Collection[str] | None,
        services: Collection[str] | None = None,
        batch_id: str | None = None,
    ) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if batch_id is not None:
            clauses.append("batch_id = ?")
            params.append(batch_id)
        if services is not None:
            if not services:
                return "WHERE 0", []
            clauses.append(f"base_url IN ({marks(services)})")
            params.extend(services)
        if states is not None:
            if not states:
                return "WHERE 0", []
            clauses.append(f"state IN ({marks(states)})")
            params.extend(states)
        text = text.strip()
        if text:
            self._match_text(text)
            # "+row_id": walk the created_at index and test membership; bounded even
            # when most rows match (the planner's choice, a sort of every hit, is not).
            clauses.append("+row_id IN (SELECT row_id FROM temp.text_hits)")
        return ("WHERE " + " AND ".join(clauses) if clauses else ""), params

    def _match_text(self, text: str) -> None:
        """Put the ids of the rows containing ``text`` in ``temp.text_hits``, once per text
        until the next write, so a filter's count and all its pages share one search (a
        phrase matching most of 100 000 rows costs ~50 ms; tests/benchmarks B5).

        Call with the lock held.
        """
        if self._hits_for == text:
            return
        conn = self._connection()
        if len(text) >= 3 and self._fts and self._index_behind():
            with self._tx("updating the search index") as tx:  # every row must be found
                self._catch_up(tx)
        try:
            conn.execute("CREATE TEMP TABLE IF NOT EXISTS text_hits (row_id INTEGER PRIMARY KEY)")
            conn.execute("DELETE FROM temp.text_hits")
            if len(text) >= 3 and self._fts:  # a trigram phrase: a case-insensitive substring
                phrase = '"' + text.replace('"', '""') + '"'
                for table in ("history_fts", "history_data_fts"):
                    conn.execute(
                        f"INSERT OR IGNORE INTO temp.text_hits SELECT rowid FROM {table}"
                        f" WHERE {table} MATCH ?",
                        (phrase,),
                    )
            else:
                escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                pattern = f"%{escaped}%"
                likes = " OR ".join(f"{c} LIKE ? ESCAPE '\\'" for c in SEARCH_COLS)
                conn.execute(
                    f"INSERT INTO temp.text_hits SELECT row_id FROM history WHERE {likes}",
                    [pattern] * len(SEARCH_COLS),
                )
        except sqlite3.Error as e:
            self._hits_for = None
            raise storage_error(e, self._path, "searching") from e
        self._hits_for = text

    def count(
        self,
        text: str = "",
        states: Collection[str] | None = None,
        services: Collection[str] | None = None,
        *,
        batch_id: str | None = None,
    ) -> int:
        """How many rows contain ``text`` (case-insensitive) and are in one of ``states``
        (and, when given, belong to one of the ``services`` base URLs, and are items of
        the batch ``batch_id``)."""
        with self._lock:
            where, params = self._where(text, states, services, batch_id)
            if text.strip() and states is None and services is None and batch_id is None:
                return int(self._query("SELECT count(*) FROM temp.text_hits")[0][0])
            return int(self._query(f"SELECT count(*) FROM history {where}", params)[0][0])

    def page(
        self,
        offset: int,
        limit: int,
        text: str = "",
        states: Collection[str] | None = None,
        services: Collection[str] | None = None,
        sort: str = "created_at",
        descending: bool = True,
        *,
        batch_id: str | None = None,
    ) -> list[HistorySummary]:
        """Matching rows without their large columns, newest first unless ``sort`` says
        otherwise (one of :data:`SORTABLE`; ties keep the newest-first order).
        ``batch_id``: only that batch's items (the filters are as :meth:`count`'s)."""
        if sort not in SORTABLE:
            raise ValueError(f"cannot sort by {sort!r}")
        order = NEWEST
        if sort != "created_at" or not descending:
            direction = "DESC" if descending else "ASC"
            order = f"{_SORT_EXPRESSIONS.get(sort, sort)} {direction}, row_id {direction}"
        with self._lock:
            where, params = self._where(text, states, services, batch_id)
            sql = f"SELECT {SUMMARY_COLS} FROM history {where} ORDER BY {order} LIMIT ? OFFSET ?"
            return [HistorySummary(*r) for r in self._query(sql, (*params, limit, offset))]
