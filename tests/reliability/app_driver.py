"""Run the real app (``vessl_gui.app.main``) headless and drive it from a script.

Used by the reliability tests as a subprocess::

    python tests/reliability/app_driver.py --data-dir DIR < config.json

Everything after the script name is passed to the app's ``main`` unchanged.
The config is one JSON line on stdin (so the token is never in ``argv``):
``{"mode": "burst" | "shutdown" | "session" | "disk_full" | "readonly" | "status",
"base_url": ..., "token": ..., ...}``.

The driver creates the ``QApplication`` (``main`` reuses it), installs a Qt
message handler that copies every warning to stderr as ``QT-<LEVEL>: text``,
answers modal message boxes (and reports them), and runs the mode's script
on the event loop once the main window is up.  It reports on stdout, one
JSON object per line: ``{"ev": "ready", "pid": ...}``, ``{"ev": "id", ...}`` ...
and ``{"ev": "main_returned", "code": ...}`` when ``main`` returns (it does not
when the app leaves through ``os._exit`` because a thread would not stop).
"""

from __future__ import annotations

import json
import os
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

IGNORED_QT = ("This plugin does not support propagateSizeHints",)


def emit(ev: str, **fields: Any) -> None:
    sys.stdout.write(json.dumps({"ev": ev, **fields}) + "\n")
    sys.stdout.flush()


class Wait:
    """Yielded by a script: resume when ``cond()`` is true (fail after ``timeout`` s)."""

    def __init__(self, cond: Callable[[], object], timeout: float = 30.0, what: str = "") -> None:
        self.cond = cond
        self.timeout = timeout
        self.what = what


Script = Iterator["float | Wait"]


def main() -> int:
    config = json.loads(sys.stdin.readline())
    from PySide6.QtCore import QTimer, QtMsgType, qInstallMessageHandler
    from PySide6.QtWidgets import QApplication, QMessageBox

    def on_qt_message(kind: QtMsgType, _context: object, text: str) -> None:
        if kind in (QtMsgType.QtDebugMsg, QtMsgType.QtInfoMsg):
            return
        if any(s in text for s in IGNORED_QT):
            return
        sys.stderr.write(f"QT-{kind.name}: {text}\n")
        sys.stderr.flush()

    qInstallMessageHandler(on_qt_message)
    app = QApplication([sys.argv[0]])

    if config.get("fast_poll", True):
        from vessl_gui.core import polling
        from vessl_gui.ui.workers import poll

        polling.POLL_FIRST = float(config.get("poll_first", 0.1))
        poll.POLL_TICK_MS = int(config.get("poll_tick_ms", 20))

    dialogs = QTimer()
    dialogs.setInterval(20)

    def answer_dialogs() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            emit("dialog", title=box.windowTitle(), text=box.text())
            box.accept()

    dialogs.timeout.connect(answer_dialogs)
    dialogs.start()

    script = SCRIPTS[config["mode"]](config)
    runner = Runner(script)
    QTimer.singleShot(0, runner.start)

    from vessl_gui.app import main as app_main

    code = app_main(sys.argv[1:])
    emit("main_returned", code=code, t=time.monotonic())
    del app
    return code


class Runner:
    """Steps a script generator from a QTimer; a failed wait or error closes the window."""

    def __init__(self, script: Script) -> None:
        from PySide6.QtCore import QTimer

        self.script = script
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self.tick)
        self.waiting: float | Wait | None = None
        self.until = 0.0

    def start(self) -> None:
        self.timer.start()

    def tick(self) -> None:
        try:
            while True:
                w = self.waiting
                now = time.monotonic()
                if isinstance(w, Wait):
                    if not w.cond():
                        if now > self.until:
                            self.fail(f"timed out waiting for {w.what or w.cond}")
                        return
                elif w is not None and now < self.until:
                    return
                self.waiting = nxt = next(self.script)
                self.until = now + (nxt.timeout if isinstance(nxt, Wait) else float(nxt))
        except StopIteration:
            self.timer.stop()
        except Exception:
            self.fail(traceback.format_exc())

    def fail(self, why: str) -> None:
        self.timer.stop()
        emit("fail", why=why)
        w = find_window()
        if w is not None:
            w.close()


def find_window() -> Any:
    from PySide6.QtWidgets import QApplication

    for w in QApplication.topLevelWidgets():
        if w.objectName() == "mainWindow":
            return w
    return None


def window_up() -> Wait:
    def ready() -> bool:
        w = find_window()
        return w is not None and w.workers is not None

    return Wait(ready, 30, "the main window")


def fill(w: Any, cfg: dict[str, Any], token: str | None = None) -> None:
    c = w.composer
    c.base_url_edit.setText(cfg["base_url"])
    c.token_edit.setText(cfg["token"] if token is None else token)
    c.method_combo.setCurrentText("POST")
    c.path_edit.setText(cfg.get("path", "/echo"))
    c.data_editor.setPlainText(cfg.get("data", '{"n": 1}'))


class Watcher:
    """Reports every row and every request id the history table shows, once each."""

    def __init__(self, w: Any) -> None:
        self.w = w
        self.rows: set[int] = set()
        self.ids: set[str] = set()
        m = w.model
        m.rowsInserted.connect(lambda _p, a, b: self.scan(a, b))
        m.dataChanged.connect(lambda tl, br, *_: self.scan(tl.row(), br.row()))
        m.modelReset.connect(lambda: self.scan(0, m.rowCount() - 1))
        self.scan(0, m.rowCount() - 1)

    def scan(self, first: int, last: int) -> None:
        for row in range(max(0, first), last + 1):
            s = self.w.model.summary_at(row)
            if s is None:
                continue
            if s.row_id not in self.rows:
                self.rows.add(s.row_id)
                emit("row", row_id=s.row_id)
            if s.request_id and s.request_id not in self.ids:
                self.ids.add(s.request_id)
                emit("id", row_id=s.row_id, request_id=s.request_id)


def clipboard() -> str:
    from PySide6.QtGui import QGuiApplication

    return QGuiApplication.clipboard().text()


# --------------------------------------------------------------------------- modes


def burst(cfg: dict[str, Any]) -> Script:
    """Send ``sends`` requests ``interval`` s apart, copy ids, then idle until killed."""
    yield window_up()
    w = find_window()
    fill(w, cfg)
    Watcher(w)
    emit("ready", pid=os.getpid())
    for n in range(int(cfg.get("sends", 50))):
        w.send()
        emit("sent", n=n + 1)
        if n % 3 == 2:
            w.copy_last_id()
            if clipboard():
                emit("copied", request_id=clipboard())
        yield float(cfg.get("interval", 0.02))
    yield Wait(lambda: False, 3600, "the kill")


def shutdown(cfg: dict[str, Any]) -> Script:
    """Send a burst; once it is created (so being polled), send another and close the
    window ``close_after`` seconds later, while those creates wait for their answers."""
    yield window_up()
    w = find_window()
    fill(w, cfg)
    emit("ready", pid=os.getpid())
    first, second = cfg.get("bursts", [4, 4])
    for _ in range(first):
        w.send()

    def first_created() -> bool:
        rows = [w.model.summary_at(i) for i in range(first)]
        return all(s is not None and s.request_id for s in rows)

    yield Wait(first_created, 20, "the first burst's ids")
    for _ in range(second):
        w.send()
    yield float(cfg.get("close_after", 0.2))
    emit(
        "closing",
        t=time.monotonic(),
        sends=first + second,
        in_flight=w.workers.in_flight(),
        rows=w.model.total(),
    )
    w.close()


def status(cfg: dict[str, Any]) -> Script:
    """Report what the window says at start, then send one request and wait for it."""
    yield window_up()
    w = find_window()
    yield 0.05
    emit("status", text=w.statusBar().currentMessage(), rows=w.model.total())
    fill(w, cfg)
    w.send()
    yield Wait(lambda: w.model.summary_at(0) and w.model.summary_at(0).state == "completed")
    emit("completed", request_id=w.model.summary_at(0).request_id)
    w.close()


def disk_full(cfg: dict[str, Any]) -> Script:
    """Fill the data dir's file system, send (refused clearly), free it, send (works)."""
    yield window_up()
    w = find_window()
    fill(w, cfg)
    typed = w.composer.to_draft()
    filler = Path(cfg["fill_path"])
    with filler.open("wb") as f:
        try:
            while True:
                f.write(b"\0" * 65536)
                f.flush()
        except OSError as exc:
            emit("disk_full", errno=exc.errno)
    # Fill the last partial blocks too.
    try:
        with filler.open("ab") as f:
            while True:
                f.write(b"\0" * 512)
                f.flush()
    except OSError:
        pass
    before = w.model.total()
    w.send()
    yield Wait(lambda: not w.keyring_pending(), 30, "the keyring to open")
    yield 0.1
    emit(
        "refused",
        text=w.statusBar().currentMessage(),
        rows_before=before,
        rows_after=w.model.total(),
        kept=w.composer.to_draft() == typed,
    )
    filler.unlink()
    emit("freed")
    w.send()
    yield Wait(lambda: w.model.summary_at(0) and w.model.summary_at(0).state == "completed")
    emit("completed", request_id=w.model.summary_at(0).request_id, rows=w.model.total())
    w.close()


def session(cfg: dict[str, Any]) -> Script:
    """A full session with a canary token: every feature that could leak it.

    Writes what the user could see or copy to ``cfg["scan_dir"]`` for the test to scan.
    """
    scan = Path(cfg["scan_dir"])
    scan.mkdir(parents=True, exist_ok=True)
    seen: list[str] = []
    clips: list[str] = []
    done: list[str] = []
    yield window_up()
    w = find_window()
    w.statusBar().messageChanged.connect(seen.append)
    emit("ready", pid=os.getpid())
    # A pasted token with a Bearer prefix and a newline, as users paste it.
    fill(w, cfg, token=f"Bearer {cfg['token']}\n")
    w.composer.base_url_edit.editingFinished.emit()
    w.save_token()
    seen.append(w.composer.token_status.text())
    services = getattr(w, "services", None)
    if services is not None:
        services.ask_text = lambda *a, **k: "canary-service"
        services.confirm = lambda *a, **k: True
        services.save_as_service()
        done.append("saved service")

    def newest_final() -> bool:
        s = w.model.summary_at(0)
        return s is not None and s.state in ("completed", "failed", "send_error", "unknown")

    for _ in range(int(cfg.get("sends", 3))):  # the first ones meet the injected faults
        w.send()
        yield Wait(newest_final, 20, "a final state")
    done.append("send, poll, errors")
    w.select_row(0)
    w.refresh_selected()
    yield 0.3
    w.copy_last_id()
    clips.append(clipboard())
    w.copy_selected_ids()
    clips.append(clipboard())
    actions = getattr(w, "history_actions", None)
    if actions is not None:
        for what in ("output", "raw output", "data"):
            actions.copy_field(what)
            clips.append(clipboard())
        for kind in ("curl", "python", "curl_output"):
            actions.copy_snippet(kind)
            clips.append(clipboard())
        done.append("copy as curl/python (history)")
        from vessl_gui.core.history.export import iter_all

        actions.export_to(scan / "export.jsonl", iter_all(w.ctx.store))
        actions.export_to(scan / "export.csv", iter_all(w.ctx.store))
        done.append("history export (JSONL, CSV)")
    if services is not None:
        for kind in ("curl", "python"):
            services.copy_composer(kind)
            clips.append(clipboard())
        done.append("copy as curl/python (composer)")
        services.save_request()
        services.save_draft_now()
        services.ask_save_path = lambda *a, **k: str(scan / "saved-requests.json")
        services.export_saved()
        done.append("saved requests, draft, export of saved requests")
        # Import a curl command that carries the token, then send again from history.
        base = cfg["base_url"]
        pasted = (
            f"curl -X POST -H 'Authorization: Bearer {cfg['token']}' '{base}/async' "
            """-d '{"method": "POST", "path": "/imported", "data": {"x": 1}}'"""
        )
        services.import_curl(pasted)
        seen.append(w.statusBar().currentMessage())
        done.append("import from curl (with the token)")
        w.send()
        yield Wait(newest_final, 20, "the imported request")
    if actions is not None:
        w.select_row(0)
        actions.send_again()
        yield Wait(newest_final, 20, "send again")
        done.append("send again")
    if hasattr(w, "set_app_settings") and hasattr(w, "app_settings"):
        w.set_app_settings(w.app_settings)
        done.append("settings saved")
    w.forget_token()
    seen.append(w.composer.token_status.text())
    fill(w, cfg)
    w.save_token()
    seen.append(w.composer.token_status.text())
    yield 0.1
    (scan / "ui-text.txt").write_text("\n".join(seen + ui_texts(w)), encoding="utf-8")
    (scan / "clipboard.txt").write_text("\n".join(clips), encoding="utf-8")
    emit("session_done", features=done, rows=w.model.total())
    w.close()


def ui_texts(w: Any) -> list[str]:
    """Every text a person could read in the window (the token field only as displayed)."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import (
        QAbstractButton,
        QApplication,
        QComboBox,
        QLabel,
        QLineEdit,
        QPlainTextEdit,
        QTextEdit,
        QWidget,
    )

    out = [w.windowTitle(), w.statusBar().currentMessage()]
    for widget in QApplication.allWidgets():
        assert isinstance(widget, QWidget)
        out.append(widget.toolTip())
        out.append(widget.accessibleName())
        if isinstance(widget, QLineEdit):
            out.append(widget.displayText() if widget is w.composer.token_edit else widget.text())
        elif isinstance(widget, QLabel | QAbstractButton):
            out.append(widget.text())
        elif isinstance(widget, QPlainTextEdit | QTextEdit):
            out.append(widget.toPlainText())
        elif isinstance(widget, QComboBox):
            out.extend(widget.itemText(i) for i in range(widget.count()))
    m = w.model
    for row in range(m.rowCount()):
        for col in range(m.columnCount()):
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                value = m.index(row, col).data(role)
                if value is not None:
                    out.append(str(value))
    return [t for t in out if t]


SCRIPTS: dict[str, Callable[[dict[str, Any]], Script]] = {
    "burst": burst,
    "shutdown": shutdown,
    "status": status,
    "disk_full": disk_full,
    "session": session,
}


if __name__ == "__main__":
    sys.exit(main())
