"""A long session: 10 000 sends and status checks in one window.

The emulator runs in its own process (``python -m vessl_gui.emulator``, no
delays) so that its memory is not counted; the window runs here with fast
polling.  ``MainWindow.send()`` is called in a loop with the event loop
running, at most 8 creates in flight.  Resident memory is sampled after a
warm-up; history must hold every request, each with its id and final state.
"""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.reliability.conftest import TOKEN, Report, WindowFactory
from tests.reliability.helpers import rss_kib
from vessl_gui.core import polling
from vessl_gui.core.models import REQUEST_ID_RE
from vessl_gui.ui.workers import poll

SENDS = int(os.environ.get("VESSL_LONG_SENDS", "10000"))
WARMUP = SENDS // 5
IN_FLIGHT = 8
#: Bytes of resident memory per request allowed after the warm-up.  The table
#: model keeps one summary per row it has shown (about 1 KB): that is data, not a leak.
BYTES_PER_REQUEST = 4096


@pytest.fixture
def emulator_process() -> Iterator[str]:
    env = dict(os.environ, VESSL_EMULATOR_TOKEN=TOKEN)
    proc = subprocess.Popen(
        [sys.executable, "-m", "vessl_gui.emulator", "--port", "0", "--queue-delay", "0",
         "--run-time", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        text=True,
    )  # fmt: skip
    assert proc.stdout is not None
    base = ""
    for line in proc.stdout:
        if "base URL:" in line:
            base = line.split("base URL:")[1].strip()
            break
    assert base, "the emulator did not start"
    try:
        yield base
    finally:
        proc.terminate()
        proc.wait(10)
        proc.stdout.close()


@pytest.mark.slow
def test_ten_thousand_sends_memory_settles_and_history_is_consistent(
    qtbot: QtBot,
    make_window: WindowFactory,
    emulator_process: str,
    monkeypatch: pytest.MonkeyPatch,
    report: Report,
) -> None:
    monkeypatch.setattr(polling, "POLL_FIRST", 0.0)
    monkeypatch.setattr(poll, "POLL_TICK_MS", 5)
    w = make_window()
    c = w.composer
    c.base_url_edit.setText(emulator_process)
    c.token_edit.setText(TOKEN)
    c.path_edit.setText("/echo")
    c.data_editor.setPlainText('{"prompt": "hello", "n": 1}')
    store = w.ctx.store
    poller = w.workers.poller  # type: ignore[union-attr]
    samples: list[tuple[int, int]] = []
    started = time.monotonic()
    for n in range(1, SENDS + 1):
        w.send()
        while w.workers.in_flight() >= IN_FLIGHT or poller.tracked_count() > 200:  # type: ignore[union-attr]
            QApplication.processEvents()
            time.sleep(0.0005)
        if n % 50 == 0:
            QApplication.processEvents()
        if n >= WARMUP and n % (SENDS // 10) == 0:
            gc.collect()
            samples.append((n, rss_kib()))
    qtbot.waitUntil(lambda: not store.unfinished() and not store.sending_rows(), timeout=120000)
    took = time.monotonic() - started
    gc.collect()
    samples.append((SENDS, rss_kib()))
    # History is consistent: one row per send, each with its own id, all completed.
    assert store.count() == SENDS
    rows = store.page(0, SENDS + 1)
    assert len(rows) == SENDS
    ids = [r.request_id for r in rows]
    assert all(i and REQUEST_ID_RE.match(i) for i in ids)
    assert len(set(ids)) == SENDS
    assert {r.state for r in rows} == {"completed"}
    assert store.integrity_check() == "ok"
    assert w.model.total() == SENDS
    # Memory settles: growth per request after the warm-up stays small.
    (n0, kib0), (n1, kib1) = samples[0], samples[-1]
    per_request = (kib1 - kib0) * 1024 / (n1 - n0)
    curve = ", ".join(f"{n}: {kib / 1024:.0f} MiB" for n, kib in samples)
    print(f"{SENDS} sends in {took:.0f} s; RSS {curve}; {per_request:.0f} B/request")
    assert per_request < BYTES_PER_REQUEST, curve
    report.add(
        "Long session",
        f"{SENDS} sends + status checks in one window in {took:.0f} s "
        f"({SENDS / took:.0f}/s); history: {SENDS} rows, {SENDS} distinct ids, all completed, "
        f"integrity ok; RSS after warm-up {curve}: {per_request:.0f} bytes per request "
        f"(bound {BYTES_PER_REQUEST})",
    )
