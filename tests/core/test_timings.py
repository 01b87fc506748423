"""Waited / ran / total from what polling saw, as the history shows and sorts them."""

from __future__ import annotations

from pathlib import Path

import pytest

from vessl_gui.core import timings
from vessl_gui.core.history import HistoryStore
from vessl_gui.core.models import AsyncRequest, OutputStatus, Submission


def test_timings_from_what_polling_saw() -> None:
    t = timings.observed_timings(100.0, 100.5, 101.0, 103.0, 110.0)
    assert (t.waited, t.ran, t.total, t.started_unseen) == (2.5, 7.0, 10.0, False)
    unseen = timings.observed_timings(100.0, 100.5, 101.0, None, 104.0)
    assert (unseen.waited, unseen.ran, unseen.total, unseen.started_unseen) == (
        None,
        None,
        4.0,
        True,
    )
    running = timings.observed_timings(100.0, 100.5, 101.0, 102.0, None)
    assert (running.waited, running.ran, running.total) == (1.5, None, None)
    never = timings.observed_timings(100.0, None, None, None, None)
    assert (never.waited, never.ran, never.total) == (None, None, None)


@pytest.mark.parametrize(
    ("secs", "text"),
    [
        (None, ""),
        (0.04, "0.0 s"),
        (0.44, "0.4 s"),
        (9.96, "10.0 s"),
        (12.4, "12 s"),
        (185, "3 min 05 s"),
        (7440, "2 h 04 min"),
    ],
)
def test_durations_read_well(secs: float | None, text: str) -> None:
    assert timings.format_duration(secs) == text


def test_history_summaries_carry_the_times_and_sort_by_durations(tmp_path: Path) -> None:
    with HistoryStore(tmp_path / "h.sqlite3") as store:
        req = AsyncRequest("http://127.0.0.1:1/s", "POST", "/", "{}")
        for i, (wait, run) in enumerate([(1.0, 5.0), (3.0, 1.0), (2.0, 1.5)]):
            t0 = 1000.0 + i
            e = store.add(req, now=t0)
            store.mark_sent(e.row_id, Submission(f"id{i}", 201, 0.1), now=t0 + 0.5)
            store.record_output(e.row_id, OutputStatus("pending"), now=t0 + 0.6)
            store.record_output(e.row_id, OutputStatus("in_progress"), now=t0 + 0.5 + wait)
            store.record_output(
                e.row_id, OutputStatus("completed", 200, "{}", "{}"), now=t0 + 0.5 + wait + run
            )
        summary = store.page(0, 10)[-1]
        assert (summary.sent_at, summary.pending_at) == (1000.5, 1000.6)
        assert (summary.in_progress_at, summary.finished_at) == (1001.5, 1006.5)
        assert summary == store.get(summary.row_id).summary()  # type: ignore[union-attr]
        by = {
            k: [s.request_id for s in store.page(0, 10, sort=k, descending=False)]
            for k in ("waited", "ran", "total")
        }
        assert by == {
            "waited": ["id0", "id2", "id1"],
            "ran": ["id1", "id2", "id0"],
            "total": ["id2", "id1", "id0"],
        }
