"""The status bar and the clipboard as the controllers see them (:mod:`vessl_gui.ui.ports`)."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QStatusBar


class StatusBarLine:
    """:class:`~vessl_gui.ui.ports.StatusLine` over a ``QStatusBar``."""

    def __init__(self, bar: QStatusBar) -> None:
        self.bar = bar

    def say(self, text: str, timeout_ms: int = 0) -> None:
        if text:
            self.bar.showMessage(text, timeout_ms)
        else:
            self.bar.clearMessage()


class SystemClipboard:
    """:class:`~vessl_gui.ui.ports.Clipboard`: the system clipboard, told in the status line."""

    def __init__(self, status: StatusBarLine) -> None:
        self.status = status

    def set_text(self, text: str) -> None:
        QGuiApplication.clipboard().setText(text)

    def copy(self, what: str, text: str) -> None:
        self.set_text(text)
        shown = text if what == "id" else f"the {what} ({len(text)} characters)"
        self.status.say(f"Copied {shown} to the clipboard.", 5000)
