"""What every part of :class:`~.store.HistoryStore` stands on: the file, its connections, the lock.

One store may be shared by the GUI thread and worker threads: it owns one
connection and serialises every call with a lock (the catch-up of the search
indexes has a connection of its own, see ``sync_search_index``, and so do
``get_apart`` and ``checkpoint``).  Every write is committed before its method
returns, so what the table shows is on disk.  The file is in WAL mode.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any, Final

from vessl_gui.core.errors import StorageError

from .db import (
    CorruptHistoryError,
    connect,
    is_memory_path,
    not_sqlite,
    storage_error,
    transaction,
)
from .schema import check_version, migrate, setup_fts

#: WAL pages written before sqlite checkpoints by itself (see ``checkpoint``).
WAL_PAGES: Final = 4000


class StoreBase:
    """Opens (creating, migrating) the history file and owns its connections and lock.

    See :class:`~.store.HistoryStore` for the arguments.
    """

    def __init__(self, path: str | os.PathLike[str], *, full_text: bool = True) -> None:
        self._path = os.fspath(path)
        self._lock = threading.RLock()
        self._own_sending: set[int] = set()  # rows this process added and has not updated
        self._own_batches: set[str] = set()  # batches this process created or set running
        self._hits_for: str | None = None  # the filter text whose matches are in temp.text_hits
        self._conn: sqlite3.Connection | None = None
        self._sync_lock = threading.Lock()  # one catch-up at a time, on _sync_conn
        self._sync_conn: sqlite3.Connection | None = None
        self._read_lock = threading.Lock()  # one detached read at a time, on _read_conn
        self._read_conn: sqlite3.Connection | None = None
        if not is_memory_path(self._path):
            try:
                Path(self._path).parent.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise StorageError(
                    f"Cannot create the folder for the history database {self._path}: "
                    f"{e.strerror or e}."
                ) from e
            if not_sqlite(self._path):  # checked first: sqlite would delete its -wal on close
                raise CorruptHistoryError(
                    f"The history database {self._path} is damaged or is not a history "
                    "database (it does not start with the SQLite header)."
                )
        try:
            conn = connect(self._path)
        except sqlite3.Error as e:
            raise storage_error(e, self._path, "opening") from e
        try:
            check_version(conn)  # before anything writes to the file
            conn.execute("PRAGMA journal_mode = WAL").fetchall()
            conn.execute("PRAGMA synchronous = NORMAL")
            # Checkpoints (each with two fsyncs) run from checkpoint() when the send
            # workers are idle; this is only the bound (16 MB) for when nobody calls it.
            conn.execute(f"PRAGMA wal_autocheckpoint = {WAL_PAGES}")
            migrate(conn)
            self._indexed = setup_fts(conn)  # the indexes exist and are maintained
            self._fts = self._indexed and full_text  # ... and text search uses them
        except BaseException as e:
            conn.close()
            if isinstance(e, sqlite3.Error):
                raise storage_error(e, self._path, "opening") from e
            raise
        self._conn = conn

    @property
    def path(self) -> str:
        return self._path

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StorageError("The history database is closed.")
        return self._conn

    @contextmanager
    def held_connection(self) -> Iterator[sqlite3.Connection]:
        """The store's connection with its lock held, for a read of one's own (see
        :func:`~.quick.quick_page`); :class:`StorageError` when the store is closed."""
        with self._lock:
            yield self._connection()

    @contextmanager
    def _tx(self, doing: str) -> Iterator[sqlite3.Connection]:
        """A write transaction, committed before the ``with`` block is left."""
        with self._lock:
            try:
                with transaction(self._connection()) as conn:
                    yield conn
            except sqlite3.Error as e:
                raise storage_error(e, self._path, doing) from e
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
            raise storage_error(e, self._path, doing) from e
        finally:
            self._hits_for = None  # a write may change what a filter matches

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        with self._lock:
            try:
                return self._connection().execute(sql, params).fetchall()
            except sqlite3.Error as e:
                raise storage_error(e, self._path, "reading") from e

    def checkpoint(self) -> None:
        """Copy the write-ahead log into the database file (a passive checkpoint).

        Meant for idle moments (the send workers call it after catching up the
        search index), so that sends do not pay for it; sqlite does it by itself
        every :data:`WAL_PAGES` pages otherwise.  A file's checkpoint runs on a
        connection of its own, so this store's readers and writers (the GUI
        thread) do not wait for it.
        """
        self._connection()  # closed: StorageError
        if is_memory_path(self._path):
            with self._lock:
                self._query("PRAGMA wal_checkpoint(PASSIVE)")
            return
        try:
            with closing(sqlite3.connect(self._path, timeout=1.0, isolation_level=None)) as conn:
                conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        except sqlite3.Error as e:
            raise storage_error(e, self._path, "checkpointing") from e
