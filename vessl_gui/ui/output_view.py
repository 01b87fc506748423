"""The details pane: everything about the selected history row.

Shows what was sent, the id, timings, the status and status_code, the
output pretty-printed (or the raw output when it is not JSON) and the fail
reason.  Copy buttons for the id and the output.
"""

from __future__ import annotations

import json

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from vessl_gui.core.models import HistoryEntry
from vessl_gui.ui.history_model import STATUS_LABELS, format_time

FACTS = (
    "ID",
    "Status",
    "Service answered",
    "Fail reason",
    "Message",
    "Request",
    "Service",
    "Times",
)

#: Above this many characters the output is shown as is, not re-indented.
PRETTY_LIMIT = 2_000_000


def pretty_json(text: str) -> str:
    """Indent a JSON text for reading; the text itself when it is not JSON or too big."""
    if len(text) > PRETTY_LIMIT:
        return text
    try:
        value = json.loads(text)
    except ValueError:
        return text
    return json.dumps(value, indent=2, ensure_ascii=False)


def output_text(entry: HistoryEntry) -> str:
    """The output to show and copy: pretty JSON, else the raw output."""
    if entry.output_json is not None:
        return pretty_json(entry.output_json)
    return entry.raw_output or ""


def _duration(a: float | None, b: float | None) -> str:
    if a is None or b is None:
        return "—"
    secs = max(0.0, b - a)
    if secs < 60:
        return f"{secs:.1f} s"
    return f"{int(secs // 60)} min {secs % 60:.0f} s"


class OutputView(QWidget):
    """Details of one history row.

    Signals:
        copy_requested(str what, str text): the user pressed a copy button.
    """

    copy_requested = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outputView")
        self.setAccessibleName("Request details and output")
        self._entry: HistoryEntry | None = None

        self.placeholder = QLabel("Select a request in the history to see its details.")
        self.placeholder.setObjectName("detailsPlaceholder")
        self.facts = QFormLayout()
        self.facts.setContentsMargins(0, 0, 0, 0)
        self.facts.setVerticalSpacing(2)
        self._values: dict[str, QLabel] = {}
        for key in FACTS:
            value = QLabel()
            value.setObjectName("fact" + key.title().replace(" ", ""))
            value.setWordWrap(True)
            value.setTextFormat(Qt.TextFormat.PlainText)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self._values[key] = value
            self.facts.addRow(key, value)
        self._values["ID"].setStyleSheet("font-weight: bold;")
        self._values["Fail reason"].setStyleSheet("color: #d93025; font-weight: bold;")

        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setStyleHint(QFont.StyleHint.Monospace)
        self.text = QPlainTextEdit()
        self.text.setObjectName("outputText")
        self.text.setAccessibleName("Output")
        self.text.setReadOnly(True)
        self.text.setFont(mono)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)

        self.copy_id_button = QPushButton("Copy ID")
        self.copy_id_button.setObjectName("detailsCopyIdButton")
        self.copy_id_button.setAccessibleName("Copy this request's ID")
        self.copy_id_button.clicked.connect(self._copy_id)
        self.copy_output_button = QPushButton("Copy output")
        self.copy_output_button.setObjectName("copyOutputButton")
        self.copy_output_button.setAccessibleName("Copy output")
        self.copy_output_button.clicked.connect(self._copy_output)
        self.copy_raw_button = QPushButton("Copy raw")
        self.copy_raw_button.setObjectName("copyRawButton")
        self.copy_raw_button.setAccessibleName("Copy raw output")
        self.copy_raw_button.clicked.connect(self._copy_raw)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.copy_id_button)
        buttons.addWidget(self.copy_output_button)
        buttons.addWidget(self.copy_raw_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.placeholder)
        layout.addLayout(self.facts)
        layout.addWidget(self.text, 1)
        layout.addLayout(buttons)
        self.show_entry(None)

    def entry(self) -> HistoryEntry | None:
        return self._entry

    def show_entry(self, entry: HistoryEntry | None) -> None:
        self._entry = entry
        has = entry is not None
        self.copy_id_button.setEnabled(has and bool(entry and entry.request_id))
        self.copy_output_button.setEnabled(has and bool(entry and output_text(entry)))
        self.copy_raw_button.setEnabled(has and bool(entry and entry.raw_output is not None))
        self.placeholder.setVisible(entry is None)
        facts = self.facts_of(entry) if entry is not None else {}
        for key, label in self._values.items():
            value = facts.get(key)
            label.setText(value or "")
            self.facts.setRowVisible(label, value is not None)
        self.text.setPlainText(self._body_text(entry) if entry is not None else "")

    def fact(self, key: str) -> str:
        """The text shown for one fact (empty when hidden), for tests and accessibility."""
        label = self._values[key]
        return label.text() if not label.isHidden() else ""

    @staticmethod
    def facts_of(e: HistoryEntry) -> dict[str, str]:
        """The facts shown above the output, by label; absent ones are left out."""
        facts = {
            "ID": e.request_id or "— (no id)",
            "Status": STATUS_LABELS.get(e.state, e.state),
        }
        if e.status_code is not None:
            facts["Service answered"] = f"HTTP {e.status_code}"
        if e.state == "failed" and e.fail_reason:
            facts["Fail reason"] = e.fail_reason
        if e.message and e.state != "completed" and e.message != e.fail_reason:
            facts["Message"] = e.message
        facts["Request"] = f"{e.method} {e.path}"
        facts["Service"] = e.base_url
        timing = f"sent {format_time(e.created_at)}"
        if e.sent_at is not None:
            timing += f", created in {_duration(e.created_at, e.sent_at)}"
        if e.finished_at is not None:
            timing += f", finished after {_duration(e.sent_at or e.created_at, e.finished_at)}"
        facts["Times"] = timing
        return facts

    @staticmethod
    def _body_text(e: HistoryEntry) -> str:
        parts: list[str] = []
        out = output_text(e)
        if e.state in ("completed", "failed"):
            label = "Output" if e.output_json is not None else "Raw output (not JSON)"
            parts.append(f"── {label} ──\n{out}" if out else "── No output ──")
        elif e.state in ("pending", "in_progress", "sending"):
            parts.append("── Output ──\n(not ready yet: the status is checked automatically)")
        parts.append(f"── Data sent ──\n{pretty_json(e.data)}")
        return "\n\n".join(parts)

    def _copy_id(self) -> None:
        if self._entry is not None and self._entry.request_id:
            self.copy_requested.emit("id", self._entry.request_id)

    def _copy_output(self) -> None:
        if self._entry is not None:
            self.copy_requested.emit("output", output_text(self._entry))

    def _copy_raw(self) -> None:
        if self._entry is not None and self._entry.raw_output is not None:
            self.copy_requested.emit("raw output", self._entry.raw_output)
