"""Damaged history files: the whole-file check, the marker for the next start, moving aside.

At start only the history table is checked (see ``HistoryStore.open_or_quarantine``);
:func:`check_file` checks everything, off the GUI thread, once the window is
up, and :func:`mark_damaged` has the file moved aside (:func:`quarantine`) at
the next start.  Nothing is ever deleted.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Sequence
from contextlib import closing
from pathlib import Path
from typing import Final

from vessl_gui.core.errors import StorageError
from vessl_gui.core.files import move_aside

from .db import storage_error

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
            raise storage_error(e, os.fspath(path), "checking") from e
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
    return move_aside(Path(path), "history database", ("-wal", "-shm", "-journal"))
