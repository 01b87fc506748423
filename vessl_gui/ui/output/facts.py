"""The top of the details pane: a banner for failures and the facts about the request.

The banner makes a failure impossible to miss: the service's status code and
the fail reason.  The facts are the id, status, request, service and the
timings polling observed (created, waited, ran, total).
"""

from __future__ import annotations

import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from vessl_gui.core.models import HistoryEntry
from vessl_gui.core.timings import format_duration, observed_timings
from vessl_gui.ui.labels import STATUS_LABELS, TIMING_PRECISION, format_time

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

#: (row, column, column span) of each fact's value: two short facts share a row.
_PLACES = {
    "ID": (0, 1, 1),
    "Status": (0, 3, 1),
    "Service answered": (1, 1, 1),
    "Request": (1, 3, 1),
    "Fail reason": (2, 1, 3),
    "Message": (3, 1, 3),
    "Service": (4, 1, 3),
    "Times": (5, 1, 3),
}


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
    facts["Times"] = times_text(e)
    return facts


def banner_text(e: HistoryEntry) -> tuple[str, bool] | None:
    """The line that stands out at the top, and whether it is an error (else a warning)."""
    if e.state == "failed":
        code = f"HTTP {e.status_code}" if e.status_code else "no status code"
        reason = e.fail_reason or e.message or "no reason given"
        return f"Failed — {code}\n{reason}", True
    if e.state == "send_error":
        return f"Not sent — {e.message}", True
    if e.state == "unknown":
        return f"Unknown — {e.message}", False
    return None


def _clock(ts: float) -> str:
    return time.strftime("%H:%M:%S", time.localtime(ts))


def times_text(e: HistoryEntry) -> str:
    """Created, waited, ran, total, as polling observed them."""
    t = observed_timings(e.created_at, e.sent_at, e.pending_at, e.in_progress_at, e.finished_at)
    parts = [f"created {format_time(e.created_at)}"]
    if e.sent_at is not None:
        parts.append(f"accepted after {format_duration(max(0.0, e.sent_at - e.created_at))}")
    if t.waited is not None:
        parts.append(f"waited {format_duration(t.waited)}")
    elif e.state == "pending" and e.sent_at is not None:
        parts.append(f"waiting since {_clock(e.sent_at)}")
    if t.ran is not None:
        parts.append(f"ran {format_duration(t.ran)}")
    elif e.state == "in_progress" and e.in_progress_at is not None:
        parts.append(f"running since {_clock(e.in_progress_at)}")
    elif t.started_unseen:
        parts.append("started and finished between two checks")
    if t.total is not None:
        parts.append(f"total {format_duration(t.total)}")
    text = " · ".join(parts)
    if e.pending_at is not None or e.in_progress_at is not None or e.finished_at is not None:
        text += " (observed at the polling interval's precision)"
    return text


class FactsPanel(QWidget):
    """The failure banner (``failureBanner``) above a grid of facts (``fact<Name>``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.banner = QLabel()
        self.banner.setObjectName("failureBanner")
        self.banner.setWordWrap(True)
        self.banner.setTextFormat(Qt.TextFormat.PlainText)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(2)
        self.values: dict[str, QLabel] = {}
        self._names: dict[str, QLabel] = {}
        for key in FACTS:
            row, col, span = _PLACES[key]
            name = QLabel(key)
            name.setObjectName("factName" + key.title().replace(" ", ""))
            name.setStyleSheet("color: palette(placeholder-text);")
            value = QLabel()
            value.setObjectName("fact" + key.title().replace(" ", ""))
            value.setWordWrap(True)
            value.setTextFormat(Qt.TextFormat.PlainText)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            name.setBuddy(value)
            grid.addWidget(name, row, col - 1)
            grid.addWidget(value, row, col, 1, span)
            self.values[key] = value
            self._names[key] = name
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        self.values["ID"].setStyleSheet("font-weight: bold;")
        self.values["Fail reason"].setStyleSheet("color: #d93025; font-weight: bold;")
        self.values["Times"].setToolTip(TIMING_PRECISION)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.banner)
        layout.addLayout(grid)
        # Never squeeze the banner or the facts: the output below gives up the room.
        for widget in (self, self.banner):
            policy = widget.sizePolicy()
            policy.setVerticalPolicy(QSizePolicy.Policy.Minimum)
            widget.setSizePolicy(policy)
        self.show_entry(None)

    def show_entry(self, entry: HistoryEntry | None) -> None:
        facts = facts_of(entry) if entry is not None else {}
        for key, label in self.values.items():
            value = facts.get(key)
            label.setText(value or "")
            label.setVisible(value is not None)
            self._names[key].setVisible(value is not None)
        banner = banner_text(entry) if entry is not None else None
        self.banner.setVisible(banner is not None)
        if banner is not None:
            text, severe = banner
            self.banner.setText(text)
            color, background = ("#b3261e", "#fdecea") if severe else ("#7a5300", "#fff4d6")
            style = (
                f"QLabel {{ color: {color}; background: {background}; font-weight: bold;"
                f" border: 1px solid {color}; border-radius: 4px; padding: 6px; }}"
            )
            if self.banner.styleSheet() != style:  # re-polishing costs a moment
                self.banner.setStyleSheet(style)

    def fact(self, key: str) -> str:
        """The text shown for one fact (empty when hidden)."""
        label = self.values[key]
        return label.text() if not label.isHidden() else ""
