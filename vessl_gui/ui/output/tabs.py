"""The details pane's tabs and the widgets in them.

* **Output**: the pictures and the generated text
  (:class:`~vessl_gui.ui.output.preview.PreviewPanel`) above the output as a tree
  (Copy value / Copy path) next to the pretty-printed JSON (``text``), and the
  "Reading the output…" label shown instead while a large output is read.
* **Raw**: ``raw_output`` as the service sent it.
* **Sent**: the request that was sent.

:class:`OutputTabs` only builds them; :class:`~vessl_gui.ui.output.view.OutputView`
fills them.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from vessl_gui.ui.output.preview import PreviewPanel, text_box
from vessl_gui.ui.output.tree import JsonTreeView

TAB_OUTPUT, TAB_RAW, TAB_SENT = range(3)


def _mono() -> QFont:
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setStyleHint(QFont.StyleHint.Monospace)
    return font


class OutputTabs(QTabWidget):
    """The Output, Raw and Sent tabs (``outputTabs``), empty."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preview = PreviewPanel()

        self.tree = JsonTreeView()
        self.copy_value_button = QPushButton("Copy value")
        self.copy_value_button.setObjectName("copyValueButton")
        self.copy_value_button.setToolTip("Copy the selected node's value (Ctrl+C in the tree)")
        self.copy_value_button.clicked.connect(self.tree.copy_value)
        self.copy_path_button = QPushButton("Copy path")
        self.copy_path_button.setObjectName("copyPathButton")
        self.copy_path_button.setToolTip("Copy the selected node's JSON path, e.g. choices[0].text")
        self.copy_path_button.clicked.connect(self.tree.copy_path)
        tree_buttons = QHBoxLayout()
        tree_buttons.addStretch(1)
        tree_buttons.addWidget(self.copy_value_button)
        tree_buttons.addWidget(self.copy_path_button)
        tree_box = QWidget()
        tree_layout = QVBoxLayout(tree_box)
        tree_layout.setContentsMargins(0, 0, 0, 0)
        tree_layout.setSpacing(2)
        tree_layout.addWidget(self.tree, 1)
        tree_layout.addLayout(tree_buttons)

        mono = _mono()
        self.text = text_box("outputText", "Output", mono)
        self.json_note = QLabel()
        self.json_note.setObjectName("outputNote")
        self.json_note.setWordWrap(True)
        pretty_box = QWidget()
        pretty_layout = QVBoxLayout(pretty_box)
        pretty_layout.setContentsMargins(0, 0, 0, 0)
        pretty_layout.setSpacing(2)
        pretty_layout.addWidget(self.json_note)
        pretty_layout.addWidget(self.text, 1)

        self.json_split = QSplitter(Qt.Orientation.Horizontal)
        self.json_split.setObjectName("outputJsonSplitter")
        self.json_split.addWidget(tree_box)
        self.json_split.addWidget(pretty_box)
        self.json_split.setSizes([1, 1])

        self.output_split = QSplitter(Qt.Orientation.Vertical)
        self.output_split.setObjectName("outputSplitter")
        self.output_split.addWidget(self.preview)
        self.output_split.addWidget(self.json_split)
        self.output_split.setChildrenCollapsible(False)
        self.loading = QLabel()
        self.loading.setObjectName("outputLoading")
        self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        output_tab = QWidget()
        output_layout = QVBoxLayout(output_tab)
        output_layout.setContentsMargins(0, 0, 0, 0)
        output_layout.addWidget(self.loading, 1)
        output_layout.addWidget(self.output_split, 1)

        self.raw_text = text_box("rawOutputText", "Raw output", mono)
        self.sent_text = text_box("sentText", "The request that was sent", mono)
        self.setObjectName("outputTabs")
        self.setDocumentMode(True)
        # Mnemonics the window has nowhere else: Alt+R is the Request menu, Alt+E Edit.
        self.addTab(output_tab, "&Output")
        self.addTab(self.raw_text, "Ra&w")
        self.addTab(self.sent_text, "Se&nt")
