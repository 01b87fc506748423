"""Composition root: command line, QApplication, paths, logging, excepthook.

``vessl-gui [--demo] [--data-dir DIR] [--version] [--self-test]``
``vessl-gui --install-desktop-entry | --uninstall-desktop-entry``

Builds the core objects (history store, token store), hands them to the
main window, shows it, and starts the worker threads after the first paint.
``--version`` and the desktop-entry options answer without importing Qt.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from vessl_gui import __version__
from vessl_gui.logs import log, setup_logging
from vessl_gui.meta import APP_NAME

if TYPE_CHECKING:
    from vessl_gui.emulator import Emulator

DEMO_PORT = 8765


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="vessl-gui",
        description="Compose, send and follow VESSL Serve asynchronous requests.",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="start the built-in local demo service (127.0.0.1) and connect to it",
    )
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        type=Path,
        help="keep history, settings and logs in DIR (portable use, isolated runs)",
    )
    parser.add_argument(
        "--follow",
        metavar="ID[,ID…]",
        type=_follow_ids,
        default=(),
        help="follow these request ids (made with curl, a script, a colleague) at the last "
        "service: each becomes a history row whose status and output are checked",
    )
    parser.add_argument("--version", action="version", version=f"vessl-gui {__version__}")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check the window, core, history store and keyring offscreen; exit 0 or 1",
    )
    desktop = parser.add_mutually_exclusive_group()
    desktop.add_argument(
        "--install-desktop-entry",
        action="store_true",
        help="add vessl-gui to your desktop's application menu (Linux, current user) and exit",
    )
    desktop.add_argument(
        "--uninstall-desktop-entry",
        action="store_true",
        help="remove what --install-desktop-entry added and exit",
    )
    return parser.parse_args(list(argv))


def _follow_ids(value: str) -> tuple[str, ...]:
    """``--follow``'s ids (argparse says the reason and exits 2 when one is not an id)."""
    from vessl_gui.core.follow import parse_follow_arg

    return parse_follow_arg(value)  # its FollowArgError is an ArgumentTypeError


def default_data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def start_demo() -> Emulator:
    """Start the built-in emulator in-process, on port 8765 if free, else any free port."""
    import secrets

    from vessl_gui.emulator import Emulator

    token = "demo-" + secrets.token_urlsafe(12)
    try:
        emu = Emulator(token=token, port=DEMO_PORT)
        emu.start()
    except OSError:
        emu = Emulator(token=token)
        emu.start()
    return emu


def main(argv: list[str] | None = None) -> int:
    """Run the app; returns the exit code. Reuses an existing QApplication."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.install_desktop_entry or args.uninstall_desktop_entry:
        from vessl_gui import desktop

        return desktop.main_install() if args.install_desktop_entry else desktop.main_uninstall()
    if args.self_test:
        from vessl_gui.selftest import run_self_test

        return run_self_test(args.data_dir)

    data_dir = args.data_dir or default_data_dir()
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        print(f"vessl-gui: cannot use the data directory {data_dir}: {exc}", file=sys.stderr)
        return 2
    # Until the window is up, no automatic cyclic collection: the start creates ~80
    # modules, PySide's types and the window, all alive for the app's life, and the
    # collector would walk them ~55 times on the way (~10 ms of the first frame).
    # settle_memory (after the first frame) collects once and switches it back on;
    # so does the end of the event loop, or an error on the way there.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _run_window(args, data_dir)
    finally:
        if collecting:
            gc.enable()


def _run_window(args: argparse.Namespace, data_dir: Path) -> int:
    setup_logging(data_dir)
    log.info("vessl-gui %s starting, data dir %s", __version__, data_dir)
    from vessl_gui.ui.bootstrap import (
        get_application,
        install_excepthook,
        make_settings,
        set_app_icon,
        settle_memory,
    )

    app = get_application([], icon=False)  # set after the first frame
    previous_hook = sys.excepthook
    install_excepthook()

    from vessl_gui.core.credentials import TokenStore
    from vessl_gui.core.errors import StorageError
    from vessl_gui.core.history import HistoryStore
    from vessl_gui.ui.window import (
        AppContext,
        DemoService,
        MainWindow,
        after_first_paint,
        schedule_start,
    )

    try:
        store, quarantined, recovered = HistoryStore.open_for_use(data_dir / "history.sqlite3")
    except StorageError as exc:
        log.error("history unavailable: %s", exc)
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.critical(
            None,
            "vessl-gui",
            f"{exc}\n\nvessl-gui will keep this session's history in memory only.",
        )
        store = HistoryStore(":memory:")
        quarantined, recovered = None, 0
    if recovered:
        log.info("%d request(s) were left sending by the last run", recovered)

    emulator = start_demo() if args.demo else None
    demo = DemoService(emulator.base_url, emulator.token) if emulator is not None else None
    settings = make_settings(args.data_dir)
    ctx = AppContext(
        store=store,
        tokens=TokenStore(index=data_dir / "saved-tokens.json"),
        settings=settings,
        data_dir=data_dir,
        demo=demo,
        quarantined=quarantined,
        follow_ids=args.follow,
    )
    window = MainWindow(ctx)
    window.show()
    schedule_start(window)
    after_first_paint(window, lambda: set_app_icon(app))
    after_first_paint(window, settle_memory, fallback_ms=2000)
    code = app.exec()
    clean = window.shutdown()
    store.close()
    if emulator is not None:
        emulator.stop()
    log.info("vessl-gui stopped (code %s)", code)
    sys.excepthook = previous_hook
    if not clean:
        # A worker is stuck in a call that cannot be interrupted (e.g. a DNS lookup):
        # leave without destroying its QThread under it.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code
