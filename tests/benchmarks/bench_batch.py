"""B8: a batch of ``--lines`` JSON Lines sent from the real window, vs a plain httpx loop.

    python -m tests.benchmarks.bench_batch --lines 10000 --runs 5

The window (offscreen, built as ``app.py`` builds it, in-memory keyring) sends the
file through *Request ▸ Send a batch…* (``BatchDialog`` → ``BatchController`` →
``BatchRun`` → the send workers, 4 at once, no rate limit) to the emulator in a
process of its own with zero delays, while a 5 ms heartbeat measures the longest
event-loop stall from pressing *Send* until the last item is answered.  Beside it,
in the same run, a plain ``httpx.Client`` loop creates the same number of requests
one after another.  Prints one JSON object.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from tests.benchmarks.bench_gui import Heartbeat, app, build_window, close_window, pump, wait_for
from tests.benchmarks.common import emit
from tests.benchmarks.emu_host import EmulatorProcess
from vessl_gui.core.models import RequestDraft
from vessl_gui.ui.bootstrap import settle_memory

BODY = '{"prompt": "item %d", "n": %d, "x": 1.0}'


def b8_once(base_url: str, token: str, lines: int) -> dict[str, Any]:
    app()
    with tempfile.TemporaryDirectory(prefix="vessl-bench-b8-") as tmp:
        file = Path(tmp) / "batch.jsonl"
        file.write_text("\n".join(BODY % (i, i) for i in range(lines)) + "\n", encoding="utf-8")
        window = build_window(Path(tmp))
        window.show()
        window.start_services()
        settle_memory()  # as app.main does once the first frame is up
        pump(0.2)
        window.composer.load(
            RequestDraft(base_url, "POST", "/predictions/bench", "{}", token), with_token=True
        )
        dialog = window.batches.open_dialog()
        assert dialog is not None
        dialog.load(str(file))
        wait_for(lambda: dialog.prepared is not None, 60, "the file to be read")
        beat = Heartbeat()
        beat.start()
        start = time.perf_counter()
        dialog.accept()
        wait_for(lambda: bool(window.batches.windows), 60, "the batch to start")
        wait_for(lambda: not window.batches.runs, 600, "the batch to end")
        seconds = time.perf_counter() - start
        beat.stop()
        batch_id = next(iter(window.batches.windows))
        counts = window.ctx.store.batch_counts(batch_id)
        close_window(window)
    sent = sum(counts[s] for s in ("pending", "in_progress", "completed", "failed"))
    return {"longest_ms": beat.longest, "p99_ms": beat.p99(), "seconds": seconds, "sent": sent}


def httpx_loop(base_url: str, token: str, lines: int) -> float:
    """The baseline: the same creates, one after another, with one httpx.Client."""
    start = time.perf_counter()
    with httpx.Client(headers={"Authorization": f"Bearer {token}"}, timeout=30) as client:
        for i in range(lines):
            body = '{"method": "POST", "path": "/predictions/bench", "data": %s}' % (BODY % (i, i))
            r = client.post(
                f"{base_url}/async", content=body, headers={"Content-Type": "application/json"}
            )
            r.raise_for_status()
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    runs: list[dict[str, Any]] = []
    with EmulatorProcess(queue_delay=0, run_time=0) as emu:
        for n in range(args.runs):
            # Interleaved, the order rotating: the loop first in odd runs.
            if n % 2:
                loop = httpx_loop(emu.base_url, emu.token, args.lines)
                one = b8_once(emu.base_url, emu.token, args.lines)
            else:
                one = b8_once(emu.base_url, emu.token, args.lines)
                loop = httpx_loop(emu.base_url, emu.token, args.lines)
            runs.append({**one, "loop_seconds": loop})
    emit(
        {
            "lines": args.lines,
            "runs": runs,
            "median_longest_ms": statistics.median(r["longest_ms"] for r in runs),
        }
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
