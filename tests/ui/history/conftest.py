"""Fixtures and helpers shared by the history tests: a seeded history file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vessl_gui.core.history import HistoryStore
from vessl_gui.core.models import AsyncRequest, Submission
from vessl_gui.ui.window import MainWindow


def seed(path: Path) -> None:
    """Rows of two services and several states, with distinctive data."""
    with HistoryStore(path) as store:
        t = 1_700_000_000.0
        for i in range(30):
            base = "http://127.0.0.1:9/api/v1/services/" + ("alpha" if i % 2 else "beta")
            req = AsyncRequest(base, "POST", f"/p{i:02d}", json.dumps({"n": i, "w": f"word{i}"}))
            e = store.add(req, now=t + i)
            if i % 3 == 0:
                store.mark_sent(e.row_id, Submission(f"id{i:02d}", 201, 0.1), now=t + i)


def paths(w: MainWindow) -> list[str]:
    return [w.model.summary_at(r).path for r in range(w.model.rowCount())]  # type: ignore[union-attr]


@pytest.fixture
def seeded(tmp_path: Path) -> Path:
    seed(tmp_path / "history.sqlite3")
    return tmp_path
