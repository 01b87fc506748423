"""``vessl-gui --self-test``: a smoke test for installs and bundles.

Builds the window offscreen, sends one request through the core to the
built-in emulator, exercises the history store, and reports the keyring
backend.  Prints one line per check and returns 0 when all pass, else 1.
A missing keyring is reported but is not a failure: the app then keeps
tokens for the session only, which is the designed behaviour.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path


def _check(name: str, fn: Callable[[], str]) -> bool:
    try:
        detail = fn()
    except Exception as exc:
        print(f"FAIL {name}: {type(exc).__name__}: {exc}", flush=True)
        if os.environ.get("VESSL_GUI_DEBUG"):
            traceback.print_exc()
        return False
    print(f"ok   {name}: {detail}", flush=True)
    return True


def check_core() -> str:
    from vessl_gui.core.client import ServeClient
    from vessl_gui.core.models import Timeouts
    from vessl_gui.core.validation import validate_request
    from vessl_gui.emulator import Emulator

    with Emulator(token="self-test", queue_delay=0.05, run_time=0.05) as emu:
        request = validate_request(emu.base_url, "post", "self-test", '{"ping": 1}')
        with ServeClient(timeouts=Timeouts(connect=5, read=10)) as client:
            sub = client.create(request, "self-test")
            deadline = time.monotonic() + 10
            while True:
                out = client.fetch_output(emu.base_url, sub.request_id, "self-test")
                if out.is_final or time.monotonic() > deadline:
                    break
                time.sleep(0.05)
    if out.status != "completed":
        raise RuntimeError(f"request {sub.request_id} ended {out.status}")
    return f"created {sub.request_id} on the local emulator, status {out.status}"


def check_history(data_dir: Path) -> str:
    from vessl_gui.core.history import HistoryStore
    from vessl_gui.core.models import AsyncRequest, Submission

    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "self-test-history.sqlite3"
    with HistoryStore(path) as store:
        entry = store.add(AsyncRequest("http://127.0.0.1:1/s", "POST", "/", "{}"))
        store.mark_sent(entry.row_id, Submission("selftest1", 201, 0.01))
        got = store.get(entry.row_id)
        check = store.integrity_check()
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    if got is None or got.request_id != "selftest1" or check != "ok":
        raise RuntimeError(f"round trip failed (integrity: {check})")
    return f"sqlite round trip ok, integrity {check}"


def check_keyring() -> str:
    from vessl_gui.core.credentials import TokenStore

    status = TokenStore().status()
    if status.usable:
        return f"{status.backend_name} (usable)"
    return f"none usable ({status.reason}); tokens would be kept for the session only"


def check_window(data_dir: Path) -> str:
    from vessl_gui.core.credentials import TokenStore
    from vessl_gui.core.history import HistoryStore
    from vessl_gui.ui.bootstrap import get_application, make_settings
    from vessl_gui.ui.window import AppContext, MainWindow

    app = get_application([])
    store = HistoryStore(":memory:")
    ctx = AppContext(
        store=store, tokens=TokenStore(), settings=make_settings(data_dir), data_dir=data_dir
    )
    window = MainWindow(ctx)
    try:
        window.show()
        window.output_view.show_entry(None)  # the details pane is built on first use
        app.processEvents()
        pixmap = window.grab()
        names = [
            "baseUrlEdit",
            "tokenEdit",
            "methodCombo",
            "pathEdit",
            "dataEditor",
            "sendButton",
            "copyIdButton",
            "historyView",
            "outputView",
        ]
        from PySide6.QtWidgets import QWidget

        missing = [n for n in names if window.findChild(QWidget, n) is None]
        if missing:
            raise RuntimeError(f"missing widgets: {', '.join(missing)}")
        if pixmap.isNull():
            raise RuntimeError("the window did not paint")
        size = f"{pixmap.width()}x{pixmap.height()}"
    finally:
        window.shutdown()
        window.close()
        window.deleteLater()
        app.processEvents()
        store.close()
    platform = app.platformName()
    return f"main window built and painted {size} ({platform})"


def run_self_test(data_dir: Path | None = None) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from vessl_gui import __version__

    print(f"vessl-gui {__version__} self-test (Python {sys.version.split()[0]})", flush=True)
    with tempfile.TemporaryDirectory(prefix="vessl-gui-selftest-") as tmp:
        where = data_dir or Path(tmp)
        results = [
            _check("core", check_core),
            _check("history", lambda: check_history(where)),
            _check("keyring", check_keyring),
            _check("window", lambda: check_window(Path(tmp))),
        ]
    ok = all(results)
    print("self-test passed" if ok else "self-test FAILED", flush=True)
    return 0 if ok else 1
