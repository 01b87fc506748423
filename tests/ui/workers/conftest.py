"""Fixtures for the worker tests: a history store in tmp_path and started WorkerThreads;
helpers that read the history file from another connection."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from vessl_gui.core.history import HistoryStore
from vessl_gui.ui.workers import WorkerThreads, make_client


@pytest.fixture
def store(tmp_path: Path) -> Iterator[HistoryStore]:
    with HistoryStore(tmp_path / "history.db") as s:
        yield s


@pytest.fixture
def threads(store: HistoryStore) -> Iterator[WorkerThreads]:
    w = WorkerThreads(store, make_client)
    w.start()
    yield w
    assert w.stop()


def on_disk(store: HistoryStore, row_id: int) -> tuple[Any, ...]:
    """(state, request_id) of the row as another connection reads it from the file."""
    with closing(sqlite3.connect(store.path)) as conn:
        row = conn.execute(
            "SELECT state, request_id FROM history WHERE row_id = ?", (row_id,)
        ).fetchone()
    return tuple(row)


def indexed_ids(store: HistoryStore) -> list[int]:
    with closing(sqlite3.connect(store.path)) as conn:
        return [r[0] for r in conn.execute("SELECT id FROM history_fts_docsize ORDER BY id")]
