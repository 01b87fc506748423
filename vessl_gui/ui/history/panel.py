"""The history pane: a filter bar (text, status chips, service) above the table."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from vessl_gui.core.models import service_label
from vessl_gui.ui.history.model import HistoryQuery

#: Status chips: label -> the row states it shows.
STATUS_CHIPS: dict[str, frozenset[str]] = {
    "Queued": frozenset({"queued"}),
    "Sending": frozenset({"sending"}),
    "Pending": frozenset({"pending"}),
    "Running": frozenset({"in_progress"}),
    "Completed": frozenset({"completed"}),
    "Failed": frozenset({"failed"}),
    "Errors": frozenset({"send_error", "unknown"}),
}

FILTER_DELAY_MS = 150


def chip_name(label: str) -> str:
    """A status chip's accessible name ("Show only failed requests")."""
    if label == "Errors":
        return "Show only requests with errors"
    return f"Show only {label.lower()} requests"


class HistoryView(QTableView):
    """The history table (``historyView``); Ctrl+C copies the selected ids.

    Tab and Shift+Tab leave it (to the details pane, to the filters): the arrow keys
    move between rows and cells.  (QTableView's default, Tab from cell to cell, kept the
    keyboard in the table for good.)
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyView")
        self.setAccessibleName("Request history")
        self.setTabKeyNavigation(False)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.verticalHeader().hide()
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.horizontalHeader().setStretchLastSection(True)
        self.horizontalHeader().setHighlightSections(False)
        self.horizontalHeader().setSortIndicatorShown(True)
        self.horizontalHeader().setSortIndicator(0, Qt.SortOrder.DescendingOrder)


class FilterBar(QWidget):
    """Text filter (``historyFilter``), status chips and a service choice.

    Signals:
        query_changed(HistoryQuery): the user changed the filter (debounced for text);
            the query's sort fields are the defaults: the table's header owns the sort.
    """

    query_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.filter_edit = QLineEdit()
        self.filter_edit.setObjectName("historyFilter")
        self.filter_edit.setAccessibleName("Filter history")
        self.filter_edit.setPlaceholderText(
            "Filter: id, path, status, service, message, data (Ctrl+K)"
        )
        self.filter_edit.setClearButtonEnabled(True)
        clear = self.filter_edit.findChild(QAction, "_q_qlineeditclearaction")
        if clear is not None:  # the clear button is named after its action's text
            clear.setText("Clear filter")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(FILTER_DELAY_MS)
        self._timer.timeout.connect(self._emit)
        self.filter_edit.textChanged.connect(self._timer.start)
        self.filter_edit.returnPressed.connect(self._emit)

        self.chips: dict[str, QToolButton] = {}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.setSpacing(4)
        layout.addWidget(self.filter_edit, 1)
        for label in STATUS_CHIPS:
            chip = QToolButton()
            chip.setText(label)
            chip.setCheckable(True)
            chip.setObjectName(f"chip{label}")
            chip.setAccessibleName(chip_name(label))
            chip.setToolTip(f"{chip_name(label)} (several chips combine)")
            chip.toggled.connect(self._emit)
            self.chips[label] = chip
            layout.addWidget(chip)
        self.service_combo = QComboBox()
        self.service_combo.setObjectName("serviceFilter")
        self.service_combo.setAccessibleName("Filter by service")
        self.service_combo.addItem("All services", None)
        self.service_combo.currentIndexChanged.connect(self._emit)
        # On Linux a screen reader names a combo box after its current text ("All
        # services"): what it is comes from the label tied to it (labelled-by).
        self.service_label = QLabel("Service:")
        self.service_label.setObjectName("serviceFilterLabel")
        self.service_label.setBuddy(self.service_combo)
        layout.addWidget(self.service_label)
        layout.addWidget(self.service_combo)

    def set_services(self, base_urls: list[str]) -> None:
        current = self.service_combo.currentData()
        with QSignalBlocker(self.service_combo):
            self.service_combo.clear()
            self.service_combo.addItem("All services", None)
            for url in base_urls:
                self.service_combo.addItem(service_label(url), url)
                self.service_combo.setItemData(
                    self.service_combo.count() - 1, url, Qt.ItemDataRole.ToolTipRole
                )
            index = self.service_combo.findData(current) if current else 0
            self.service_combo.setCurrentIndex(max(0, index))

    def query(self) -> HistoryQuery:
        states: set[str] = set()
        for label, chip in self.chips.items():
            if chip.isChecked():
                states |= STATUS_CHIPS[label]
        service = self.service_combo.currentData()
        return HistoryQuery(
            text=self.filter_edit.text().strip(),
            states=frozenset(states) if states else None,
            services=frozenset({service}) if service else None,
        )

    @Slot()
    def _emit(self) -> None:
        self._timer.stop()
        self.query_changed.emit(self.query())


class HistoryPanel(QWidget):
    """The filter bar and the table, stacked."""

    def __init__(self, header: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.filter_bar = FilterBar()
        self.view = HistoryView()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(header)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.view, 1)
