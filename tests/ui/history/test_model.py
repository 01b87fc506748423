"""HistoryModel bookkeeping: positions stay right through prepends, pages and removals;
the timings columns."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from vessl_gui.core.history import HistoryStore
from vessl_gui.core.models import AsyncRequest, OutputStatus, Submission
from vessl_gui.ui.history.model import (
    COL_RAN,
    COL_TOTAL,
    COL_WAITED,
    COLUMNS,
    PAGE_SIZE,
    HistoryModel,
)

BASE = "http://127.0.0.1:9/api/v1/services/s"


def check(model: HistoryModel, store: HistoryStore) -> None:
    ids = [model.summary_at(i).row_id for i in range(model.rowCount())]  # type: ignore[union-attr]
    assert all(model.row_of(row_id) == i for i, row_id in enumerate(ids))
    assert ids == [s.row_id for s in store.page(0, len(ids))]  # newest first, no gaps
    assert model.total() == store.count()


def test_positions_follow_prepends_pages_and_removals(qtbot: QtBot, tmp_path: Path) -> None:
    rng = random.Random(3)
    with HistoryStore(tmp_path / "history.sqlite3") as store:
        store.add_many(AsyncRequest(BASE, "POST", f"/m{i}", "{}") for i in range(PAGE_SIZE + 50))
        model = HistoryModel(store)
        removed: list[int] = []
        model.rowsRemoved.connect(lambda _parent, first, last: removed.append(first))
        for step in range(60):
            op = rng.choice(("prepend", "prepend", "fetch", "remove", "update"))
            if op == "prepend":
                entry = store.add(AsyncRequest(BASE, "POST", f"/new{step}", "{}"))
                model.prepend(entry.summary())
            elif op == "fetch" and model.canFetchMore():
                model.fetchMore()
            elif op == "remove" and model.rowCount():
                picks = {
                    model.summary_at(rng.randrange(model.rowCount())).row_id  # type: ignore[union-attr]
                    for _ in range(rng.randint(1, 4))
                }
                store.delete(picks)
                before = len(removed)
                model.remove_rows(picks)
                assert len(removed) - before == len(picks)
            elif op == "update" and model.rowCount():
                s = model.summary_at(rng.randrange(model.rowCount()))
                assert s is not None
                assert model.row_of(s.row_id) is not None
                model.update(s)
            check(model, store)
        model.close()


def test_history_columns_show_observed_durations(qtbot: QtBot, tmp_path: Path) -> None:
    with HistoryStore(tmp_path / "h.sqlite3") as store:
        req = AsyncRequest("http://127.0.0.1:9/s", "POST", "/", "{}")
        a = store.add(req, now=100.0)
        store.mark_sent(a.row_id, Submission("aaa", 201, 0.1), now=100.5)
        store.record_output(a.row_id, OutputStatus("pending"), now=101.0)
        store.record_output(a.row_id, OutputStatus("in_progress"), now=103.0)
        store.record_output(a.row_id, OutputStatus("completed", 200, "{}", "{}"), now=190.0)
        b = store.add(req, now=200.0)
        store.mark_sent(b.row_id, Submission("bbb", 201, 0.1), now=200.5)
        store.record_output(b.row_id, OutputStatus("completed", 200, "{}", "{}"), now=202.0)
        model = HistoryModel(store)
        assert COLUMNS[:7] == ("Time", "ID", "Status", "Method", "Path", "Service", "Message")
        assert [COLUMNS[c] for c in (COL_WAITED, COL_RAN, COL_TOTAL)] == ["Waited", "Ran", "Total"]
        row_a, row_b = model.row_of(a.row_id), model.row_of(b.row_id)
        assert row_a is not None and row_b is not None

        def cell(row: int, col: int, role: Qt.ItemDataRole = Qt.ItemDataRole.DisplayRole) -> Any:
            return model.index(row, col).data(role)

        assert [cell(row_a, c) for c in (COL_WAITED, COL_RAN, COL_TOTAL)] == [
            "2.5 s",
            "1 min 27 s",
            "1 min 30 s",
        ]
        assert [cell(row_b, c) for c in (COL_WAITED, COL_RAN, COL_TOTAL)] == ["", "", "2.0 s"]
        tip = cell(row_b, COL_WAITED, Qt.ItemDataRole.ToolTipRole)
        assert "between two checks" in tip and "polling interval's precision" in tip
        assert "polling interval's precision" in cell(row_a, COL_TOTAL, Qt.ItemDataRole.ToolTipRole)
        model.sort(COL_TOTAL, Qt.SortOrder.DescendingOrder)
        assert [model.index(r, 1).data() for r in range(2)] == ["aaa", "bbb"]
        model.sort(COL_TOTAL, Qt.SortOrder.AscendingOrder)
        assert [model.index(r, 1).data() for r in range(2)] == ["bbb", "aaa"]
