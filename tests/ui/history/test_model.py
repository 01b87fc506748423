"""HistoryModel bookkeeping: positions stay right through prepends, pages and removals."""

from __future__ import annotations

import random
from pathlib import Path

from pytestqt.qtbot import QtBot

from vessl_gui.core.history import HistoryStore
from vessl_gui.core.models import AsyncRequest
from vessl_gui.ui.history.model import PAGE_SIZE, HistoryModel

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
