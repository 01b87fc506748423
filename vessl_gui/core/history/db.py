"""SQLite plumbing of the history: connecting, transactions, and errors a person can act on.

Every failure of the database leaves the store as a :class:`StorageError`
(:func:`storage_error`); :class:`CorruptHistoryError` is the one that has the
file moved aside (see :mod:`.repair`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sized
from contextlib import contextmanager, suppress
from typing import TypeVar

from vessl_gui.core.errors import StorageError


class CorruptHistoryError(StorageError):
    """The history file is damaged or is not a database (see ``open_or_quarantine``)."""


def is_memory_path(path: str) -> bool:
    """Whether a history at ``path`` lives in one connection only: ``""`` and
    ``":memory:"`` (a private in-memory database) and any ``"file:"`` URI (e.g.
    ``"file::memory:?cache=shared"``).  Such a store has no folder to create, and is
    never opened a second time (no catch-up, checkpoint, detached read or count on
    a connection of its own)."""
    return path in ("", ":memory:") or path.startswith("file:")


def connect(path: str) -> sqlite3.Connection:
    """A connection as the store uses it: any thread, autocommit (our own BEGINs), 5 s busy wait."""
    return sqlite3.connect(path, timeout=5.0, check_same_thread=False, isolation_level=None)


def storage_error(exc: sqlite3.Error, path: str, doing: str) -> StorageError:
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
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
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


def not_sqlite(path: str) -> bool:
    """True when ``path`` is a non-empty file without the SQLite header."""
    try:
        with open(path, "rb") as f:
            head = f.read(16)
    except OSError:  # missing (fine) or unreadable (sqlite will say so)
        return False
    return bool(head) and head != b"SQLite format 3\x00"


def marks(items: Sized) -> str:
    """``?, ?, ?``: one placeholder per item, for ``IN (...)``."""
    return ", ".join("?" * len(items))


_T = TypeVar("_T")


def chunks(items: list[_T], size: int = 500) -> Iterator[list[_T]]:
    """``items`` in slices of ``size`` (sqlite bounds the placeholders of a statement)."""
    for i in range(0, len(items), size):
        yield items[i : i + size]
