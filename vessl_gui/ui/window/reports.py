"""What the worker threads report, shown in the window: rows updated, ids created,
sends failed, requests finished (with a desktop notification when the window is in
the background), the history that could not be written."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QApplication, QWidget

from vessl_gui.core import errors
from vessl_gui.core.models import HistoryEntry
from vessl_gui.ui.history.model import HistoryModel
from vessl_gui.ui.ports import StatusLine
from vessl_gui.ui.window.history_pane import HistoryPane
from vessl_gui.ui.window.selection import SelectionController

if TYPE_CHECKING:
    from PySide6.QtWidgets import QSystemTrayIcon

    from vessl_gui.ui.workers import WorkerThreads


class WorkerReports(QObject):
    """Connects to :class:`~vessl_gui.ui.workers.WorkerThreads` (no signals).

    ``notify_wanted()`` is the user's setting; ``counted()`` refreshes the counts;
    ``quiet(row_id)``: a row whose answers are not told in the status bar.
    """

    def __init__(
        self,
        window: QWidget,
        model: HistoryModel,
        history: HistoryPane,
        selection: SelectionController,
        status: StatusLine,
        *,
        notify_wanted: Callable[[], bool],
        counted: Callable[[], None],
        quiet: Callable[[int], bool] = lambda row_id: False,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.model = model
        self.history = history
        self.selection = selection
        self.status = status
        self._notify_wanted = notify_wanted
        self._counted = counted
        self._quiet = quiet  # a batch's rows: its window tells their progress
        self.workers: WorkerThreads | None = None
        self.notifications: list[str] = []
        self._tray: QSystemTrayIcon | None = None

    def wire(self, workers: WorkerThreads) -> None:
        self.workers = workers
        workers.row_updated.connect(self.on_row_updated)
        workers.created.connect(self.on_created)
        workers.send_failed.connect(self.on_send_failed)
        workers.finished.connect(self.on_finished)
        workers.storage_failed.connect(self.on_storage_failed)

    @Slot(object)
    def on_row_updated(self, entry: HistoryEntry) -> None:
        self.model.update(entry)
        self._counted()
        self.selection.row_updated(entry)

    @Slot(int, str, str)
    def on_created(self, row_id: int, base_url: str, request_id: str) -> None:
        if self.workers is not None:
            self.workers.track(row_id, base_url, request_id)
        if self._quiet(row_id):
            return
        self.history.set_last_id(request_id)
        self.status.say(f"Created request {request_id}.", 10000)
        self._counted()

    @Slot(int, object)
    def on_send_failed(self, row_id: int, error: errors.ServeError) -> None:
        if self._quiet(row_id):
            return
        self.status.say(f"Send failed: {error.message}")
        self._counted()

    @Slot(object)
    def on_finished(self, entry: HistoryEntry) -> None:
        if entry.batch_id is not None:
            # A batch's items are told by its window and the history, not one by one (a
            # batch of 10 000 would otherwise flood the status bar and the desktop).
            return
        label = entry.request_id or str(entry.row_id)
        self.status.say(f"Request {label} {entry.state}.", 10000)
        if self._notify_wanted() and not self.window.isActiveWindow():
            self.notify(f"Request {label} {entry.state}", f"{entry.method} {entry.path}")

    @Slot(str)
    def on_storage_failed(self, message: str) -> None:
        self.status.say(f"History could not be saved: {message}")

    def notify(self, title: str, text: str) -> None:
        """A desktop notification (tray message where there is a tray, else a taskbar alert)."""
        self.notifications.append(title)
        QApplication.alert(self.window)
        from PySide6.QtWidgets import QSystemTrayIcon

        if QSystemTrayIcon.isSystemTrayAvailable():
            if self._tray is None:
                self._tray = QSystemTrayIcon(self.window.windowIcon(), self)
                self._tray.show()
            self._tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, 8000)
