"""A filter's count and pages share one text search (tests/benchmarks B5): the shared
result must never outlive a write, for the trigram (3+ characters) and LIKE paths."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from vessl_gui.core.history import HistoryStore
from vessl_gui.core.models import AsyncRequest, OutputStatus, Submission

BASE = "https://serve-api.vessl.ai/api/v1/services/demo"


def req(data: str, path: str = "/predict") -> AsyncRequest:
    return AsyncRequest(BASE, "POST", path, data)


@pytest.fixture(params=[True, False], ids=["fts", "like-only"])
def store(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[HistoryStore]:
    with HistoryStore(tmp_path / "h.sqlite3", full_text=request.param) as s:
        yield s


@pytest.mark.parametrize("text", ["zebra", "ze"])
def test_count_and_pages_follow_every_kind_of_write(store: HistoryStore, text: str) -> None:
    first = store.add(req('{"animal": "zebra"}'))
    store.add(req('{"animal": "lion"}'))
    assert store.count(text) == 1
    assert [s.row_id for s in store.page(0, 10, text)] == [first.row_id]

    second = store.add(req('{"animal": "zebra crossing"}'))  # a new matching row
    assert store.count(text) == 2
    assert [s.row_id for s in store.page(0, 10, text)] == [second.row_id, first.row_id]

    store.delete([first.row_id])  # a deleted one
    assert store.count(text) == 1
    assert [s.row_id for s in store.page(0, 10, text)] == [second.row_id]

    other = store.add(req("{}", path="/other"))  # a status update that makes a row match
    assert store.count(text) == 1
    store.record_output(
        other.row_id, OutputStatus("failed", 500, None, None, f"{text} escaped the zoo")
    )
    assert store.count(text) == 2
    assert store.page(0, 10, text)[0].row_id == other.row_id

    store.clear()
    assert store.count(text) == 0 and store.page(0, 10, text) == []


def test_filters_combine_with_states_and_services(store: HistoryStore) -> None:
    a = store.add(req('{"animal": "zebra"}'))
    b = store.add(req('{"animal": "zebra"}'))
    store.mark_sent(b.row_id, Submission("abc123", 201, 0.1))
    assert store.count("zebra") == 2
    assert store.count("zebra", states={"pending"}) == 1
    assert store.count("zebra", states={"sending"}) == 1
    assert store.count("zebra", services={"https://elsewhere.example/x"}) == 0
    assert [s.row_id for s in store.page(0, 10, "zebra", states={"sending"})] == [a.row_id]
    assert store.count("abc123") == 1  # the id written by mark_sent is searchable at once


def test_switching_between_texts_gives_each_its_own_answer(store: HistoryStore) -> None:
    store.add(req('{"animal": "zebra"}'))
    store.add(req('{"animal": "lion"}'))
    store.add(req('{"animal": "lioness"}'))
    for _ in range(2):
        assert store.count("zebra") == 1
        assert store.count("lion") == 2
        assert store.count("li") == 2
        assert store.count("") == 3
        assert len(store.page(0, 10, "lion")) == 2
