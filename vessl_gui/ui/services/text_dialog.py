"""A dialog that asks for a multi-line text (Request ▸ Import from curl…).

In place of ``QInputDialog.getMultiLineText``, whose text field kept Tab (and so OK
was reachable only with Shift+Tab twice) and had no accessible name (its label is not
tied to it).  Here the label is the field's buddy (a screen reader says what to
paste), Tab leaves the field for OK, and Ctrl+Enter is OK from inside it.
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)


class TextDialog(QDialog):
    """A label, a multi-line field (``textDialogField``), OK and Cancel."""

    def __init__(self, title: str, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("textDialog")
        self.setWindowTitle(title)
        self.resize(560, 260)
        self.label = QLabel(label)
        self.field = QPlainTextEdit()
        self.field.setObjectName("textDialogField")
        self.field.setAccessibleName(label.replace("&", "").rstrip(": "))
        self.field.setTabChangesFocus(True)
        self.label.setBuddy(self.field)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setDefault(True)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        accept = QAction(self)
        accept.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        accept.triggered.connect(self.accept)
        self.addAction(accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.field, 1)
        layout.addWidget(self.buttons)
        # Tab from the field to OK first, whatever side the platform puts OK on.
        QWidget.setTabOrder(self.field, self.ok_button)
        QWidget.setTabOrder(self.ok_button, self.cancel_button)
        self.field.setFocus()

    def text(self) -> str:
        return self.field.toPlainText()


def ask_multiline(parent: QWidget | None, title: str, label: str) -> str | None:
    """The text entered, or None when the dialog was cancelled."""
    dialog = TextDialog(title, label, parent)
    try:
        return dialog.text() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()


__all__ = ["TextDialog", "ask_multiline"]
