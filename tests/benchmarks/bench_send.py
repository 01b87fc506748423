"""B3: creates through the app's own send path vs a plain ``httpx.Client`` loop.

    python -m tests.benchmarks.bench_send --creates 1000 --runs 5

The app path is what the window does on Send, minus the widgets: write the
row to the :class:`~vessl_gui.core.history.HistoryStore` (``sending``), hand it
to :class:`~vessl_gui.ui.workers.WorkerThreads` (a send worker creates it with
its ``ServeClient`` and stores the answer), wait for ``created`` on the GUI
thread, then send the next one.  The baseline posts the same bodies with one
``httpx.Client``.  Both talk to the emulator (zero delays) running in a
process of its own; its TCP connection count shows whether the connection is
reused.  Runs alternate app / baseline (and which goes first).

A second, informational figure fires all creates at once: ``WorkerThreads``
spreads them over its 4 send workers (one connection each).

Prints one JSON object (lists of seconds and connection counts per run).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer

from tests.benchmarks.common import emit
from tests.benchmarks.emu_host import EmulatorProcess
from vessl_gui.core.history import HistoryStore
from vessl_gui.core.models import AsyncRequest, ClientConfig
from vessl_gui.ui.workers import WorkerThreads, make_client

DATA = '{"prompt": "Summarise this sentence, please.", "max_tokens": 64}'


def _request(base_url: str) -> AsyncRequest:
    return AsyncRequest(base_url, "POST", "/predictions/bench", DATA)


def app_path(
    emu: EmulatorProcess, creates: int, db: Path, concurrent: bool = False
) -> tuple[float, int, int]:
    """Seconds for ``creates`` creates, TCP connections opened, creates that failed."""
    request = _request(emu.base_url)
    config = ClientConfig()
    store = HistoryStore(db)
    workers = WorkerThreads(store, make_client)
    workers.start()
    loop = QEventLoop()
    state = {"sent": 0, "answered": 0, "failed": 0}

    def send_one() -> None:
        entry = store.add(request)
        state["sent"] += 1
        workers.send(entry.row_id, request, emu.token, config)

    def answered(*_: Any) -> None:
        state["answered"] += 1
        if state["answered"] >= creates:
            loop.quit()
        elif not concurrent:
            send_one()

    def failed(*_: Any) -> None:
        state["failed"] += 1
        answered()

    workers.created.connect(answered)
    workers.send_failed.connect(failed)
    before = emu.stats()["connections"]
    try:
        start = time.perf_counter()
        if concurrent:
            for _ in range(creates):
                send_one()
        else:
            send_one()
        QTimer.singleShot(600_000, loop.quit)  # a hung run ends, and shows as failures
        loop.exec()
        elapsed = time.perf_counter() - start
    finally:
        workers.stop()
        store.close()
    connections = emu.stats()["connections"] - before
    return elapsed, connections, state["failed"] + creates - state["answered"]


def baseline(emu: EmulatorProcess, creates: int) -> tuple[float, int]:
    """Seconds for ``creates`` POSTs of the same body with one ``httpx.Client``."""
    request = _request(emu.base_url)
    body = request.body()
    headers = {"Authorization": f"Bearer {emu.token}", "Content-Type": "application/json"}
    before = emu.stats()["connections"]
    start = time.perf_counter()
    with httpx.Client() as client:
        for _ in range(creates):
            response = client.post(request.create_url, content=body, headers=headers)
            response.raise_for_status()
            if not response.json()["id"]:
                raise RuntimeError("no id")
    elapsed = time.perf_counter() - start
    return elapsed, emu.stats()["connections"] - before


def run(creates: int, runs: int) -> dict[str, Any]:
    app = QCoreApplication.instance() or QCoreApplication([sys.argv[0]])
    del app
    result: dict[str, Any] = {
        "creates": creates,
        "app_s": [],
        "app_connections": [],
        "app_failed": [],
        "base_s": [],
        "base_connections": [],
        "concurrent_s": [],
        "concurrent_connections": [],
    }
    with (
        EmulatorProcess(queue_delay=0, run_time=0, latency=0) as emu,
        tempfile.TemporaryDirectory(prefix="vessl-bench-b3-") as tmp,
    ):
        # Warm up both paths (imports, the emulator's first requests), unmeasured.
        app_path(emu, min(50, creates), Path(tmp) / "warm.sqlite3")
        baseline(emu, min(50, creates))
        for i in range(runs):
            db = Path(tmp) / f"run{i}.sqlite3"
            if i % 2 == 0:
                a = app_path(emu, creates, db)
                b = baseline(emu, creates)
            else:
                b = baseline(emu, creates)
                a = app_path(emu, creates, db)
            result["app_s"].append(a[0])
            result["app_connections"].append(a[1])
            result["app_failed"].append(a[2])
            result["base_s"].append(b[0])
            result["base_connections"].append(b[1])
            c = app_path(emu, creates, Path(tmp) / f"conc{i}.sqlite3", concurrent=True)
            result["concurrent_s"].append(c[0])
            result["concurrent_connections"].append(c[1])
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--creates", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    emit(run(args.creates, args.runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
