"""What the user can do with history rows: copy, delete, clear, export, send again.

A controller object owned by the main window; it builds the history's
context menu and the History menu, and calls the core (store, exporters,
snippets).  It is handed what it uses (the view, model and store, the
selection, the status line, the clipboard, the tokens and the sender: the
protocols of :mod:`vessl_gui.ui.ports`), never the window.  Dialogs go through
:meth:`HistoryActions.confirm` and :meth:`HistoryActions.ask_save_path` so
tests can answer them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from pathlib import Path

from PySide6.QtCore import QObject, QPoint, Qt, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QTableView, QWidget

from vessl_gui.core import errors
from vessl_gui.core.history import HistoryStore
from vessl_gui.core.models import HistoryEntry
from vessl_gui.ui.history.model import HistoryModel
from vessl_gui.ui.ports import Clipboard, Selection, Sender, StatusLine, Tokens

log = logging.getLogger(__name__)

EXPORT_FILTERS = "JSON Lines (*.jsonl);;CSV (*.csv)"


class HistoryActions(QObject):
    """Actions on the selected history rows (no signals)."""

    def __init__(
        self,
        parent: QWidget,
        view: QTableView,
        model: HistoryModel,
        store: HistoryStore,
        selection: Selection,
        status: StatusLine,
        clipboard: Clipboard,
        tokens: Tokens,
        sender: Sender,
        *,
        copy_ids_action: QAction,
        refresh_action: QAction,
        reopen: Callable[[], object],
        compare_action: QAction | None = None,
    ) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.view = view
        self.model = model
        self.store = store
        self.selection = selection
        self.status = status
        self.clipboard = clipboard
        self.tokens = tokens
        self.requests = sender
        self.copy_ids_action = copy_ids_action
        self.refresh_action = refresh_action
        self.compare_action = compare_action
        self.delete_action = self._make(
            "&Delete selected rows…",
            self.delete_selected,
            QKeySequence.StandardKey.Delete,
            "deleteRowsAction",
        )
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        view.addAction(self.delete_action)
        self.reopen_action = self._make("&Open in composer", reopen, None, "reopenRowAction")
        self.reopen_action.setShortcuts(
            [QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)]
        )
        self.reopen_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        view.addAction(self.reopen_action)
        self.send_again_action = self._make("Send &again", self.send_again, None, "sendAgainAction")
        self.clear_action = self._make(
            "C&lear history…", self.clear_all, None, "clearHistoryAction"
        )
        self.export_selected_action = self._make(
            "&Export selected…", self.export_selected, None, "exportSelectedAction"
        )
        self.export_all_action = self._make(
            "Export &all…", self.export_all, None, "exportAllAction"
        )

    def _make(
        self,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence | QKeySequence.StandardKey | None,
        name: str,
    ) -> QAction:
        # Not QAction(text, parent): see JsonEditor._make_action.
        action = QAction(self.parent_widget)
        action.setText(text)
        action.setObjectName(name)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        return action

    # -- dialogs (replaced in tests) ----------------------------------------------

    # The dialog classes are imported when first used (their Python types cost start-up).

    def confirm(self, title: str, text: str) -> bool:
        from PySide6.QtWidgets import QMessageBox

        answer = QMessageBox.question(self.parent_widget, title, text)
        return answer == QMessageBox.StandardButton.Yes

    def ask_save_path(self, title: str, suggested: str) -> tuple[str, str]:
        from PySide6.QtWidgets import QFileDialog

        return QFileDialog.getSaveFileName(self.parent_widget, title, suggested, EXPORT_FILTERS)

    # -- menus --------------------------------------------------------------------

    def fill_menu(self, menu: QMenu) -> None:
        """The History menu of the menu bar."""
        for action in (self.reopen_action, self.send_again_action, self.refresh_action):
            menu.addAction(action)
        menu.addSeparator()
        for action in (self.export_selected_action, self.export_all_action):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.delete_action)
        menu.addAction(self.clear_action)

    def context_menu(self, pos: QPoint) -> None:
        menu = self.build_context_menu()
        menu.exec(self.view.viewport().mapToGlobal(pos))

    def build_context_menu(self) -> QMenu:
        menu = QMenu(self.parent_widget)
        menu.setObjectName("historyContextMenu")
        menu.addAction(self.copy_ids_action)
        for label, what in (
            ("Copy output", "output"),
            ("Copy raw output", "raw output"),
            ("Copy request data", "request data"),
        ):
            act = menu.addAction(label)
            act.triggered.connect(lambda _=False, what=what: self.copy_field(what))
        for label, kind in (
            ("Copy as curl", "curl"),
            ("Copy output curl", "curl_output"),
            ("Copy as Python", "python"),
        ):
            act = menu.addAction(label)
            act.triggered.connect(lambda _=False, kind=kind: self.copy_snippet(kind))
        menu.addSeparator()
        for action in (
            self.refresh_action,
            self.reopen_action,
            self.send_again_action,
            self.export_selected_action,
        ):
            menu.addAction(action)
        if self.compare_action is not None:
            menu.addAction(self.compare_action)
        menu.addSeparator()
        menu.addAction(self.delete_action)
        return menu

    # -- copying ---------------------------------------------------------------------

    def _first(self) -> HistoryEntry | None:
        entries = self.selection.selected_entries()
        if not entries:
            self.status.say("Select a row first.", 5000)
            return None
        return entries[0]

    def copy_field(self, what: str) -> None:
        entry = self._first()
        if entry is None:
            return
        if what == "output":
            from vessl_gui.ui.output.actions import output_text

            text = output_text(entry)
        elif what == "raw output":
            text = entry.raw_output or ""
        else:
            text = entry.data
        if not text:
            self.status.say(f"This row has no {what} yet.", 5000)
            return
        self.clipboard.copy(what, text)

    def copy_snippet(self, kind: str) -> None:
        entry = self._first()
        if entry is None:
            return
        from vessl_gui.core import snippets

        if kind == "curl":
            text = snippets.curl_create(entry.request())
        elif kind == "python":
            text = snippets.python_create(entry.request())
        else:
            if not entry.request_id:
                self.status.say("This row has no id: nothing to fetch.", 5000)
                return
            text = snippets.curl_output(entry.base_url, entry.request_id)
        self.clipboard.copy(f"{kind.replace('_', ' ')} command", text)

    # -- changing history ---------------------------------------------------------------

    @Slot()
    def send_again(self) -> None:
        entries = self.selection.selected_entries()
        if not entries:
            self.status.say("Select the rows to send again.", 5000)
            return
        if not self.tokens.ready("send-again", self.send_again):
            return  # sent once the keyring has answered (the same rows, if still selected)
        for entry in entries:
            self.requests.send_request(entry.request())

    @Slot()
    def delete_selected(self) -> None:
        ids = self.selection.selected_row_ids()
        if not ids:
            return
        n = len(ids)
        if not self.confirm(
            "Delete rows",
            f"Delete {n} row(s) from the history? Their requests stay on the service; "
            "only this app's record of them goes.",
        ):
            return
        try:
            deleted = self.store.delete(ids)
        except errors.StorageError as exc:
            self.status.say(f"Could not delete: {exc.message}")
            return
        first = min((p for p in map(self.model.row_of, ids) if p is not None), default=None)
        self.model.remove_rows(set(ids))
        if first is not None:
            self.select_after_delete(first)
        self.status.say(f"Deleted {deleted} row(s).", 5000)

    def select_after_delete(self, position: int) -> None:
        """Select the row that took the place of the deleted ones (the last row when they
        were at the end), as a file manager does.  Qt only moves the current row there,
        unselected: the details pane stayed empty (its buttons disabled, so out of the
        Tab chain), and Home / End on that row selected nothing."""
        rows = self.model.rowCount()
        if rows == 0:
            return
        from PySide6.QtCore import QItemSelectionModel  # (its Python type: not at start-up)

        flags = QItemSelectionModel.SelectionFlag
        self.view.selectionModel().setCurrentIndex(
            self.model.index(min(position, rows - 1), 0), flags.ClearAndSelect | flags.Rows
        )

    @Slot()
    def clear_all(self) -> None:
        total = self.store.count()
        if total == 0:
            self.status.say("The history is already empty.", 5000)
            return
        if not self.confirm(
            "Clear history",
            f"Delete all {total} row(s) from the history? This cannot be undone "
            "(export them first if you may need them).",
        ):
            return
        try:
            deleted = self.store.clear()
        except errors.StorageError as exc:
            self.status.say(f"Could not clear: {exc.message}")
            return
        self.model.reload()
        self.status.say(f"Cleared {deleted} row(s).", 5000)

    # -- export ---------------------------------------------------------------------------

    @Slot()
    def export_selected(self) -> None:
        entries = self.selection.selected_entries()
        if not entries:
            self.status.say("Select the rows to export.", 5000)
            return
        path, chosen = self.ask_save_path("Export selected rows", "vessl-requests.jsonl")
        if path:
            self.export_to(Path(path), entries, chosen)

    @Slot()
    def export_all(self) -> None:
        path, chosen = self.ask_save_path("Export history", "vessl-history.jsonl")
        if path:
            from vessl_gui.core.history.export import iter_all

            self.export_to(Path(path), iter_all(self.store), chosen)

    def export_to(
        self, path: Path, entries: Iterable[HistoryEntry], chosen_filter: str = ""
    ) -> int | None:
        """Write rows to ``path``: CSV when it ends in .csv (or CSV was chosen), else JSONL."""
        from vessl_gui.core.history.export import export_file

        try:
            written, n = export_file(path, entries, chosen_filter)
        except OSError as exc:
            self.status.say(f"Export failed: {exc.strerror or exc} ({path})")
            return None
        self.status.say(f"Exported {n} row(s) to {written}.", 10000)
        return n
