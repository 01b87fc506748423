"""The history table's model: a ``QAbstractTableModel`` paging rows in from the store.

Rows are :class:`~vessl_gui.core.models.HistorySummary` values, newest first.
Only a page is read at start; the view asks for more with
``canFetchMore``/``fetchMore`` as the user scrolls, so a 100 000-row history
opens at once.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from vessl_gui.core.history import HistoryStore, is_memory_path, quick_page
from vessl_gui.core.models import ORIGIN_FOLLOWED, HistoryEntry, HistorySummary
from vessl_gui.core.records import record
from vessl_gui.core.timings import Timings, format_duration, observed_timings
from vessl_gui.ui.labels import STATUS_LABELS, TIMING_PRECISION, format_time, short_time

if TYPE_CHECKING:
    from vessl_gui.ui.history.count import MatchCounter

PAGE_SIZE = 200

COLUMNS = ("Time", "ID", "Status", "Method", "Path", "Service", "Message", "Waited", "Ran", "Total")
COL_TIME, COL_ID, COL_STATUS, COL_METHOD, COL_PATH, COL_SERVICE, COL_MESSAGE = range(7)
#: Durations observed by polling (see :func:`vessl_gui.core.timings.observed_timings`).
COL_WAITED, COL_RAN, COL_TOTAL = 7, 8, 9
TIMING_TIPS = {
    COL_WAITED: "Waited: from the service accepting the request to the first check that saw it"
    " running.",
    COL_RAN: "Ran: from the first check that saw it running to the first that saw it finished.",
    COL_TOTAL: "Total: from pressing Send to the first check that saw it finished.",
}
#: Role that returns the row's HistorySummary.
SummaryRole = Qt.ItemDataRole.UserRole + 1

AnyIndex = QModelIndex | QPersistentModelIndex
#: A row's flags, computed once: the view asks for them for every cell it paints, and
#: combining the enum members each time is measurable (tests/benchmarks B4).
_ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


def _timings(s: HistorySummary) -> Timings:
    return observed_timings(s.created_at, s.sent_at, s.pending_at, s.in_progress_at, s.finished_at)


def _timing_tip(s: HistorySummary, col: int) -> str:
    tip = TIMING_TIPS[col]
    if col != COL_TOTAL and _timings(s).started_unseen:
        tip += " It started and finished between two checks, so this is not known."
    return f"{tip}\n{TIMING_PRECISION}"


def _status_color(state: str) -> QColor | None:
    dark = QApplication.palette().color(QPalette.ColorRole.Base).lightness() < 128
    colors = {
        "completed": ("#1b7f3b", "#6fd68f"),
        "failed": ("#b3261e", "#ff8a80"),
        "send_error": ("#b3261e", "#ff8a80"),
        "unknown": ("#9a6700", "#f2c14e"),
        "in_progress": ("#0b5cad", "#7ab7ff"),
    }
    pair = colors.get(state)
    if pair is None:
        return None
    return QColor(pair[1] if dark else pair[0])


#: The store column each sortable table column sorts by.
SORT_KEYS = {
    COL_TIME: "created_at",
    COL_ID: "request_id",
    COL_STATUS: "state",
    COL_METHOD: "method",
    COL_PATH: "path",
    COL_SERVICE: "base_url",
    COL_MESSAGE: "message",
    COL_WAITED: "waited",
    COL_RAN: "ran",
    COL_TOTAL: "total",
}


@record
class HistoryQuery:
    """What the table shows: a text filter, state and service chips, and the sort."""

    text: str = ""
    states: frozenset[str] | None = None
    """None: every state."""
    services: frozenset[str] | None = None
    """Base URLs; None: every service."""
    sort: str = "created_at"
    descending: bool = True
    batch_id: str | None = None
    """Only the rows of this batch; None: all rows."""

    @property
    def is_default(self) -> bool:
        return self == HistoryQuery()


class HistoryModel(QAbstractTableModel):
    """History rows matching a :class:`HistoryQuery`, paged in from a :class:`HistoryStore`.

    A text filter's first page comes from :func:`~vessl_gui.core.history.quick.quick_page`
    when that is the fast way; its total is then counted on a thread of its own
    (:class:`~vessl_gui.ui.history.count.MatchCounter`) and :meth:`total_known` is
    False until it arrives, :meth:`total` meanwhile being the rows found so far.

    Signals:
        count_changed(int total): the number of matching rows changed.
    """

    count_changed = Signal(int)

    def __init__(self, store: HistoryStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._rows: list[HistorySummary] = []
        self._index: dict[int, int] = {}
        """row_id -> slot; a row's position is its slot minus ``_base`` (a row put on top
        takes slot ``_base - 1``, so no other row's slot changes: prepend is O(1))."""
        self._base = 0
        self._total = 0
        self._total_known = True
        self._generation = 0
        self._counter: MatchCounter | None = None
        self._rare: HistoryQuery | None = None
        self._exhausted = False
        self._query = HistoryQuery()
        self.reload()

    @property
    def query(self) -> HistoryQuery:
        return self._query

    def set_query(self, query: HistoryQuery) -> None:
        if query != self._query:
            self._query = query
            self.reload()

    def _page(self, offset: int) -> list[HistorySummary]:
        q = self._query
        return self._store.page(
            offset,
            PAGE_SIZE,
            text=q.text,
            states=q.states,
            services=q.services,
            sort=q.sort,
            descending=q.descending,
            batch_id=q.batch_id,
        )

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = SORT_KEYS.get(column)
        if key is None:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        self.set_query(replace(self._query, sort=key, descending=descending))

    # -- loading ------------------------------------------------------------

    def reload(self) -> None:
        self._generation += 1
        self.beginResetModel()
        self._rows = []
        self._index = {}
        self._base = 0
        q = self._query
        quick = None
        if q.text.strip() and q.sort == "created_at" and not self._known_rare(q):
            quick = quick_page(
                self._store,
                PAGE_SIZE,
                q.text,
                q.states,
                q.services,
                q.descending,
                batch_id=q.batch_id,
            )
            self._rare = None if quick is not None else q
        if quick is not None:
            for summary in quick:
                self._append(summary)
            self._exhausted = len(quick) < PAGE_SIZE
            self._total = len(quick)
            self._total_known = self._exhausted
            if not self._total_known:
                self._count_later(q)
        else:
            self._total = self._store.count(q.text, q.states, q.services, batch_id=q.batch_id)
            self._total_known = True
            self._exhausted = self._total == 0
            self._load_page()
        self.endResetModel()
        self.count_changed.emit(self._total)

    def _known_rare(self, q: HistoryQuery) -> bool:
        """Whether ``q`` narrows a text the walk already found too rare (typing on in the
        filter): a longer text is no more common, so go straight to the full-text search."""
        rare = self._rare
        return (
            rare is not None
            and rare.text.strip().lower() in q.text.strip().lower()
            and (rare.states, rare.services, rare.batch_id) == (q.states, q.services, q.batch_id)
        )

    def total_known(self) -> bool:
        """False while a filter's total is still being counted (see the class)."""
        return self._total_known

    def _count_later(self, q: HistoryQuery) -> None:
        from vessl_gui.ui.history.count import CountRequest, MatchCounter

        path = self._store.path
        if is_memory_path(path):
            self._total = self._store.count(
                q.text, q.states, q.services, batch_id=q.batch_id
            )  # no second connection
            self._total_known = True
            return
        if self._counter is None:
            self._counter = MatchCounter(path, self)
            self._counter.counted.connect(self._on_counted)
        self._counter.request(
            CountRequest(self._generation, q.text, q.states, q.services, q.batch_id)
        )

    def _on_counted(self, generation: int, total: int) -> None:
        if generation != self._generation or self._total_known:
            return
        if total < 0:  # counting failed on its thread: count here, as before
            q = self._query
            total = self._store.count(q.text, q.states, q.services, batch_id=q.batch_id)
        self._total = max(total, len(self._rows))
        self._total_known = True
        self.count_changed.emit(self._total)

    def close(self) -> None:
        """Stop the counting thread (the window is closing)."""
        self._generation += 1
        if self._counter is not None:
            self._counter.stop()

    def _load_page(self) -> list[HistorySummary]:
        page = self._page(len(self._rows))
        fresh = [s for s in page if s.row_id not in self._index]
        for summary in fresh:
            self._append(summary)
        if len(page) < PAGE_SIZE:
            self._exhausted = True
        return fresh

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._exhausted:
            return
        page = self._page(len(self._rows))
        fresh = [s for s in page if s.row_id not in self._index]
        if len(page) < PAGE_SIZE:
            self._exhausted = True
        if not fresh:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
        for summary in fresh:
            self._append(summary)
        self.endInsertRows()

    # -- changes ------------------------------------------------------------

    def prepend(self, summary: HistorySummary) -> None:
        """A new row (just committed to the store) goes on top (or the view re-queries)."""
        if summary.row_id in self._index:
            self.update(summary)
            return
        if not self._query.is_default:
            self.reload()
            return
        self.beginInsertRows(QModelIndex(), 0, 0)
        self._rows.insert(0, summary)
        self._base -= 1
        self._index[summary.row_id] = self._base
        self.endInsertRows()
        self._total += 1
        self.count_changed.emit(self._total)

    def update(self, row: HistorySummary | HistoryEntry) -> None:
        summary = row.summary() if isinstance(row, HistoryEntry) else row
        i = self.row_of(summary.row_id)
        if i is None:
            return
        self._rows[i] = summary
        self.dataChanged.emit(self.index(i, 0), self.index(i, len(COLUMNS) - 1))

    def remove_rows(self, row_ids: set[int]) -> None:
        # Bottom up, so the positions still to remove do not move; one re-index at the end.
        positions = sorted((p for p in map(self.row_of, row_ids) if p is not None), reverse=True)
        for i in positions:
            self.beginRemoveRows(QModelIndex(), i, i)
            del self._index[self._rows[i].row_id]
            del self._rows[i]
            self.endRemoveRows()
            self._total -= 1
        if positions:
            self._base = 0
            self._index = {s.row_id: j for j, s in enumerate(self._rows)}
        self.count_changed.emit(self._total)

    # -- access -------------------------------------------------------------

    def summary_at(self, row: int) -> HistorySummary | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, row_id: int) -> int | None:
        slot = self._index.get(row_id)
        return None if slot is None else slot - self._base

    def _append(self, summary: HistorySummary) -> None:
        self._index[summary.row_id] = self._base + len(self._rows)
        self._rows.append(summary)

    def total(self) -> int:
        return self._total

    # -- Qt model API -------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        s = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(s, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == COL_TIME:
                return format_time(s.created_at)
            if col == COL_STATUS and s.status_code is not None:
                return f"The service answered HTTP {s.status_code}"
            if col == COL_MESSAGE and s.message:
                return s.message
            if col == COL_SERVICE:
                return s.base_url
            if col == COL_ID and s.request_id:
                return f"{s.request_id} (Ctrl+C copies the selected ids)"
            if col in TIMING_TIPS:
                return _timing_tip(s, col)
            return None
        if role == Qt.ItemDataRole.ForegroundRole and col == COL_STATUS:
            return _status_color(s.state)
        if role == SummaryRole:
            return s
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._display(s, col)
        return None

    @staticmethod
    def _display(s: HistorySummary, col: int) -> str:
        if col == COL_TIME:
            return short_time(s.created_at)
        if col == COL_ID:
            return s.request_id or "—"
        if col == COL_STATUS:
            label = STATUS_LABELS.get(s.state, s.state)
            if s.status_code is not None and s.state == "failed":
                label += f" ({s.status_code})"
            return label
        if col == COL_METHOD:
            return s.method or "—"
        if col == COL_PATH:
            return s.path or ("(followed)" if s.origin == ORIGIN_FOLLOWED else "")
        if col == COL_SERVICE:
            return s.service
        if col == COL_MESSAGE:
            return s.message.splitlines()[0] if s.message else ""
        if col in TIMING_TIPS:
            t = _timings(s)
            return format_duration({COL_WAITED: t.waited, COL_RAN: t.ran}.get(col, t.total))
        return ""

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return _ROW_FLAGS
