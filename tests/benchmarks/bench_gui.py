"""B4, B5, B6: the real main window, in this process (offscreen), with a 5 ms heartbeat.

    python -m tests.benchmarks.bench_gui b4 --sends 200 --latency 1.0 --runs 5
    python -m tests.benchmarks.bench_gui b5 --rows 100000 --runs 5
    python -m tests.benchmarks.bench_gui b6 --size 5000000 --runs 5

The window is built the way ``app.py`` builds it (``HistoryStore.open_or_quarantine``,
``recover_interrupted``, :class:`~vessl_gui.ui.window.AppContext`,
``MainWindow``), with an in-memory keyring (``tests.fakes.MemoryKeyring``).

* **b4**: sends from the composer (``MainWindow.send``, one per 5 ms tick, like a
  user holding Ctrl+Enter) against the emulator (own process) answering after
  ``--latency`` s; the longest gap between heartbeats from the first send until
  ``--observe`` s after the last one (answers and status checks arrive meanwhile).
* **b5**: a history of ``--rows`` rows (seeded with ``HistoryStore.add_many``)
  vs an empty one: the window's first frame (open store -> ``MainWindow`` ->
  ``show`` -> painted), then typing filters into ``historyFilter`` one key at a
  time; each key runs the filter at once (``FilterBar._emit``, no debounce) and
  is timed until the table has repainted.
* **b6**: a ``--size`` character JSON document pasted into ``dataEditor`` (and
  loaded with ``setPlainText``, as reopening a history row does): the longest
  heartbeat gap and the time until the editor reports it valid, vs
  ``json.loads`` of the same text; then the same payload is sent.

Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QEventLoop, QObject, QSettings, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QWidget

from tests.benchmarks.common import emit, rss_kb
from tests.benchmarks.data import copy_history, json_payload
from tests.fakes import MemoryKeyring
from vessl_gui.core.credentials import TokenStore
from vessl_gui.core.history import HistoryStore
from vessl_gui.core.models import RequestDraft
from vessl_gui.core.validation import validate_draft
from vessl_gui.ui.bootstrap import settle_memory
from vessl_gui.ui.window import AppContext, MainWindow


def app() -> QApplication:
    instance = QApplication.instance()
    if isinstance(instance, QApplication):
        return instance
    return QApplication([sys.argv[0]])


def pump(seconds: float) -> None:
    """Run the event loop (a real ``QEventLoop``, as the app's) for ``seconds``."""
    loop = QEventLoop()
    QTimer.singleShot(max(0, int(seconds * 1000)), loop.quit)
    loop.exec()


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    """Run the event loop until ``condition()`` (checked every millisecond) is true."""
    if condition():
        return
    loop = QEventLoop()
    check = QTimer()
    check.setInterval(1)
    end = time.perf_counter() + timeout

    def poll() -> None:
        if condition() or time.perf_counter() > end:
            loop.quit()

    check.timeout.connect(poll)
    check.start()
    loop.exec()
    check.stop()
    if not condition():
        raise TimeoutError(f"timed out waiting for {what}")


class Heartbeat(QObject):
    """A 5 ms precise timer; ``gaps_ms`` are the intervals between its ticks."""

    def __init__(self, interval_ms: int = 5) -> None:
        super().__init__()
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._beat)
        self._last = 0.0
        self.gaps_ms: list[float] = []

    def start(self) -> None:
        self.gaps_ms = []
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self._beat()

    def _beat(self) -> None:
        now = time.perf_counter()
        self.gaps_ms.append((now - self._last) * 1000)
        self._last = now

    @property
    def longest(self) -> float:
        return max(self.gaps_ms, default=0.0)

    def p99(self) -> float:
        if not self.gaps_ms:
            return 0.0
        ordered = sorted(self.gaps_ms)
        return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


class PaintWatch(QObject):
    """Counts ``Paint`` events of one widget."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__()
        self.paints = 0
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.paints += 1
        return False


def build_window(data_dir: Path, **ctx: Any) -> MainWindow:
    """Open the store and build the window as ``app.main`` does (not shown yet)."""
    store, _, _ = HistoryStore.open_for_use(data_dir / "history.sqlite3")
    context = AppContext(
        store=store,
        tokens=TokenStore(MemoryKeyring()),
        settings=QSettings(str(data_dir / "settings.ini"), QSettings.Format.IniFormat),
        data_dir=data_dir,
        **ctx,
    )
    return MainWindow(context)


def close_window(window: MainWindow) -> None:
    window.shutdown()
    window.close()
    window.ctx.store.close()
    window.deleteLater()
    pump(0.05)


def first_frame(data_dir: Path) -> tuple[float, MainWindow]:
    """Milliseconds from opening the store to the window's first painted frame."""
    start = time.perf_counter()
    window = build_window(data_dir)
    watch = PaintWatch(window)
    window.show()
    wait_for(lambda: watch.paints > 0, 30, "the first paint")
    return (time.perf_counter() - start) * 1000, window


# -- B4 ---------------------------------------------------------------------------------


def b4_once(base_url: str, token: str, sends: int, observe: float) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="vessl-bench-b4-") as tmp:
        window = build_window(Path(tmp))
        window.show()
        window.start_services()
        settle_memory()  # as app.main does once the first frame is up
        pump(0.2)
        c = window.composer
        c.load(
            RequestDraft(base_url, "POST", "/predictions/bench", '{"x": 1}', token), with_token=True
        )
        beat = Heartbeat()
        sender = QTimer()
        sender.setInterval(5)
        count = {"sent": 0}

        def send() -> None:
            window.send()
            count["sent"] += 1
            if count["sent"] >= sends:
                sender.stop()

        sender.timeout.connect(send)
        beat.start()
        first = time.perf_counter()
        sender.start()
        wait_for(lambda: count["sent"] >= sends, 120, "the sends")
        issued = time.perf_counter()
        while_issuing = len(beat.gaps_ms)
        pump(observe)
        beat.stop()
        store = window.ctx.store
        answered = sends - len(store.sending_rows())
        result = {
            "longest_ms": beat.longest,
            "p99_ms": beat.p99(),
            "flight_longest_ms": max(beat.gaps_ms[while_issuing + 1 :], default=0.0),
            "issue_s": issued - first,
            "answered": answered,
            "rows": window.model.total(),
        }
        close_window(window)
        return result


def b4(sends: int, latency: float, observe: float, runs: int) -> dict[str, Any]:
    from tests.benchmarks.emu_host import EmulatorProcess

    app()
    out: dict[str, Any] = {"sends": sends, "latency": latency, "observe": observe, "runs": []}
    with EmulatorProcess(latency=latency, queue_delay=0, run_time=0) as emu:
        b4_once(emu.base_url, emu.token, min(10, sends), 0.1)  # warm-up
        for _ in range(runs):
            before = emu.stats()["connections"]
            run = b4_once(emu.base_url, emu.token, sends, observe)
            run["connections"] = emu.stats()["connections"] - before
            out["runs"].append(run)
    return out


# -- B5 ---------------------------------------------------------------------------------

#: What a user types into the filter, one key at a time ("" = clear the box).
B5_TYPING = ("predictions", "", "CUDA", "", "{id}", "", "tango", "")


def _typed(window: MainWindow) -> list[str]:
    sample = window.model.summary_at(min(7, max(0, window.model.rowCount() - 1)))
    rid = (sample.request_id if sample else None) or "3fa9c1d2"
    return [w.replace("{id}", rid[:8]) for w in B5_TYPING]


def keystroke(window: MainWindow, key: str | None) -> tuple[float, str]:
    """Type one key (None: clear the box) and run the filter; ms until the table repainted."""
    edit = window.filter_bar.filter_edit
    viewport = window.history_view.viewport()
    watch = PaintWatch(viewport)
    start = time.perf_counter()
    if key is None:
        edit.clear()
    else:
        QTest.keyClick(edit, key)
    window.filter_bar._emit()  # what the debounce timer does 150 ms later
    wait_for(lambda: watch.paints > 0, 30, "the table to repaint")
    elapsed = (time.perf_counter() - start) * 1000
    viewport.removeEventFilter(watch)
    return elapsed, edit.text()


def b5_once(rows: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="vessl-bench-b5-") as tmp:
        copy_history(rows, Path(tmp))
        paint_ms, window = first_frame(Path(tmp))
        pump(0.3)
        window.filter_bar.filter_edit.setFocus()
        keys: list[tuple[str, float]] = []
        counts: list[float] = []
        for word in _typed(window):
            if not word:
                ms, _ = keystroke(window, None)
                keys.append(("<clear>", ms))
                continue
            for ch in word:
                ms, text = keystroke(window, ch)
                keys.append((text, ms))
            # The table shows the first page at once; the total may still be counted on
            # its own thread: time from the word's last key until the count is shown.
            started = time.perf_counter()
            wait_for(window.model.total_known, 30, "the filter's count")
            counts.append((time.perf_counter() - started) * 1000 + keys[-1][1])
            pump(0.05)
        close_window(window)
    times = [ms for _, ms in keys]
    return {
        "paint_ms": paint_ms,
        "key_max_ms": max(times),
        "key_median_ms": statistics.median(times),
        "worst_key": max(keys, key=lambda k: k[1])[0],
        "keys": keys,
        "count_max_ms": max(counts) if counts else 0.0,
    }


def b5(rows: int, runs: int) -> dict[str, Any]:
    app()
    copy_history(rows, Path(tempfile.mkdtemp(prefix="vessl-bench-seed-")))  # seed outside timing
    b5_once(0)  # warm-up
    out: dict[str, Any] = {"rows": rows, "big": [], "empty": []}
    for i in range(runs):
        order = (rows, 0) if i % 2 == 0 else (0, rows)
        for n in order:
            out["big" if n else "empty"].append(b5_once(n))
    return out


# -- B6 ---------------------------------------------------------------------------------


class Validity:
    """When the data editor knows the text is valid JSON.

    The editor (``vessl_gui/ui/json_editor.py``) validates off the GUI thread and
    reports ``validity_changed(None)``; a plain ``QPlainTextEdit`` has no live
    validation, so there the check is what Send does (``validate_draft`` on the
    GUI thread).
    """

    def __init__(self, window: MainWindow, editor: QPlainTextEdit) -> None:
        self.window = window
        self.editor = editor
        self.live = hasattr(editor, "validity_changed") and hasattr(editor, "is_busy")
        self.valid_at: float | None = None
        self.errors: list[object] = []
        if self.live:
            editor.validity_changed.connect(self._changed)  # type: ignore[attr-defined]

    def _changed(self, error: object) -> None:
        if error is None:
            self.valid_at = time.perf_counter()
        else:
            self.valid_at = None
            self.errors.append(error)

    def reset_invalid(self) -> None:
        """Put blank text in (reported invalid) so the next valid text is a change."""
        self.editor.setPlainText("")
        if self.live:
            self.editor.validate_now()  # type: ignore[attr-defined]
            wait_for(lambda: not self.editor.is_busy(), 30, "blank to validate")  # type: ignore[attr-defined]
        pump(0.1)
        self.valid_at = None

    def wait_valid(self, timeout: float = 60) -> float:
        if self.live:
            wait_for(
                lambda: self.valid_at is not None and not self.editor.is_busy(),  # type: ignore[attr-defined]
                timeout,
                "the editor to report valid JSON",
            )
            assert self.valid_at is not None
            return self.valid_at
        QApplication.processEvents()  # the paste itself was synchronous
        validate_draft(self.window.composer.to_draft())
        return time.perf_counter()


def b6_once(
    window: MainWindow, text: str, how: str, beat: Heartbeat, validity: Validity
) -> dict[str, Any]:
    editor = validity.editor
    validity.reset_invalid()
    started: dict[str, float] = {}

    def go() -> None:
        started["t"] = time.perf_counter()
        if how == "paste":
            editor.setFocus()
            editor.selectAll()
            editor.paste()
        else:
            editor.setPlainText(text)

    if how == "paste":
        QGuiApplication.clipboard().setText(text)
        pump(0.05)
    beat.start()
    QTimer.singleShot(0, go)
    wait_for(lambda: "t" in started, 10, "the paste")
    valid_at = validity.wait_valid()
    pump(0.3)  # anything the editor does after it knows (highlighting, layout)
    beat.stop()
    if editor.toPlainText() != text:
        raise AssertionError("the editor does not hold the text byte-exact")
    return {"stall_ms": beat.longest, "valid_ms": (valid_at - started["t"]) * 1000}


def b6_send(window: MainWindow, beat: Heartbeat) -> dict[str, Any]:
    """Send the payload that is in the editor (to the emulator) and follow it until it
    is completed (the row selected, as after Send); the longest stall."""
    before = window.model.total()
    beat.start()
    QTimer.singleShot(0, window.send)
    wait_for(lambda: window.model.total() > before, 60, "the row")

    def finished() -> bool:
        top = window.model.summary_at(0)
        return top is not None and top.state in ("completed", "failed")

    wait_for(finished, 60, "the request to complete")
    pump(0.5)
    beat.stop()
    return {"stall_ms": beat.longest}


def b6(size: int, runs: int) -> dict[str, Any]:
    from tests.benchmarks.emu_host import EmulatorProcess

    app()
    text = json_payload(size)
    out: dict[str, Any] = {"chars": len(text), "runs": []}
    with (
        EmulatorProcess(queue_delay=0, run_time=0) as emu,
        tempfile.TemporaryDirectory(prefix="vessl-bench-b6-") as tmp,
    ):
        window = build_window(Path(tmp))
        window.show()
        window.start_services()
        settle_memory()  # as app.main does once the first frame is up
        pump(0.3)
        c = window.composer
        c.load(
            RequestDraft(emu.base_url, "POST", "/predictions/big", "{}", emu.token), with_token=True
        )
        editor = window.findChild(QPlainTextEdit, "dataEditor")
        assert editor is not None, "no dataEditor"
        validity = Validity(window, editor)
        out["live_validation"] = validity.live
        beat = Heartbeat()
        b6_once(window, text, "paste", beat, validity)  # warm-up
        for _ in range(runs):
            start = time.perf_counter()
            json.loads(text)
            loads_ms = (time.perf_counter() - start) * 1000
            run = {"loads_ms": loads_ms}
            run["paste"] = b6_once(window, text, "paste", beat, validity)
            run["load"] = b6_once(window, text, "load", beat, validity)
            run["send"] = b6_send(window, beat)
            out["runs"].append(run)
        out["rss_kb"] = rss_kb()
        close_window(window)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bench", choices=("b4", "b5", "b6"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sends", type=int, default=200)
    parser.add_argument("--latency", type=float, default=1.0)
    parser.add_argument("--observe", type=float, default=3.0)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--size", type=int, default=5_000_000)
    args = parser.parse_args(argv)
    if args.bench == "b4":
        emit(b4(args.sends, args.latency, args.observe, args.runs))
    elif args.bench == "b5":
        emit(b5(args.rows, args.runs))
    else:
        emit(b6(args.size, args.runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
