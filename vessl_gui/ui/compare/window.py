"""The *Compare* window: two history rows side by side, and what differs between them.

Tabs for the output and the request data: the two texts side by side, and under
them the differences -- a structural JSON diff (added, removed, changed, by JSON
path) when both sides are JSON, else a line diff in hunks -- and a tab of the
images each output holds, side by side by JSON path.  The window opens at once
saying "Comparing…"; the comparison itself runs off the GUI thread (5 MB outputs
take ~0.1-1.5 s) and fills it in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from PySide6.QtGui import QImage

    from vessl_gui.core.compare import Comparison, PartDiff

#: Characters of each side shown in the side-by-side panes.
SIDE_LIMIT = 2_000_000
KIND_LABELS = {"added": "added", "removed": "removed", "changed": "changed"}


def _mono(name: str, text: str = "") -> QPlainTextEdit:
    edit = QPlainTextEdit(text)
    edit.setObjectName(name)
    edit.setReadOnly(True)
    edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
    edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
    return edit


class PartPane(QWidget):
    """One part (output or request data): both sides, then the differences."""

    def __init__(self, name: str, left_title: str, right_title: str) -> None:
        super().__init__()
        self.setObjectName(f"compare{name}")
        layout = QVBoxLayout(self)
        self.summary = QLabel("Comparing…")
        self.summary.setObjectName(f"compare{name}Summary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        split = QSplitter(Qt.Orientation.Vertical)
        sides = QSplitter(Qt.Orientation.Horizontal)
        self.left = _mono(f"compare{name}Left")
        self.left.setAccessibleName(f"{name} of {left_title}")
        self.right = _mono(f"compare{name}Right")
        self.right.setAccessibleName(f"{name} of {right_title}")
        sides.addWidget(self.left)
        sides.addWidget(self.right)
        split.addWidget(sides)
        self.changes = QTreeWidget()
        self.changes.setObjectName(f"compare{name}Changes")
        self.changes.setAccessibleName(f"Differences of the {name.lower()}")
        self.changes.setHeaderLabels(["JSON path", "Change", "Left", "Right", "Note"])
        self.changes.setRootIsDecorated(False)
        self.text_diff = _mono(f"compare{name}TextDiff")
        self.text_diff.setAccessibleName(f"Line differences of the {name.lower()}")
        split.addWidget(self.changes)
        split.addWidget(self.text_diff)
        self.text_diff.hide()
        layout.addWidget(split, 1)

    def show_part(self, part: PartDiff, left: str, right: str) -> None:
        self.left.setPlainText(left[:SIDE_LIMIT])
        self.right.setPlainText(right[:SIDE_LIMIT])
        self.summary.setText(part.summary() + (f" {part.note}" if part.note else ""))
        self.changes.clear()
        if part.json is not None:
            self.text_diff.hide()
            self.changes.show()
            for c in part.json.changes:
                moved = c.old_path and c.old_path != c.path
                note = c.note + (f" (was at {c.old_path})" if moved else "")
                item = QTreeWidgetItem(
                    [c.path or "(the whole value)", KIND_LABELS[c.kind], c.old, c.new, note]
                )
                item.setToolTip(0, c.path)
                self.changes.addTopLevelItem(item)
            more = part.json.total - len(part.json.changes)
            if more > 0:
                self.changes.addTopLevelItem(QTreeWidgetItem(["", f"… {more} more", "", "", ""]))
            for col in range(3):
                self.changes.resizeColumnToContents(col)
        elif part.text is not None:
            self.changes.hide()
            self.text_diff.show()
            lines = []
            for hunk in part.text.hunks:
                lines.append(hunk.header)
                lines.extend(f"{d.tag} {d.text}" for d in hunk.lines)
            if part.text.note:
                lines.append(part.text.note)
            self.text_diff.setPlainText("\n".join(lines) or "The texts are the same.")
        else:
            self.changes.hide()
            self.text_diff.hide()


class CompareWindow(QDialog):
    """Two rows compared (``objectName`` ``compareWindow``); non-modal."""

    def __init__(self, left_title: str, right_title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("compareWindow")
        self.setWindowTitle(f"Compare {left_title} and {right_title}")
        self.setModal(False)
        self.resize(1100, 760)
        layout = QVBoxLayout(self)
        self.heading = QLabel(f"Left: {left_title}    Right: {right_title}")
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        self.summary = QLabel("Comparing…")
        self.summary.setObjectName("compareSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.tabs = QTabWidget()
        self.output = PartPane("Output", left_title, right_title)
        self.data = PartPane("Data", left_title, right_title)
        self.images = QWidget()
        self.images.setObjectName("compareImages")
        self._images_layout = QVBoxLayout(self.images)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.images)
        self.tabs.addTab(self.output, "&Output")
        self.tabs.addTab(self.data, "Request &data")
        self.tabs.addTab(scroll, "&Images")
        layout.addWidget(self.tabs, 1)
        self.comparison: Comparison | None = None

    def show_comparison(
        self,
        c: Comparison,
        left: tuple[str, str],
        right: tuple[str, str],
        images: list[tuple[str, QImage | None, QImage | None, bool]],
    ) -> None:
        """``left``/``right``: (request data, output text) of each side; ``images``:
        (path, left picture, right picture, same) scaled for the tab."""
        self.comparison = c
        self.summary.setText(c.summary())
        self.output.show_part(c.output, left[1], right[1])
        self.data.show_part(c.data, left[0], right[0])
        from PySide6.QtGui import QPixmap

        for path, a, b, same in images:
            row = QHBoxLayout()
            row.addWidget(QLabel(path + ("" if same else "  (different)")))
            for picture in (a, b):
                label = QLabel("—")
                label.setAlignment(Qt.AlignmentFlag.AlignCenter)
                if picture is not None and not picture.isNull():
                    label.setPixmap(QPixmap.fromImage(picture))
                row.addWidget(label, 1)
            self._images_layout.addLayout(row)
        if not images:
            self._images_layout.addWidget(QLabel("Neither output holds a picture."))
        self._images_layout.addStretch(1)
        self.tabs.setTabText(2, f"&Images ({len(images)})")

    def show_error(self, text: str) -> None:
        self.summary.setText(text)
        for pane in (self.output, self.data):
            pane.summary.setText("")
