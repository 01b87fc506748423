"""The history side of the window: its title row (count, last id, Copy ID), the filter
bar and the table, with column widths that fit their contents."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from vessl_gui.core import errors
from vessl_gui.core.history import HistoryStore
from vessl_gui.ui.history.model import (
    COL_ID,
    COL_MESSAGE,
    COL_METHOD,
    COL_PATH,
    COL_RAN,
    COL_SERVICE,
    COL_STATUS,
    COL_TOTAL,
    COL_WAITED,
    HistoryModel,
    HistoryQuery,
)
from vessl_gui.ui.history.panel import HistoryPanel

#: What each column must fit (its header is resized to it once).
COLUMN_SAMPLES = (
    (0, "2026-12-31 23:59"),
    (COL_ID, "0123456789abcdef"),
    (COL_STATUS, "in progress (00)"),
    (COL_METHOD, "DELETE"),
    (COL_PATH, "/predictions/model"),
    (COL_SERVICE, "service-name"),
    (COL_MESSAGE, "Completed (HTTP 200)"),
    *((col, "9 min 59 s") for col in (COL_WAITED, COL_RAN, COL_TOTAL)),
)


class HistoryPane:
    """Builds the history's widgets over ``model`` (no logic but their text)."""

    def __init__(self, model: HistoryModel, store: HistoryStore) -> None:
        self.model = model
        self.store = store
        self.last_id: str | None = None
        self.copy_id_button = QPushButton("Copy ID")
        self.copy_id_button.setObjectName("copyIdButton")
        self.copy_id_button.setAccessibleName("Copy last request ID")
        self.copy_id_button.setToolTip("Copy the last created request id (Ctrl+Shift+C)")
        self.copy_id_button.setEnabled(False)
        self.last_id_label = QLabel("No request sent yet")
        self.last_id_label.setObjectName("lastIdLabel")
        self.last_id_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.count_label = QLabel("")
        self.count_label.setObjectName("historyCount")
        self.sending_label = QLabel("")  # in the status bar: "3 sending"
        top = QWidget()
        top_layout = QHBoxLayout(top)
        top_layout.setContentsMargins(4, 4, 4, 0)
        top_layout.addWidget(QLabel("<b>History</b>"))
        top_layout.addWidget(self.count_label)
        top_layout.addStretch(1)
        top_layout.addWidget(self.last_id_label)
        top_layout.addWidget(self.copy_id_button)

        self.panel = HistoryPanel(top)
        self.filter_bar = self.panel.filter_bar
        self.filter_bar.query_changed.connect(self._on_filter)
        self.filter_bar.set_services(store.services())
        self.view = self.panel.view
        self.view.setModel(model)
        self.view.setSortingEnabled(True)
        header = self.view.horizontalHeader()
        fm = self.view.fontMetrics()
        pad = 3 * fm.horizontalAdvance(" ")
        for col, sample in COLUMN_SAMPLES:
            header.resizeSection(col, fm.horizontalAdvance(sample) + pad)

    @Slot(object)
    def _on_filter(self, query: HistoryQuery) -> None:
        current = self.model.query
        self.model.set_query(
            replace(
                query, sort=current.sort, descending=current.descending, batch_id=current.batch_id
            )
        )

    def show_count(self, total: int, exact: bool, sending: int) -> None:
        counting = "" if exact else "+"  # the rest is being counted
        self.count_label.setText(f"{total}{counting} request(s)")
        self.sending_label.setText(f"{sending} sending" if sending else "")

    def set_last_id(self, request_id: str) -> None:
        self.last_id = request_id
        self.copy_id_button.setEnabled(True)
        self.copy_id_button.setText(f"Copy ID {request_id}")
        self.last_id_label.setText("Last id:")

    def know_service(self, base_url: str) -> None:
        """A request to ``base_url`` was stored: the service filter lists it."""
        if self.filter_bar.service_combo.findData(base_url) >= 0:
            return
        try:
            self.filter_bar.set_services(self.store.services())
        except errors.StorageError as exc:  # only the filter's list is out of date
            import logging

            logging.getLogger(__name__).warning(
                "the services filter was not updated: %s", exc.message
            )
