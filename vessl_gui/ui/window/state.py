"""What the window keeps between runs in ``QSettings``: geometry, splitters, the history's
columns, the composer (never the token), and the user's settings."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QHeaderView, QMainWindow, QSplitter

from vessl_gui.core.models import RequestDraft
from vessl_gui.core.settings import AppSettings
from vessl_gui.ui.composer import EXAMPLE_DATA, Composer


def load_settings(store: QSettings) -> AppSettings:
    store.beginGroup("settings")
    try:
        values = {key: store.value(key) for key in store.childKeys()}
    finally:
        store.endGroup()
    return AppSettings.from_mapping(values)


def save_settings(store: QSettings, settings: AppSettings) -> None:
    store.beginGroup("settings")
    for key, value in settings.to_dict().items():
        store.setValue(key, value)
    store.endGroup()
    store.sync()


class WindowState:
    """Restores and saves the layout and the composer (the demo's composer is not kept)."""

    def __init__(
        self,
        settings: QSettings,
        window: QMainWindow,
        splitters: dict[str, QSplitter],
        header: QHeaderView,
        composer: Composer,
        *,
        keep_composer: bool,
    ) -> None:
        self.settings = settings
        self.window = window
        self.splitters = splitters
        self.header = header
        self.composer = composer
        self.keep_composer = keep_composer

    def restore(self) -> bool:
        """Restore what was saved; True when the window's geometry was restored."""
        s = self.settings
        geometry = s.value("window/geometry")
        restored = isinstance(geometry, QByteArray) and self.window.restoreGeometry(geometry)
        for name, splitter in self.splitters.items():
            state = s.value(f"window/{name}")
            if isinstance(state, QByteArray):
                splitter.restoreState(state)
        header = s.value("window/historyHeader")
        if isinstance(header, QByteArray):
            self.header.restoreState(header)
        if self.keep_composer:
            self.composer.load(
                RequestDraft(
                    str(s.value("composer/baseUrl", "") or ""),
                    str(s.value("composer/method", "POST") or "POST"),
                    str(s.value("composer/path", "") or ""),
                    str(s.value("composer/data", EXAMPLE_DATA) or ""),
                )
            )
        return restored

    def save(self) -> None:
        s = self.settings
        s.setValue("window/geometry", self.window.saveGeometry())
        for name, splitter in self.splitters.items():
            s.setValue(f"window/{name}", splitter.saveState())
        s.setValue("window/historyHeader", self.header.saveState())
        if self.keep_composer:
            draft = self.composer.to_draft()  # never the token
            s.setValue("composer/baseUrl", draft.base_url)
            s.setValue("composer/method", draft.method)
            s.setValue("composer/path", draft.path)
            s.setValue("composer/data", draft.data)
        s.sync()
