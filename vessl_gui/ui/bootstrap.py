"""The Qt application object, its settings store and the excepthook's dialog, shared
by the app and --self-test.

Imported only where Qt is wanted: the command line answers ``--version`` and the
desktop-entry options without it.
"""

from __future__ import annotations

import logging
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from vessl_gui import __version__
from vessl_gui.meta import APP_ID, APP_NAME, DISPLAY_NAME, ORG_NAME

log = logging.getLogger("vessl_gui")

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication


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
    app.setApplicationDisplayName(DISPLAY_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)  # Wayland app id = the .desktop file's name
    if icon:
        set_app_icon(app)
    return app


def set_app_icon(app: QApplication) -> None:
    """The app's (and so every window's) icon: resources/icons, PNG 16-512 px and the SVG."""
    from PySide6.QtGui import QIcon

    from vessl_gui.resources import icon_files

    icon = QIcon()
    for path in icon_files():
        icon.addFile(str(path))
    if not icon.isNull():
        app.setWindowIcon(icon)


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


def settle_memory() -> None:
    """Once the window is up: collect, then move what is alive (modules, Qt wrappers, the
    window: alive for the app's life) out of the cyclic collector's sight (``gc.freeze``).

    A full collection then walks only what came later.  It holds the interpreter lock in
    whatever thread it runs, so the window waits for it: in B8 (a 10 000-line batch)
    such pauses took 33-60 ms before, 5-15 ms after.  The collection here takes ~20 ms,
    after the first frame.  Automatic collection, held off during the start
    (:func:`vessl_gui.app.main`), is switched on again.
    """
    import gc

    gc.collect()
    gc.freeze()
    gc.enable()
