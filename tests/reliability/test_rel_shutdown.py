"""Shutdown under load: close the real app 30 times with sends and polls in flight.

Each run is ``python app_driver.py --data-dir DIR`` around ``vessl_gui.app.main``
(offscreen): it sends a burst and, once those requests exist (and so are being
polled), another; then it closes the window at a random moment while the
second burst's creates wait for their answers (the emulator answers a create
after 0.9 s) and status checks wait for theirs (1 s).  Two runs go at a time,
each lane on its own data dir, so every start also resumes the last run's rows.
"""

from __future__ import annotations

import os
import random
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from tests.reliability.conftest import TOKEN, Report
from tests.reliability.helpers import Driver, driver_env
from vessl_gui.core.history import HistoryStore
from vessl_gui.emulator import Emulator, Fault

RUNS = 30
LANES = 2
LATENCY = 0.3
CREATE_LATENCY = LATENCY + 0.6
POLL_LATENCY = LATENCY + 0.7
LIMIT = 3.0


def _run(emu: Emulator, data_dir: Path, home: Path, close_after: float) -> dict[str, Any]:
    config = {
        "mode": "shutdown",
        "base_url": emu.base_url,
        "token": TOKEN,
        "bursts": [4, 4],
        "close_after": close_after,
    }
    d = Driver.start(config, ["--data-dir", str(data_dir)], driver_env(home))
    code = d.wait_exit(60)
    closing = d.of("closing")
    assert closing, (d.events, d.stderr[-20:])
    assert d.exited_at is not None
    t = closing[0]["t"]
    polls = sum(
        1 for r in emu.received() if r.method == "GET" and t - POLL_LATENCY < r.received_at <= t
    )
    return {
        "code": code,
        "took": d.exited_at - t,
        "in_flight": closing[0]["in_flight"],
        "polls": polls,
        "sends": closing[0]["sends"],
        "returned": bool(d.of("main_returned")),
        "stderr": list(d.stderr),
        "fail": d.of("fail"),
    }


def test_close_with_sends_and_polls_in_flight_30_times(tmp_path: Path, report: Report) -> None:
    seed = int(os.environ.get("VESSL_SHUTDOWN_SEED", time.time_ns() % 2**31))
    rng = random.Random(seed)
    lanes = [(tmp_path / f"data{i}", tmp_path / f"home{i}") for i in range(LANES)]
    results: list[dict[str, Any]] = []
    with (
        Emulator(
            token=TOKEN, queue_delay=0.5, run_time=0.5, latency=LATENCY, record_limit=100_000
        ) as emu,
        ThreadPoolExecutor(LANES) as pool,
    ):
        emu.inject("create", Fault.slow(CREATE_LATENCY - LATENCY).sticky())
        emu.inject("output", Fault.slow(POLL_LATENCY - LATENCY).sticky())
        for first in range(0, RUNS, LANES):
            futures = [
                pool.submit(_run, emu, data, home, rng.uniform(0.02, 0.35))
                for data, home in lanes[: RUNS - first]
            ]
            results.extend(f.result() for f in futures)
    sends = {str(data): 0 for data, _ in lanes}
    for i, r in enumerate(results):
        where = f"run {i + 1} (seed {seed})"
        assert not r["fail"], (where, r["fail"])
        assert r["code"] == 0, (where, r["code"], r["stderr"][-20:])
        assert r["returned"], f"{where}: left through os._exit (a worker thread did not stop)"
        assert r["stderr"] == [], (where, r["stderr"])  # no Qt warning, no traceback
        assert r["took"] < LIMIT, (where, r["took"])
        assert r["in_flight"] >= 1, (where, "no send was in flight at close")
        sends[str(lanes[i % LANES][0])] += r["sends"]
    for data, _ in lanes:  # every send of every run is in the history, the file is sound
        with HistoryStore(data / "history.sqlite3") as store:
            assert store.integrity_check() == "ok"
            assert store.count() == sends[str(data)]
    took = sorted(r["took"] for r in results)
    with_polls = sum(1 for r in results if r["polls"] > 0)
    assert with_polls >= RUNS * 0.8, f"polls were in flight in only {with_polls} runs"
    report.add(
        "Shutdown under load",
        f"{RUNS} closes (seed {seed}), each with {min(r['in_flight'] for r in results)}-"
        f"{max(r['in_flight'] for r in results)} creates and {min(r['polls'] for r in results)}-"
        f"{max(r['polls'] for r in results)} status checks in flight ({with_polls}/{RUNS} runs "
        f"with checks in flight): exit code 0 every time, no Qt warning, no thread left behind; "
        f"close to process exit median {statistics.median(took):.2f} s, max {took[-1]:.2f} s "
        f"(limit {LIMIT:.0f} s); {sum(sends.values())} sends, all in the history",
    )
