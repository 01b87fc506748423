"""The batch's own window: a progress bar, counts, rate and time left, and its controls.

Non-modal: the main window stays usable while a batch runs.  Pause, Resume and
Stop act at once (requests in flight end; a stopped batch keeps its rest queued);
*Export results…* writes the batch's id, status and output as JSON Lines or CSV;
*Show only this batch* filters the history to it.  After a crash or a close
mid-batch it says what was sent, what is unknown (never re-sent automatically)
and what was not sent yet, and offers to send the rest.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from vessl_gui.core.batch import BatchProgress
from vessl_gui.core.models import BatchInfo
from vessl_gui.core.timings import format_duration


def describe(p: BatchProgress) -> str:
    """``sent 120 · failed 2 · not sent yet 878 · in flight 4 · 12.3/s · about 1 min left``."""
    parts = [f"sent {p.sent}", f"failed {p.failed}", f"not sent yet {p.remaining}"]
    if p.in_flight:
        parts.append(f"in flight {p.in_flight}")
    if p.rate:
        parts.append(f"{p.rate:.1f}/s")
    if p.limited_rate is not None:
        parts.append(f"slowed to {p.limited_rate:.2g}/s by the service")
    if p.eta is not None and p.remaining and p.state == "running":
        parts.append(f"about {format_duration(p.eta)} left")
    return " · ".join(parts)


class BatchWindow(QDialog):
    """One batch (``objectName`` ``batchWindow``).

    Signals:
        pause_requested(), resume_requested(), stop_requested(), send_rest_requested(),
        export_requested(), filter_toggled(bool)
    """

    pause_requested = Signal()
    resume_requested = Signal()
    stop_requested = Signal()
    send_rest_requested = Signal()
    export_requested = Signal()
    filter_toggled = Signal(bool)

    def __init__(self, info: BatchInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("batchWindow")
        self.setWindowTitle(f"Batch {info.source}")
        self.setModal(False)
        self.resize(560, 220)
        layout = QVBoxLayout(self)
        where = QLabel(
            f"{info.total} request(s) from {info.source} → {info.method} {info.path} "
            f"at {info.base_url}"
        )
        where.setWordWrap(True)
        layout.addWidget(where)
        self.bar = QProgressBar()
        self.bar.setObjectName("batchProgressBar")
        self.bar.setAccessibleName("Batch progress")
        self.bar.setRange(0, max(1, info.total))
        layout.addWidget(self.bar)
        self.counts = QLabel("")
        self.counts.setObjectName("batchCounts")
        self.counts.setWordWrap(True)
        layout.addWidget(self.counts)
        self.note = QLabel("")
        self.note.setObjectName("batchNote")
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        row = QHBoxLayout()
        self.pause_button = self._button(row, "&Pause", "batchPauseButton", self.pause_requested)
        self.resume_button = self._button(
            row, "&Resume", "batchResumeButton", self.resume_requested
        )
        self.stop_button = self._button(row, "S&top", "batchStopButton", self.stop_requested)
        self.rest_button = self._button(
            row, "Send the &rest", "batchSendRestButton", self.send_rest_requested
        )
        self.export_button = self._button(
            row, "&Export results…", "batchExportButton", self.export_requested
        )
        self.filter_button = QPushButton("Show only this &batch")
        self.filter_button.setObjectName("batchFilterButton")
        self.filter_button.setCheckable(True)
        self.filter_button.toggled.connect(self.filter_toggled)
        row.addWidget(self.filter_button)
        layout.addLayout(row)
        self.resume_button.hide()
        self.rest_button.hide()

    @staticmethod
    def _button(row: QHBoxLayout, text: str, name: str, signal: object) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.clicked.connect(signal)
        row.addWidget(button)
        return button

    def show_progress(self, p: BatchProgress) -> None:
        self.bar.setRange(0, max(1, p.total))
        self.bar.setValue(p.sent + p.failed)
        self.counts.setText(describe(p))
        running = p.state == "running"
        self.pause_button.setVisible(running)
        self.resume_button.setVisible(p.state == "paused")
        self.stop_button.setEnabled(p.state in ("running", "paused"))
        self.rest_button.hide()

    def show_interrupted(self, counts: dict[str, int], total: int) -> None:
        """A batch the last run left unfinished: what happened, and the rest to send."""
        sent = sum(counts[s] for s in ("pending", "in_progress", "completed", "failed"))
        unknown = counts.get("unknown", 0) + counts.get("sending", 0)
        queued = counts.get("queued", 0)
        errors = counts.get("send_error", 0)
        self.bar.setRange(0, max(1, total))
        self.bar.setValue(total - queued)
        self.counts.setText(
            f"sent {sent} · not sent (errors) {errors} · unknown {unknown} · not sent yet {queued}"
        )
        self.note.setText(
            "This batch was interrupted (the app was closed or stopped). "
            + (
                f"{unknown} request(s) may or may not have been created: they are never "
                "sent again by themselves (check them in the history). "
                if unknown
                else ""
            )
            + (f"Send the {queued} not sent yet?" if queued else "Nothing is left to send.")
        )
        self.pause_button.hide()
        self.resume_button.hide()
        self.stop_button.setEnabled(bool(queued))
        self.stop_button.setText("S&top (keep them unsent)")
        self.rest_button.setVisible(queued > 0)
