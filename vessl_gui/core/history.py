"""The request history: one sqlite3 row per press of Send, never the token.

A row is written (state ``sending``) before the request leaves and updated as
answers arrive; every write is committed before its method returns, so what
the table shows is on disk.  The file is in WAL mode and its schema is
versioned with ``PRAGMA user_version`` (see ``_MIGRATIONS``).  Text search
uses two FTS5 ``trigram`` indexes: one over the small columns, one over
``data`` (which never changes after insert, so status updates do not re-index
large bodies).  Without FTS5/trigram, or for queries shorter than 3
characters, it falls back to ``LIKE``.

Indexing is deferred so a send's two writes stay cheap (tests/benchmarks B3):
rows with ``row_id`` above ``history_fts_mark.indexed_upto`` are not indexed
yet, and :meth:`HistoryStore.sync_search_index` indexes them in batches.  It
runs before every text search (so results are always complete), on close,
and when the send workers are idle.  Rows already indexed are kept in sync by
triggers (an update or delete of such a row removes its old terms at once).

One :class:`HistoryStore` may be shared by the GUI thread and worker threads:
it owns one connection and serialises every call with a lock (the catch-up of
the search indexes has a connection of its own, see ``sync_search_index``).
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Collection, Iterable, Iterator, Sequence, Sized
from contextlib import closing, contextmanager, suppress
from dataclasses import fields
from pathlib import Path
from types import TracebackType
from typing import Any, Final

from .errors import (
    HTTPStatusError,
    OutcomeUnknownError,
    ProtocolError,
    ServeError,
    StorageError,
    TransportError,
)
from .models import (
    FINAL_STATUSES,
    POLLABLE_STATES,
    STATE_SEND_ERROR,
    STATE_SENDING,
    STATE_UNKNOWN,
    AsyncRequest,
    HistoryEntry,
    HistorySummary,
    OutputStatus,
    Submission,
)

INTERRUPTED_MESSAGE: Final = (
    "The app stopped before the service answered: this request may or may not have been created."
)
_STATUS_TEXT: Final = {"pending": "Queued", "in_progress": "Running"}
_ENTRY_COLS: Final = ", ".join(f.name for f in fields(HistoryEntry))
_SUMMARY_COLS: Final = ", ".join(f.name for f in fields(HistorySummary))
#: Columns the text filter searches; ``data`` has an FTS index of its own.
_SMALL: Final = ("request_id", "path", "method", "state", "base_url", "profile", "message")
_SEARCH_COLS: Final = (*_SMALL, "data")
_NEWEST: Final = "created_at DESC, row_id DESC"
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
#: ``UPDATE ... RETURNING`` (sqlite 3.35) saves a SELECT per update.
_RETURNING: Final = sqlite3.sqlite_version_info >= (3, 35)
_INSERT: Final = (
    "INSERT INTO history (created_at, state, base_url, method, path, data, profile, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)


def _fts_row(table: str, cols: Sequence[str], row: str) -> str:
    """The statement adding (row ``new``) or removing (row ``old``) a row of an FTS index."""
    cmd = ("", "") if row == "new" else (f"{table}, ", "'delete', ")
    values = ", ".join(f"{row}.{c}" for c in cols)
    return (
        f"INSERT INTO {table} ({cmd[0]}rowid, {', '.join(cols)})"
        f" VALUES ({cmd[1]}{row}.row_id, {values});"
    )


_FTS_OPTS: Final = "content='history', content_rowid='row_id', tokenize='trigram'"
_FTS_TABLES: Final = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS history_fts USING fts5({', '.join(_SMALL)}, {_FTS_OPTS})",
    f"CREATE VIRTUAL TABLE IF NOT EXISTS history_data_fts USING fts5(data, {_FTS_OPTS})",
)
_OLD, _NEW = _fts_row("history_fts", _SMALL, "old"), _fts_row("history_fts", _SMALL, "new")
#: Rows up to this id are in the indexes (-1: the indexes are not to be trusted).
_INDEXED_UPTO: Final = "(SELECT indexed_upto FROM history_fts_mark)"
#: Only rows already indexed need their terms changed; the others are indexed later.
_FTS_TRIGGERS: Final = {
    "history_fts_ad": f"AFTER DELETE ON history WHEN old.row_id <= {_INDEXED_UPTO}"
    f" BEGIN {_OLD} " + _fts_row("history_data_fts", ("data",), "old") + " END",
    "history_fts_au": f"AFTER UPDATE OF {', '.join(_SMALL)} ON history"
    f" WHEN old.row_id <= {_INDEXED_UPTO} BEGIN {_OLD} {_NEW} END",
}
#: Rows indexed per transaction when catching up (~5 ms for typical rows; the lock is
#: free in between).
SYNC_BATCH: Final = 500
#: WAL pages written before sqlite checkpoints by itself (see ``checkpoint``).
WAL_PAGES: Final = 4000


#: Schema steps; step N (1-based) brings the file to ``user_version`` N.
_MIGRATIONS: Final[tuple[tuple[str, ...], ...]] = (
    (
        """CREATE TABLE history (
            row_id INTEGER PRIMARY KEY AUTOINCREMENT, created_at REAL NOT NULL,
            state TEXT NOT NULL, base_url TEXT NOT NULL, method TEXT NOT NULL,
            path TEXT NOT NULL, data TEXT NOT NULL, profile TEXT NOT NULL DEFAULT '',
            request_id TEXT, http_status INTEGER, error_kind TEXT,
            message TEXT NOT NULL DEFAULT '', status_code INTEGER, raw_output TEXT,
            output_json TEXT, fail_reason TEXT, sent_at REAL, pending_at REAL,
            in_progress_at REAL, finished_at REAL, last_polled_at REAL,
            updated_at REAL NOT NULL)""",
        "CREATE INDEX history_created_at ON history (created_at)",
        "CREATE INDEX history_state ON history (state)",
        "CREATE INDEX history_request_id ON history (request_id)",
    ),
    # 2: the service filter lists base URLs by last use (a covering index keeps it instant).
    ("CREATE INDEX history_base_url ON history (base_url, created_at)",),
    # 3: text indexing is deferred (see the module's docstring).  A v2 file whose three
    # triggers are in place has every row indexed; else (-1) the indexes are rebuilt.
    (
        "CREATE TABLE history_fts_mark (id INTEGER PRIMARY KEY CHECK (id = 0),"
        " indexed_upto INTEGER NOT NULL)",
        "INSERT INTO history_fts_mark (id, indexed_upto) SELECT 0, CASE WHEN (SELECT count(*)"
        " FROM sqlite_master WHERE type = 'trigger' AND name IN"
        " ('history_fts_ai', 'history_fts_ad', 'history_fts_au')) = 3"
        " THEN (SELECT ifnull(max(row_id), 0) FROM history) ELSE -1 END",
        "DROP TRIGGER IF EXISTS history_fts_ai",
        "DROP TRIGGER IF EXISTS history_fts_ad",
        "DROP TRIGGER IF EXISTS history_fts_au",
        # (when the FTS5 module is missing, _setup_fts drops these again)
        *(f"CREATE TRIGGER {name} {body}" for name, body in _FTS_TRIGGERS.items()),
        # Rows without an id (sending, send errors) stay out of the id index: adding a
        # row and storing its id each write one page less.
        "DROP INDEX history_request_id",
        "CREATE INDEX history_request_id ON history (request_id) WHERE request_id IS NOT NULL",
    ),
)


class CorruptHistoryError(StorageError):
    """The history file is damaged or is not a database (see ``open_or_quarantine``)."""


class MissingRowError(StorageError):
    """The row to update no longer exists (e.g. deleted while its request was in flight)."""

    def __init__(self, row_id: int) -> None:
        super().__init__(f"History row {row_id} no longer exists.")
        self.row_id = row_id


def _storage_error(exc: sqlite3.Error, path: str, doing: str) -> StorageError:
    """Turn a sqlite3 error into a StorageError a person can act on."""
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF  # the primary result code
    text = str(exc)
    db = "The history database" + ("" if path in ("", ":memory:") else f" {path}")
    if code in (11, 26) or "not a database" in text or "malformed" in text:
        return CorruptHistoryError(f"{db} is damaged or is not a history database ({text}).")
    if code == 8 or "readonly" in text:
        return StorageError(f"{db} is read-only: check the permissions of the file and its folder.")
    if code == 14 or "unable to open" in text:
        return StorageError(f"{db} cannot be opened: check that its folder exists and is writable.")
    if code == 13:
        return StorageError("The disk is full: the history could not be saved.")
    if code in (5, 6):
        return StorageError(f"{db} is locked by another program (is vessl-gui running twice?).")
    return StorageError(f"{db} failed while {doing}: {text}.")


@contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any exception."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            with suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
        raise


def _behind(conn: sqlite3.Connection) -> bool:
    """Whether some rows are not in the search indexes yet."""
    row = conn.execute(f"SELECT {_INDEXED_UPTO}, (SELECT max(row_id) FROM history)").fetchone()
    return row[1] is not None and row[0] is not None and 0 <= row[0] < row[1]


def _now(now: float | None) -> float:
    return time.time() if now is None else now


class HistoryStore:
    """The history database at ``path`` (``":memory:"`` for a private in-memory one).

    The parent folder is created if missing.  Raises :class:`StorageError`
    (:class:`CorruptHistoryError` for a damaged file) when it cannot be opened.
    ``full_text=False`` does not use the FTS5 indexes (search then always uses LIKE).
    Every method raises :class:`StorageError` when the database fails.
    """

    def __init__(self, path: str | os.PathLike[str], *, full_text: bool = True) -> None:
        self._path = os.fspath(path)
        self._lock = threading.RLock()
        self._own_sending: set[int] = set()  # rows this process added and has not updated
        self._hits_for: str | None = None  # the filter text whose matches are in temp.text_hits
        self._conn: sqlite3.Connection | None = None
        self._sync_lock = threading.Lock()  # one catch-up at a time, on _sync_conn
        self._sync_conn: sqlite3.Connection | None = None
        self._read_lock = threading.Lock()  # one detached read at a time, on _read_conn
        self._read_conn: sqlite3.Connection | None = None
        if self._path not in ("", ":memory:") and not self._path.startswith("file:"):
            try:
                Path(self._path).parent.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise StorageError(
                    f"Cannot create the folder for the history database {self._path}: "
                    f"{e.strerror or e}."
                ) from e
            if _not_sqlite(self._path):  # checked first: sqlite would delete its -wal on close
                raise CorruptHistoryError(
                    f"The history database {self._path} is damaged or is not a history "
                    "database (it does not start with the SQLite header)."
                )
        try:
            conn = sqlite3.connect(
                self._path, timeout=5.0, check_same_thread=False, isolation_level=None
            )
        except sqlite3.Error as e:
            raise _storage_error(e, self._path, "opening") from e
        try:
            self._check_version(conn)  # before anything writes to the file
            conn.execute("PRAGMA journal_mode = WAL").fetchall()
            conn.execute("PRAGMA synchronous = NORMAL")
            # Checkpoints (each with two fsyncs) run from checkpoint() when the send
            # workers are idle; this is only the bound (16 MB) for when nobody calls it.
            conn.execute(f"PRAGMA wal_autocheckpoint = {WAL_PAGES}")
            self._migrate(conn)
            self._indexed = self._setup_fts(conn)  # the indexes exist and are maintained
            self._fts = self._indexed and full_text  # ... and text search uses them
        except BaseException as e:
            conn.close()
            if isinstance(e, sqlite3.Error):
                raise _storage_error(e, self._path, "opening") from e
            raise
        self._conn = conn

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

    @staticmethod
    def _check_version(conn: sqlite3.Connection) -> int:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if version > len(_MIGRATIONS):
            raise StorageError(
                f"The history database was written by a newer version of vessl-gui (schema "
                f"{version}; this version knows {len(_MIGRATIONS)}). Please update vessl-gui."
            )
        return version

    @classmethod
    def _migrate(cls, conn: sqlite3.Connection) -> None:
        version = cls._check_version(conn)
        for number, steps in enumerate(_MIGRATIONS[version:], start=version + 1):
            with _transaction(conn):
                for statement in steps:
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {number}")

    @staticmethod
    def _setup_fts(conn: sqlite3.Connection) -> bool:
        """Create the trigram indexes if this sqlite can; else drop their triggers.

        The indexes are trusted (rows up to ``indexed_upto`` are in them) only while
        both triggers are in place; otherwise they are rebuilt here.
        """
        try:
            conn.execute("CREATE VIRTUAL TABLE temp.fts_probe USING fts5(x, tokenize='trigram')")
            conn.execute("DROP TABLE temp.fts_probe")
            available = True
        except sqlite3.OperationalError:
            available = False
        names = ", ".join(f"'{n}'" for n in _FTS_TRIGGERS)
        have = conn.execute(
            f"SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN ({names})"
        ).fetchone()[0]
        upto = conn.execute(f"SELECT {_INDEXED_UPTO}").fetchone()[0]
        if available and have == len(_FTS_TRIGGERS) and upto is not None and upto >= 0:
            return True
        with _transaction(conn):
            for name in _FTS_TRIGGERS:  # without the module, writes must still work
                conn.execute(f"DROP TRIGGER IF EXISTS {name}")
            upto = -1
            if available:  # (re)build: the index is stale if its triggers were missing
                for statement in _FTS_TABLES:
                    conn.execute(statement)
                for name, body in _FTS_TRIGGERS.items():
                    conn.execute(f"CREATE TRIGGER {name} {body}")
                for table in ("history_fts", "history_data_fts"):
                    conn.execute(f"INSERT INTO {table} ({table}) VALUES ('rebuild')")
                upto = conn.execute("SELECT ifnull(max(row_id), 0) FROM history").fetchone()[0]
            conn.execute("UPDATE history_fts_mark SET indexed_upto = ?", (upto,))
        return available

    # ------------------------------------------------------------- plumbing
    @property
    def path(self) -> str:
        return self._path

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

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StorageError("The history database is closed.")
        return self._conn

    @contextmanager
    def _tx(self, doing: str) -> Iterator[sqlite3.Connection]:
        """A write transaction, committed before the ``with`` block is left."""
        with self._lock:
            try:
                with _transaction(self._connection()) as conn:
                    yield conn
            except sqlite3.Error as e:
                raise _storage_error(e, self._path, doing) from e
            finally:
                self._hits_for = None  # a write may change what a filter matches

    def _write_one(self, sql: str, params: Sequence[Any], doing: str) -> sqlite3.Cursor:
        """One statement in a transaction of its own (sqlite's implicit one), committed
        when it has run: as ``_tx`` with one statement, minus a BEGIN and a COMMIT.

        Call with the lock held; fetch all of a RETURNING statement's rows (the commit
        happens, and can fail, when the last one has been read).
        """
        try:
            return self._connection().execute(sql, params)
        except sqlite3.Error as e:
            raise _storage_error(e, self._path, doing) from e
        finally:
            self._hits_for = None  # a write may change what a filter matches

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        with self._lock:
            try:
                return self._connection().execute(sql, params).fetchall()
            except sqlite3.Error as e:
                raise _storage_error(e, self._path, "reading") from e

    @contextmanager
    def _bulk(self, conn: sqlite3.Connection) -> Iterator[None]:
        """Inside a transaction: drop the FTS triggers (the caller updates the indexes
        itself, much faster than row by row), and put them back."""
        for name in _FTS_TRIGGERS if self._indexed else ():
            conn.execute(f"DROP TRIGGER {name}")
        yield
        for name, body in _FTS_TRIGGERS.items() if self._indexed else ():
            conn.execute(f"CREATE TRIGGER {name} {body}")

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
        if self._path in ("", ":memory:") or self._path.startswith("file:"):
            return self._sync_on_main(batch)  # nobody else can open it
        total = 0
        with self._sync_lock:
            while self._indexed:
                try:
                    conn = self._sync_connection()
                    if not _behind(conn):  # a read: no write lock taken for nothing
                        break
                    with _transaction(conn):
                        done = self._catch_up(conn, batch)
                except sqlite3.Error as e:
                    raise _storage_error(e, self._path, "updating the search index") from e
                self._hits_for = None  # (with the lock or not: one assignment)
                if not done:
                    break
                total += done
        return total

    def _sync_connection(self) -> sqlite3.Connection:
        """The catch-up's own connection (call with ``_sync_lock`` held)."""
        if self._sync_conn is None:
            conn = sqlite3.connect(
                self._path, timeout=5.0, check_same_thread=False, isolation_level=None
            )
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

    def checkpoint(self) -> None:
        """Copy the write-ahead log into the database file (a passive checkpoint).

        Meant for idle moments (the send workers call it after catching up the
        search index), so that sends do not pay for it; sqlite does it by itself
        every :data:`WAL_PAGES` pages otherwise.  A file's checkpoint runs on a
        connection of its own, so this store's readers and writers (the GUI
        thread) do not wait for it.
        """
        self._connection()  # closed: StorageError
        if self._path in ("", ":memory:") or self._path.startswith("file:"):
            with self._lock:
                self._query("PRAGMA wal_checkpoint(PASSIVE)")
            return
        try:
            with closing(sqlite3.connect(self._path, timeout=1.0, isolation_level=None)) as conn:
                conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        except sqlite3.Error as e:
            raise _storage_error(e, self._path, "checkpointing") from e

    def _index_behind(self) -> bool:
        """Whether some rows are not indexed yet (call with the lock held)."""
        try:
            return _behind(self._connection())
        except sqlite3.Error as e:
            raise _storage_error(e, self._path, "reading") from e

    @staticmethod
    def _catch_up(conn: sqlite3.Connection, batch: int | None = None) -> int:
        """Inside a transaction: index the next ``batch`` rows not indexed yet (all when
        None), one statement per index (~5x faster than triggers row by row)."""
        upto = conn.execute(f"SELECT {_INDEXED_UPTO}").fetchone()[0]
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
        cols = ", ".join(_SMALL)
        window = "FROM history WHERE row_id > ? AND row_id <= ?"
        conn.execute(
            f"INSERT INTO history_fts (rowid, {cols}) SELECT row_id, {cols} {window}", (upto, last)
        )
        conn.execute(
            f"INSERT INTO history_data_fts (rowid, data) SELECT row_id, data {window}", (upto, last)
        )
        conn.execute("UPDATE history_fts_mark SET indexed_upto = ?", (last,))
        return int(count)

    def _update(self, row_id: int, sets: str, params: Sequence[Any], now: float) -> HistoryEntry:
        sql = f"UPDATE history SET {sets}, updated_at = ? WHERE row_id = ?"
        doing = "saving a result"
        if _RETURNING:  # the row as stored, from the same statement
            with self._lock:
                cursor = self._write_one(
                    f"{sql} RETURNING {_ENTRY_COLS}", (*params, now, row_id), doing
                )
                try:
                    rows = cursor.fetchall()
                except sqlite3.Error as e:
                    raise _storage_error(e, self._path, doing) from e
            if not rows:
                raise MissingRowError(row_id)
            row = rows[0]
        else:
            with self._tx(doing) as conn:
                if conn.execute(sql, (*params, now, row_id)).rowcount == 0:
                    raise MissingRowError(row_id)
                sql = f"SELECT {_ENTRY_COLS} FROM history WHERE row_id = ?"
                row = conn.execute(sql, (row_id,)).fetchone()
        self._own_sending.discard(row_id)
        return HistoryEntry(*row)

    # ---------------------------------------------------------------- writes
    def add(
        self, request: AsyncRequest, *, profile: str = "", now: float | None = None
    ) -> HistoryEntry:
        """Record a request about to be sent (state ``sending``); committed on return."""
        t = _now(now)
        r = request
        values = (t, STATE_SENDING, r.base_url, r.method, r.path, r.data, profile, t)
        with self._lock:
            row_id = int(self._write_one(_INSERT, values, "saving a new request").lastrowid or 0)
            self._own_sending.add(row_id)
        return HistoryEntry(
            row_id, t, STATE_SENDING, r.base_url, r.method, r.path, r.data, profile, updated_at=t
        )

    def add_many(
        self, requests: Iterable[AsyncRequest], *, profile: str = "", now: float | None = None
    ) -> int:
        """Insert ``sending`` rows in one transaction (imports, benchmarks); returns how many."""
        t = _now(now)
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
        t = _now(now)
        sets = "state = 'pending', request_id = ?, http_status = ?, sent_at = ?, error_kind = NULL"
        sub = submission
        return self._update(
            row_id, sets + ", message = 'Created'", (sub.request_id, sub.http_status, t), t
        )

    def mark_send_failed(
        self, row_id: int, error: ServeError, now: float | None = None
    ) -> HistoryEntry:
        """The create failed: ``unknown`` if it may have created a request, else ``send_error``."""
        t = _now(now)
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
        t = _now(now)
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
        t = _now(now)
        message = f"Status check failed: {error.message}"
        sets = "error_kind = ?, message = ?, last_polled_at = ?"
        return self._update(row_id, sets, (error.kind, message, t), t)

    def recover_interrupted(self, now: float | None = None) -> int:
        """Turn rows a previous process left in ``sending`` into ``unknown``; returns how many.

        Rows this store added itself (still in flight) are left alone.
        """
        t = _now(now)
        with self._tx("recovering interrupted sends") as conn:
            sql = "SELECT row_id FROM history WHERE state = ?"
            stale = [
                r[0] for r in conn.execute(sql, (STATE_SENDING,)) if r[0] not in self._own_sending
            ]
            for chunk in _chunks(stale):
                conn.execute(
                    "UPDATE history SET state = ?, error_kind = ?, message = ?, updated_at = ?"
                    f" WHERE row_id IN ({_marks(chunk)})",
                    (STATE_UNKNOWN, OutcomeUnknownError.kind, INTERRUPTED_MESSAGE, t, *chunk),
                )
        return len(stale)

    def delete(self, row_ids: Iterable[int]) -> int:
        """Delete these rows; returns how many existed."""
        ids, deleted = list(row_ids), 0
        with self._tx("deleting rows") as conn:
            for chunk in _chunks(ids):
                sql = f"DELETE FROM history WHERE row_id IN ({_marks(chunk)})"
                deleted += conn.execute(sql, chunk).rowcount
        self._own_sending.difference_update(ids)
        return deleted

    def prune(self, max_age_days: int = 0, max_rows: int = 0, now: float | None = None) -> int:
        """Apply a retention policy: delete rows older than ``max_age_days`` and all but
        the newest ``max_rows`` (0 = no limit).  Rows still sending or being followed
        (pending, in progress) are kept whatever their age.  Returns how many went."""
        t = time.time() if now is None else now
        keep = f"state NOT IN ({_marks(POLLABLE_STATES | {STATE_SENDING})})"
        keep_params = sorted(POLLABLE_STATES | {STATE_SENDING})
        ids: set[int] = set()
        if max_age_days > 0:
            cutoff = t - max_age_days * 86400
            sql = f"SELECT row_id FROM history WHERE created_at < ? AND {keep}"
            ids.update(int(r[0]) for r in self._query(sql, (cutoff, *keep_params)))
        if max_rows > 0:
            sql = (
                f"SELECT row_id FROM history WHERE {keep} AND row_id NOT IN "
                f"(SELECT row_id FROM history ORDER BY {_NEWEST} LIMIT ?)"
            )
            ids.update(int(r[0]) for r in self._query(sql, (*keep_params, max_rows)))
        return self.delete(sorted(ids)) if ids else 0

    def clear(self) -> int:
        """Delete every row; returns how many."""
        with self._tx("clearing the history") as conn, self._bulk(conn):
            deleted = int(conn.execute("DELETE FROM history").rowcount)
            for table in ("history_fts", "history_data_fts") if self._indexed else ():
                conn.execute(f"INSERT INTO {table} ({table}) VALUES ('delete-all')")
        self._own_sending.clear()
        return deleted

    # ----------------------------------------------------------------- reads
    def get(self, row_id: int) -> HistoryEntry | None:
        rows = self._query(f"SELECT {_ENTRY_COLS} FROM history WHERE row_id = ?", (row_id,))
        return HistoryEntry(*rows[0]) if rows else None

    def get_apart(self, row_id: int) -> HistoryEntry | None:
        """:meth:`get` on a connection of its own, for a thread that reads a row the
        window is waiting for: it neither waits for this store's other calls nor makes
        them wait (reading a 20 MB row takes ~0.1 s).  Thread-safe, one such read at a
        time.  A store in memory has one connection: there it is :meth:`get`.
        """
        if self._path in ("", ":memory:") or self._path.startswith("file:"):
            return self.get(row_id)
        with self._read_lock:
            self._connection()  # closed: StorageError
            try:
                if self._read_conn is None:
                    self._read_conn = sqlite3.connect(
                        self._path, timeout=5.0, check_same_thread=False, isolation_level=None
                    )
                sql = f"SELECT {_ENTRY_COLS} FROM history WHERE row_id = ?"
                rows = self._read_conn.execute(sql, (row_id,)).fetchall()
            except sqlite3.Error as e:
                raise _storage_error(e, self._path, "reading") from e
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
        for chunk in _chunks(ids):
            sql = f"SELECT {_ENTRY_COLS} FROM history WHERE row_id IN ({_marks(chunk)})"
            found.update((row[0], HistoryEntry(*row)) for row in self._query(sql, chunk))
        return [found[i] for i in ids if i in found]

    def find_by_request_id(self, request_id: str) -> list[HistoryEntry]:
        """Rows with this service id, newest first."""
        sql = f"SELECT {_ENTRY_COLS} FROM history WHERE request_id = ? ORDER BY {_NEWEST}"
        return [HistoryEntry(*r) for r in self._query(sql, (request_id,))]

    def _where(
        self,
        text: str,
        states: Collection[str] | None,
        services: Collection[str] | None = None,
    ) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if services is not None:
            if not services:
                return "WHERE 0", []
            clauses.append(f"base_url IN ({_marks(services)})")
            params.extend(services)
        if states is not None:
            if not states:
                return "WHERE 0", []
            clauses.append(f"state IN ({_marks(states)})")
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
                likes = " OR ".join(f"{c} LIKE ? ESCAPE '\\'" for c in _SEARCH_COLS)
                conn.execute(
                    f"INSERT INTO temp.text_hits SELECT row_id FROM history WHERE {likes}",
                    [pattern] * len(_SEARCH_COLS),
                )
        except sqlite3.Error as e:
            self._hits_for = None
            raise _storage_error(e, self._path, "searching") from e
        self._hits_for = text

    def count(
        self,
        text: str = "",
        states: Collection[str] | None = None,
        services: Collection[str] | None = None,
    ) -> int:
        """How many rows contain ``text`` (case-insensitive) and are in one of ``states``
        (and, when given, belong to one of the ``services`` base URLs)."""
        with self._lock:
            where, params = self._where(text, states, services)
            if text.strip() and states is None and services is None:  # no need to join
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
    ) -> list[HistorySummary]:
        """Matching rows without their large columns, newest first unless ``sort`` says
        otherwise (one of :data:`SORTABLE`; ties keep the newest-first order)."""
        if sort not in SORTABLE:
            raise ValueError(f"cannot sort by {sort!r}")
        order = _NEWEST
        if sort != "created_at" or not descending:
            direction = "DESC" if descending else "ASC"
            order = f"{_SORT_EXPRESSIONS.get(sort, sort)} {direction}, row_id {direction}"
        with self._lock:
            where, params = self._where(text, states, services)
            sql = f"SELECT {_SUMMARY_COLS} FROM history {where} ORDER BY {order} LIMIT ? OFFSET ?"
            return [HistorySummary(*r) for r in self._query(sql, (*params, limit, offset))]

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
        sql = f"SELECT {_SUMMARY_COLS} FROM history WHERE {where} ORDER BY created_at, row_id"
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


#: Next to a history file found damaged while in use: move it aside at the next start.
DAMAGED_SUFFIX: Final = ".damaged"


def check_file(path: str | os.PathLike[str]) -> list[str]:
    """The problems ``PRAGMA quick_check`` finds in the whole history file (search
    indexes included); [] when it is sound.  Read-only, on a connection of its own,
    so any thread can run it while the store is in use (readers do not block writers).
    Raises :class:`StorageError` when the file cannot be read at all.
    """
    uri = Path(path).resolve().as_uri() + "?mode=ro"
    try:
        with closing(sqlite3.connect(uri, uri=True, timeout=5.0, isolation_level=None)) as conn:
            rows = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as e:
        if isinstance(e, sqlite3.OperationalError) and "malformed" not in str(e):
            raise _storage_error(e, os.fspath(path), "checking") from e
        return [str(e)]
    return [str(r[0]) for r in rows if r[0] != "ok"]


def mark_damaged(path: str | os.PathLike[str], problems: Sequence[str]) -> Path:
    """Have :meth:`HistoryStore.open_or_quarantine` move ``path`` aside at the next
    start (nothing is moved now: the window is using it); returns the marker file."""
    marker = Path(f"{os.fspath(path)}{DAMAGED_SUFFIX}")
    try:
        marker.write_text("\n".join(problems) + "\n", encoding="utf-8")
    except OSError as e:
        raise StorageError(f"Could not note that {path} is damaged: {e.strerror or e}.") from e
    return marker


def quarantine(path: str | os.PathLike[str]) -> Path | None:
    """Rename a damaged database and its -wal/-shm/-journal to ``<name>.corrupt-<time>``.

    Returns the new name of the main file (None if it did not exist).
    """
    src = Path(path)
    suffixes = ("", "-wal", "-shm", "-journal")
    stamp, n = time.strftime("%Y%m%d-%H%M%S"), 1
    dest = src.with_name(f"{src.name}.corrupt-{stamp}")
    while any(Path(f"{dest}{s}").exists() for s in suffixes):
        n += 1
        dest = src.with_name(f"{src.name}.corrupt-{stamp}-{n}")
    try:
        for suffix in suffixes:
            if Path(f"{src}{suffix}").exists():
                os.rename(f"{src}{suffix}", f"{dest}{suffix}")
    except OSError as e:
        raise StorageError(
            f"The damaged history database {src} could not be moved aside: {e.strerror or e}."
        ) from e
    return dest if dest.exists() else None


def _not_sqlite(path: str) -> bool:
    """True when ``path`` is a non-empty file without the SQLite header."""
    try:
        with open(path, "rb") as f:
            head = f.read(16)
    except OSError:  # missing (fine) or unreadable (sqlite will say so)
        return False
    return bool(head) and head != b"SQLite format 3\x00"


def _marks(items: Sized) -> str:
    return ", ".join("?" * len(items))


def _chunks(items: list[int], size: int = 500) -> Iterator[list[int]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
