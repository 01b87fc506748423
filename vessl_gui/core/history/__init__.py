"""The request history: one sqlite3 row per press of Send, never the token.

A row is written (state ``sending``) before the request leaves and updated as
answers arrive; every write is committed before its method returns, so what
the table shows is on disk.  The file is in WAL mode and its schema is
versioned with ``PRAGMA user_version`` (see ``schema.MIGRATIONS``).  Text search
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

The modules, each one concern::

    db       connecting, transactions, sqlite errors -> StorageError, is_memory_path
    schema   the table's columns, the migrations, the FTS tables and triggers
    base     StoreBase: opens the file; its connections, its lock, checkpoints
    search   SearchMixin: the text index's catch-up, count() and page() with a filter
    writes   WritesMixin: add, mark_*, record_*, recover, delete, prune, clear
    followed FollowMixin: add_followed, known_request_ids (ids created elsewhere)
    batches  BatchesMixin: create_batch, next_queued, start_sending, requeue, batch states
    store    HistoryStore: the reads, opening a damaged file, closing
    repair   check_file, mark_damaged, quarantine (damaged files moved aside)
    quick    quick_page: a text filter's first page by a budgeted newest-first walk
    export   rows to JSON Lines / CSV (not imported here: it is not needed at start)
"""

from __future__ import annotations

from .base import WAL_PAGES
from .batches import QUEUED_MESSAGE, REQUEUED_MESSAGE
from .db import CorruptHistoryError, is_memory_path
from .followed import FOLLOWED_MESSAGE
from .quick import quick_page
from .repair import DAMAGED_SUFFIX, check_file, mark_damaged, quarantine
from .search import SORTABLE, SYNC_BATCH
from .store import HistoryStore
from .writes import INTERRUPTED_MESSAGE, MissingRowError

__all__ = [
    "DAMAGED_SUFFIX",
    "FOLLOWED_MESSAGE",
    "INTERRUPTED_MESSAGE",
    "QUEUED_MESSAGE",
    "REQUEUED_MESSAGE",
    "SORTABLE",
    "SYNC_BATCH",
    "WAL_PAGES",
    "CorruptHistoryError",
    "HistoryStore",
    "MissingRowError",
    "check_file",
    "is_memory_path",
    "mark_damaged",
    "quarantine",
    "quick_page",
]
