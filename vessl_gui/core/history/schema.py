"""The history file's schema: its table, the versioned migrations and the text indexes.

The schema is versioned with ``PRAGMA user_version`` (see :data:`MIGRATIONS`).
Text search uses two FTS5 ``trigram`` indexes: one over the small columns, one
over ``data`` (which never changes after insert, so status updates do not
re-index large bodies).  Rows with ``row_id`` above
``history_fts_mark.indexed_upto`` are not indexed yet (see :mod:`.search`);
rows already indexed are kept in sync by triggers (an update or delete of such
a row removes its old terms at once).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from dataclasses import fields
from typing import Final

from vessl_gui.core.errors import StorageError
from vessl_gui.core.models import BatchInfo, HistoryEntry, HistorySummary

from .db import transaction

ENTRY_COLS: Final = ", ".join(f.name for f in fields(HistoryEntry))
SUMMARY_COLS: Final = ", ".join(f.name for f in fields(HistorySummary))
BATCH_COLS: Final = ", ".join(f.name for f in fields(BatchInfo))
#: Columns the text filter searches; ``data`` has an FTS index of its own.
SMALL: Final = ("request_id", "path", "method", "state", "base_url", "profile", "message")
SEARCH_COLS: Final = (*SMALL, "data")
NEWEST: Final = "created_at DESC, row_id DESC"


def _fts_row(table: str, cols: Sequence[str], row: str) -> str:
    """The statement adding (row ``new``) or removing (row ``old``) a row of an FTS index."""
    cmd = ("", "") if row == "new" else (f"{table}, ", "'delete', ")
    values = ", ".join(f"{row}.{c}" for c in cols)
    return (
        f"INSERT INTO {table} ({cmd[0]}rowid, {', '.join(cols)})"
        f" VALUES ({cmd[1]}{row}.row_id, {values});"
    )


_FTS_OPTS: Final = "content='history', content_rowid='row_id', tokenize='trigram'"
FTS_TABLES: Final = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS history_fts USING fts5({', '.join(SMALL)}, {_FTS_OPTS})",
    f"CREATE VIRTUAL TABLE IF NOT EXISTS history_data_fts USING fts5(data, {_FTS_OPTS})",
)
_OLD, _NEW = _fts_row("history_fts", SMALL, "old"), _fts_row("history_fts", SMALL, "new")
#: Rows up to this id are in the indexes (-1: the indexes are not to be trusted).
INDEXED_UPTO: Final = "(SELECT indexed_upto FROM history_fts_mark)"
#: Only rows already indexed need their terms changed; the others are indexed later.
FTS_TRIGGERS: Final = {
    "history_fts_ad": f"AFTER DELETE ON history WHEN old.row_id <= {INDEXED_UPTO}"
    f" BEGIN {_OLD} " + _fts_row("history_data_fts", ("data",), "old") + " END",
    "history_fts_au": f"AFTER UPDATE OF {', '.join(SMALL)} ON history"
    f" WHEN old.row_id <= {INDEXED_UPTO} BEGIN {_OLD} {_NEW} END",
}


#: Schema steps; step N (1-based) brings the file to ``user_version`` N.
MIGRATIONS: Final[tuple[tuple[str, ...], ...]] = (
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
        # (when the FTS5 module is missing, setup_fts drops these again)
        *(f"CREATE TRIGGER {name} {body}" for name, body in FTS_TRIGGERS.items()),
        # Rows without an id (sending, send errors) stay out of the id index: adding a
        # row and storing its id each write one page less.
        "DROP INDEX history_request_id",
        "CREATE INDEX history_request_id ON history (request_id) WHERE request_id IS NOT NULL",
    ),
    # 4: where a row came from (composer, followed id, batch), its batch, the names of
    # its secret variables; the batches.  Adding a column with a constant default
    # rewrites nothing (~1 ms whatever the size).  Only batch rows are in the batch
    # indexes, so a composer send writes no more pages than before.
    (
        "ALTER TABLE history ADD COLUMN origin TEXT NOT NULL DEFAULT 'composer'",
        "ALTER TABLE history ADD COLUMN batch_id TEXT",
        "ALTER TABLE history ADD COLUMN secret_vars TEXT",
        "CREATE INDEX IF NOT EXISTS history_batch ON history (batch_id, state)"
        " WHERE batch_id IS NOT NULL",
        # A batch's page in time order without sorting its rows (37 -> 1 ms at 10 000);
        # its keys never change, so an update of a row does not touch it.
        "CREATE INDEX IF NOT EXISTS history_batch_time ON history (batch_id, created_at)"
        " WHERE batch_id IS NOT NULL",
        """CREATE TABLE IF NOT EXISTS batches (
            batch_id TEXT PRIMARY KEY, created_at REAL NOT NULL, source TEXT NOT NULL,
            base_url TEXT NOT NULL, method TEXT NOT NULL, path TEXT NOT NULL,
            profile TEXT NOT NULL DEFAULT '', total INTEGER NOT NULL,
            concurrency INTEGER NOT NULL, rate REAL, state TEXT NOT NULL,
            updated_at REAL NOT NULL)""",
    ),
)
#: ``ALTER TABLE t ADD COLUMN c``: skipped when ``c`` exists (a file whose
#: ``user_version`` was set back by hand, or a copy restored over a newer one).
_ADD_COLUMN: Final = re.compile(r"ALTER TABLE (\w+) ADD COLUMN (\w+)")


def check_version(conn: sqlite3.Connection) -> int:
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version > len(MIGRATIONS):
        raise StorageError(
            f"The history database was written by a newer version of vessl-gui (schema "
            f"{version}; this version knows {len(MIGRATIONS)}). Please update vessl-gui."
        )
    return version


def migrate(conn: sqlite3.Connection) -> None:
    version = check_version(conn)
    for number, steps in enumerate(MIGRATIONS[version:], start=version + 1):
        with transaction(conn):
            for statement in steps:
                if not _has_column(conn, statement):
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number}")


def _has_column(conn: sqlite3.Connection, statement: str) -> bool:
    """Whether ``statement`` adds a column the table has already."""
    found = _ADD_COLUMN.match(statement)
    if found is None:
        return False
    table, column = found.groups()
    return any(r[1] == column for r in conn.execute(f"PRAGMA table_info({table})"))


def setup_fts(conn: sqlite3.Connection) -> bool:
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
    names = ", ".join(f"'{n}'" for n in FTS_TRIGGERS)
    have = conn.execute(
        f"SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN ({names})"
    ).fetchone()[0]
    upto = conn.execute(f"SELECT {INDEXED_UPTO}").fetchone()[0]
    if available and have == len(FTS_TRIGGERS) and upto is not None and upto >= 0:
        return True
    with transaction(conn):
        for name in FTS_TRIGGERS:  # without the module, writes must still work
            conn.execute(f"DROP TRIGGER IF EXISTS {name}")
        upto = -1
        if available:  # (re)build: the index is stale if its triggers were missing
            for statement in FTS_TABLES:
                conn.execute(statement)
            for name, body in FTS_TRIGGERS.items():
                conn.execute(f"CREATE TRIGGER {name} {body}")
            for table in ("history_fts", "history_data_fts"):
                conn.execute(f"INSERT INTO {table} ({table}) VALUES ('rebuild')")
            upto = conn.execute("SELECT ifnull(max(row_id), 0) FROM history").fetchone()[0]
        conn.execute("UPDATE history_fts_mark SET indexed_upto = ?", (upto,))
    return available
