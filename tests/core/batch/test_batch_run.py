"""The pieces together, as the window will use them: a file, the history, the schedule, the
client, against the emulator with a create rate limit (real sockets, real time, ~3 s)."""

from __future__ import annotations

import io
import json
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from vessl_gui.core.batch import BatchSchedule, read_batch
from vessl_gui.core.client import ServeClient
from vessl_gui.core.errors import RateLimitedError, ServeError
from vessl_gui.core.history import HistoryStore
from vessl_gui.core.history.export import RESULT_FIELDS, iter_batch, write_jsonl
from vessl_gui.core.models import BatchMeta, HistoryEntry, Submission
from vessl_gui.emulator import Emulator

TOKEN = "batch-token"


def _run(store: HistoryStore, emu: Emulator, batch_id: str, schedule: BatchSchedule) -> int:
    """A minimal runner: what the window's does with its send workers. Returns 429s seen."""
    local = threading.local()
    clients: list[ServeClient] = []

    def send(entry: HistoryEntry) -> Submission:
        if not hasattr(local, "client"):
            local.client = ServeClient()
            clients.append(local.client)
        client: ServeClient = local.client
        return client.create(entry.request(), TOKEN)

    limited = 0
    flying: dict[Future[Submission], HistoryEntry] = {}
    with ThreadPoolExecutor(schedule.concurrency) as pool:
        while schedule.state not in ("done", "stopped"):
            now = time.monotonic()
            n = schedule.ready(now)
            rows = store.next_queued(batch_id, n) if n else []
            if n and len(rows) < n:
                schedule.skipped(min(n - len(rows), schedule.remaining))
            for row in rows:
                if store.start_sending(row.row_id):  # written before it is sent
                    schedule.started(now)
                    flying[pool.submit(send, row)] = row
                else:
                    schedule.skipped()
            for future in [f for f in flying if f.done()]:
                row = flying.pop(future)
                try:
                    store.mark_sent(row.row_id, future.result())
                    schedule.finished(True, time.monotonic())
                except RateLimitedError as e:  # refused: safe to send again
                    limited += 1
                    store.requeue(row.row_id)
                    schedule.rate_limited(e.retry_after, time.monotonic())
                except ServeError as e:
                    store.mark_send_failed(row.row_id, e)
                    schedule.finished(False, time.monotonic())
            when = schedule.next_time(time.monotonic())
            pause = 0.005 if when is None else min(0.05, max(0.0, when - time.monotonic()))
            time.sleep(pause)
    for client in clients:
        client.close()
    return limited


def test_a_batch_goes_through_a_rate_limit_each_item_created_once(tmp_path: Path) -> None:
    text = "\n".join(json.dumps({"n": i}) for i in range(14)) + '\n{"bad": NaN}\n'
    source = read_batch(text, "items.jsonl")
    assert len(source.items) == 14 and len(source.problems) == 1
    with (
        Emulator(token=TOKEN, create_rate=5, queue_delay=0, run_time=0) as emu,
        HistoryStore(tmp_path / "history.sqlite3") as store,
    ):
        meta = BatchMeta(source.name, emu.base_url, "POST", "/v1/run", concurrency=4)
        info = store.create_batch(meta, source.texts)
        schedule = BatchSchedule(info.total, time.monotonic(), concurrency=info.concurrency)
        limited = _run(store, emu, info.batch_id, schedule)
        store.set_batch_state(info.batch_id, schedule.state)
        assert limited >= 1 and emu.stats().rate_limited == limited  # it did hit the limit
        assert emu.stats().created == 14  # ... and still created each item exactly once
        counts = store.batch_counts(info.batch_id)
        assert counts["pending"] == 14 and counts["queued"] == counts["sending"] == 0
        rows = list(iter_batch(store, info.batch_id))
        assert [r.data for r in rows] == source.texts  # byte-exact, in file order
        assert len({r.request_id for r in rows}) == 14
        out = io.StringIO()
        assert write_jsonl(rows, out, RESULT_FIELDS) == 14
        assert all(json.loads(line)["request_id"] for line in out.getvalue().splitlines())
        p = schedule.progress(time.monotonic())
        assert (p.sent, p.failed, p.remaining, p.state) == (14, 0, 0, "done")
        assert store.batch(info.batch_id).state == "done"  # type: ignore[union-attr]
