"""The history's selection: what the details pane shows, copying ids, refresh, reopen.

The selected row is read off the GUI thread
(:class:`~vessl_gui.ui.history.reader.EntryReader`): the window waits at most
20 ms, else the pane says it is reading and shows the row when read; a newer
selection or an update of that row wins over an older read.  Implements
:class:`~vessl_gui.ui.ports.Selection` for the history actions.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, QModelIndex, QObject, Slot
from PySide6.QtWidgets import QTableView

from vessl_gui.core.history import HistoryStore
from vessl_gui.core.models import HistoryEntry, HistorySummary, RequestDraft
from vessl_gui.ui.composer import Composer
from vessl_gui.ui.history.model import HistoryModel
from vessl_gui.ui.output.pane import OutputPane
from vessl_gui.ui.ports import Clipboard, StatusLine, Tokens

if TYPE_CHECKING:
    from vessl_gui.ui.history.reader import EntryReader
    from vessl_gui.ui.workers import WorkerThreads


class SelectionController(QObject):
    """Follows the history view's selection (no signals).

    ``details`` is the details pane (its content built on first use); ``workers()``
    starts the worker threads if need be; ``commit_base_url(url)`` tells the window
    a base URL was entered.
    """

    def __init__(
        self,
        view: QTableView,
        model: HistoryModel,
        store: HistoryStore,
        composer: Composer,
        status: StatusLine,
        clipboard: Clipboard,
        tokens: Tokens,
        *,
        details: OutputPane,
        workers: Callable[[], WorkerThreads],
        commit_base_url: Callable[[str], None],
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self.view = view
        self.model = model
        self.store = store
        self.composer = composer
        self.status = status
        self.clipboard = clipboard
        self.tokens = tokens
        self.details = details
        self._workers = workers
        self._commit_base_url = commit_base_url
        self.reader: EntryReader | None = None
        self.added: HistoryEntry | None = None  # see select_added
        view.selectionModel().selectionChanged.connect(self._on_selection)
        view.doubleClicked.connect(self._reopen_index)

    # -- which rows ---------------------------------------------------------------

    def select_row(self, row: int) -> None:
        """Select history row ``row`` alone, and make it current.

        Not ``QTableView.selectRow``: that reads the keyboard's modifiers, so with Ctrl
        still down from Ctrl+Enter it toggled the row into the selection.
        """
        from PySide6.QtCore import QItemSelectionModel  # (its Python type: not at start-up)

        flags = QItemSelectionModel.SelectionFlag
        self.view.selectionModel().setCurrentIndex(
            self.model.index(row, 0), flags.ClearAndSelect | flags.Rows
        )

    def select_added(self, entry: HistoryEntry) -> None:
        """Select a row just stored (shown as stored: it need not be read back)."""
        row = self.model.row_of(entry.row_id)
        if row is None:
            return
        self.added = entry
        try:
            self.select_row(row)
        finally:
            self.added = None

    def selected_rows(self) -> list[int]:
        return sorted({i.row() for i in self.view.selectionModel().selectedRows()})

    def selected_summaries(self) -> list[HistorySummary]:
        found = (self.model.summary_at(row) for row in self.selected_rows())
        return [s for s in found if s is not None]

    def selected_row_ids(self) -> list[int]:
        return [s.row_id for s in self.selected_summaries()]

    def selected_entries(self) -> list[HistoryEntry]:
        return self.store.get_many(self.selected_row_ids())

    # -- the details pane ------------------------------------------------------------

    @Slot(QItemSelection, QItemSelection)
    def _on_selection(self, *_: object) -> None:
        if self.reader is not None:
            self.reader.cancel()  # what the last selection still waits for is not shown
        rows = self.selected_rows()
        if not rows:
            if self.details.is_built():
                self.details.show_entry(None)
            return
        s = self.model.summary_at(rows[0])
        added = self.added
        if s is not None and added is not None and added.row_id == s.row_id:
            self.details.show_entry(added)
            return
        shown = self.details.entry()
        if s is not None and shown is not None and _same_version(shown, s):
            return  # e.g. a row added above it moved it: shown as it is stored
        if s is None:
            self.details.show_entry(None)
            return
        if not self._entry_reader().read(s.row_id, self._show_read):
            self.details.show_reading(f"Reading request {s.request_id or s.row_id}…")

    def _entry_reader(self) -> EntryReader:
        if self.reader is None:
            from vessl_gui.ui.history.reader import EntryReader

            self.reader = EntryReader(self.store, self)
        return self.reader

    def _show_read(self, entry: HistoryEntry | None, error: str | None) -> None:
        """A selected row, read (:meth:`_on_selection`)."""
        if error is not None:
            self.details.show_reading(f"Not shown: {error}")
            self.status.say(f"Could not read the selected row: {error}", 8000)
            return
        self.details.show_entry(entry)

    def row_updated(self, entry: HistoryEntry) -> None:
        """A row changed in the store: the pane shows it again if it is the one shown."""
        if not self.details.is_built():
            return
        current = self.details.entry()
        if current is not None and current.row_id == entry.row_id:
            self.details.show_entry(entry)
        elif self.reader and self.reader.pending_row() == entry.row_id:
            self.reader.cancel()  # this is newer than what is being read
            self.details.show_entry(entry)

    # -- actions on the selected rows ----------------------------------------------

    @Slot()
    def copy_selected_ids(self) -> None:
        ids = [s.request_id for s in self.selected_summaries() if s.request_id]
        if not ids:
            self.status.say("Nothing copied: the selected rows have no id yet.", 5000)
            return
        self.clipboard.set_text("\n".join(ids))
        shown = ids[0] if len(ids) == 1 else f"{len(ids)} ids"
        self.status.say(f"Copied {shown} to the clipboard.", 5000)

    @Slot()
    def refresh_selected(self) -> None:
        rows = [
            (s.row_id, s.base_url, s.request_id) for s in self.selected_summaries() if s.request_id
        ]
        if not rows:
            self.status.say("Select rows with an id to refresh their status.", 5000)
            return
        workers = self._workers()
        if not self.tokens.ready("refresh", self.refresh_selected):
            return
        for _, base_url, _ in rows:
            token = self.tokens.lookup(base_url)
            if token:
                workers.set_token(base_url, token)
        workers.refresh(rows)
        self.status.say(f"Checking the status of {len(rows)} request(s)…", 5000)

    @Slot()
    def reopen_selected(self) -> None:
        entries = self.selected_entries()
        if entries:
            self.reopen(entries[0])

    @Slot(QModelIndex)
    def _reopen_index(self, index: QModelIndex) -> None:
        s = self.model.summary_at(index.row())
        entry = self.store.get(s.row_id) if s else None
        if entry is not None:
            self.reopen(entry)

    def reopen(self, entry: HistoryEntry) -> None:
        """Load a history row's request into the composer."""
        old_base = self.composer.base_url_edit.text()
        self.composer.load(RequestDraft(entry.base_url, entry.method, entry.path, entry.data))
        if old_base.strip() != entry.base_url:
            self._commit_base_url(entry.base_url)
        self.status.say("Request loaded into the composer: edit it or Send.", 5000)

    def shutdown(self) -> None:
        if self.reader is not None:
            self.reader.shutdown()


def _same_version(entry: HistoryEntry, summary: HistorySummary) -> bool:
    """Whether ``entry`` is the stored row ``summary`` describes (no write since)."""
    return (entry.row_id, entry.updated_at, entry.state) == (
        summary.row_id,
        summary.updated_at,
        summary.state,
    )
