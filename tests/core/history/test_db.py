"""The history's sqlite plumbing: which paths are in memory, errors a person can act on."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from vessl_gui.core.errors import StorageError
from vessl_gui.core.history import CorruptHistoryError, is_memory_path
from vessl_gui.core.history.db import storage_error


@pytest.mark.parametrize(
    ("path", "memory"),
    [
        ("", True),
        (":memory:", True),
        ("file::memory:", True),
        ("file::memory:?cache=shared", True),
        ("file:history.db?mode=memory", True),  # any URI: never opened a second time
        ("history.db", False),
        ("/home/me/.local/share/vessl-gui/history.sqlite3", False),
        ("memory.db", False),
        ("./file:x.db", False),
    ],
)
def test_is_memory_path(path: str, memory: bool) -> None:
    assert is_memory_path(path) is memory


def test_storage_error_names_the_file_and_what_went_wrong(tmp_path: Path) -> None:
    error = storage_error(sqlite3.DatabaseError("file is not a database"), "/x/h.db", "opening")
    assert isinstance(error, CorruptHistoryError)
    assert error.message.startswith("The history database /x/h.db is damaged")
    locked = sqlite3.OperationalError("database is locked")
    locked.sqlite_errorcode = 5  # type: ignore[attr-defined]
    error = storage_error(locked, ":memory:", "reading")
    assert type(error) is StorageError and "locked by another program" in error.message
    assert error.message.startswith("The history database is locked")  # no name for memory
    error = storage_error(sqlite3.OperationalError("boom"), "h.db", "saving a result")
    assert error.message == "The history database h.db failed while saving a result: boom."
