"""Composition root: command line, QApplication, paths, logging, excepthook.

``vessl-gui [--demo] [--data-dir DIR] [--version] [--self-test]``
``vessl-gui --install-desktop-entry | --uninstall-desktop-entry``

Builds the core objects (history store, token store), hands them to the
main window, shows it, and starts the worker threads after the first paint.
``--version`` and the desktop-entry options answer without importing Qt.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from vessl_gui import __version__

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from vessl_gui.emulator import Emulator

APP_NAME = "vessl-gui"
ORG_NAME = "vessl-gui"
DEMO_PORT = 8765

log = logging.getLogger("vessl_gui")


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


def default_data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


class RotatingLog(logging.FileHandler):
    """Appends to a log file; when it would pass ``max_bytes`` it becomes ``<name>.1``
    (``.1`` becomes ``.2``, … up to ``backups``) and a new file is started.

    ``logging.handlers.RotatingFileHandler``'s rule, without importing
    ``logging.handlers`` (socket, pickle, queue: ~10 ms before the first frame).
    """

    def __init__(self, path: Path, max_bytes: int, backups: int) -> None:
        super().__init__(path, mode="a", encoding="utf-8")
        self.max_bytes = max_bytes
        self.backups = backups

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self._full(self.format(record) + self.terminator):
                self._rotate()
        except Exception:
            self.handleError(record)
            return
        super().emit(record)

    def _full(self, text: str) -> bool:
        if self.stream is None:
            self.stream = self._open()
        self.stream.seek(0, os.SEEK_END)  # another process may have written
        return self.stream.tell() > 0 and self.stream.tell() + len(text) >= self.max_bytes

    def _rotate(self) -> None:
        if self.stream is not None:
            self.stream.close()
            self.stream = None
        base = self.baseFilename
        for n in range(self.backups - 1, 0, -1):
            if os.path.exists(f"{base}.{n}"):
                os.replace(f"{base}.{n}", f"{base}.{n + 1}")
        if self.backups > 0:
            os.replace(base, f"{base}.1")
        else:
            os.truncate(base, 0)
        self.stream = self._open()


def setup_logging(data_dir: Path) -> None:
    """Log to ``<data dir>/logs/vessl-gui.log`` (rotated). Nothing logs the token."""
    root = logging.getLogger("vessl_gui")
    if any(getattr(h, "_vessl", False) for h in root.handlers):
        return
    level = logging.DEBUG if os.environ.get("VESSL_GUI_DEBUG") else logging.INFO
    root.setLevel(level)
    try:
        logs = data_dir / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = RotatingLog(
            logs / "vessl-gui.log", max_bytes=1_000_000, backups=3
        )
    except OSError:
        handler = logging.StreamHandler()
    handler._vessl = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)


def make_settings(data_dir: Path | None) -> QSettings:
    from PySide6.QtCore import QSettings

    if data_dir is not None:
        return QSettings(str(data_dir / "settings.ini"), QSettings.Format.IniFormat)
    return QSettings()


def get_application(argv: Sequence[str], *, icon: bool = True) -> QApplication:
    """Reuse the running QApplication (tests, embedding) or create one.

    ``icon=False``: without the app icon yet; :func:`main` sets it (:func:`set_app_icon`)
    once the window's first frame is painted: QIcon's Python type costs ~2 ms and, on
    X11, showing a window decodes every size of its icon (~15 ms).
    """
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    import vessl_gui.ui  # noqa: F401  # first: it makes the next imports cheaper

    app = QApplication.instance()
    if app is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
        )
        app = QApplication([sys.argv[0] if sys.argv else APP_NAME, *argv])
    assert isinstance(app, QApplication)
    app.setOrganizationName(ORG_NAME)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName("vessl-gui")
    app.setApplicationVersion(__version__)
    from vessl_gui.desktop import APP_ID

    app.setDesktopFileName(APP_ID)  # Wayland app id = the .desktop file's name
    if icon:
        set_app_icon(app)
    return app


def set_app_icon(app: QApplication) -> None:
    """The app's (and so every window's) icon: resources/icons, PNG 16-512 px and the SVG."""
    from PySide6.QtGui import QIcon

    from vessl_gui.desktop import icon_files

    icon = QIcon()
    for path in icon_files():
        icon.addFile(str(path))
    if not icon.isNull():
        app.setWindowIcon(icon)


def resource_path(name: str) -> Path | None:
    """A file from the packaged resources, or from the checkout's ``resources/``."""
    here = Path(__file__).resolve().parent
    for base in (here / "resources", here.parent / "resources"):
        candidate = base / name
        if candidate.exists():
            return candidate
    return None


def install_excepthook() -> None:
    """Bugs (unexpected exceptions) are logged and shown once in a dialog, not lost."""

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        text = "".join(traceback.format_exception(exc_type, exc, tb))
        log.error("unexpected error:\n%s", text)
        if sys.__stderr__ is not None:
            sys.__stderr__.write(text)
        try:
            from PySide6.QtWidgets import QApplication, QMessageBox

            if QApplication.instance() is not None and not os.environ.get("PYTEST_CURRENT_TEST"):
                box = QMessageBox(
                    QMessageBox.Icon.Critical,
                    "vessl-gui: unexpected error",
                    f"Something went wrong inside vessl-gui ({exc_type.__name__}: {exc}).\n"
                    "Your history is safe. Details are in the log file.",
                )
                box.setDetailedText(text)
                box.exec()
        except Exception:
            pass

    sys.excepthook = hook


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
    setup_logging(data_dir)
    log.info("vessl-gui %s starting, data dir %s", __version__, data_dir)
    app = get_application([], icon=False)  # set after the first frame
    previous_hook = sys.excepthook
    install_excepthook()

    from vessl_gui.core.credentials import TokenStore
    from vessl_gui.core.errors import StorageError
    from vessl_gui.core.history import HistoryStore
    from vessl_gui.ui.main_window import (
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
    )
    window = MainWindow(ctx)
    window.show()
    schedule_start(window)
    after_first_paint(window, lambda: set_app_icon(app))
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
