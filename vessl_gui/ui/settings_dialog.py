"""The Settings dialog and the keyboard shortcut sheet."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from vessl_gui.core.errors import ValidationError
from vessl_gui.core.settings import AppSettings
from vessl_gui.core.validation import MAX_TIMEOUT


def _seconds(value: float, maximum: float, step: float = 1.0) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(0.1, maximum)
    box.setDecimals(1)
    box.setSingleStep(step)
    box.setSuffix(" s")
    box.setValue(value)
    return box


class SettingsDialog(QDialog):
    """Edit :class:`AppSettings`; ``result_settings()`` after ``accept()``."""

    def __init__(self, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle("Settings")
        self._result = settings

        self.connect_timeout = _seconds(settings.connect_timeout, MAX_TIMEOUT)
        self.connect_timeout.setObjectName("connectTimeout")
        self.read_timeout = _seconds(settings.read_timeout, MAX_TIMEOUT, 5)
        self.read_timeout.setObjectName("readTimeout")
        self.verify_tls = QCheckBox("Verify TLS certificates (recommended)")
        self.verify_tls.setObjectName("verifyTls")
        self.verify_tls.setChecked(settings.verify_tls)
        self.ca_bundle = QLineEdit(settings.ca_bundle)
        self.ca_bundle.setObjectName("caBundle")
        self.ca_bundle.setPlaceholderText("PEM file of a private certificate authority (optional)")
        browse = QPushButton("Browse…")
        browse.setObjectName("caBundleBrowse")
        browse.setAccessibleName("Browse for a CA bundle")
        browse.clicked.connect(self._browse)
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca_bundle, 1)
        ca_row.addWidget(browse)
        self.poll_first = _seconds(settings.poll_first, 600)
        self.poll_first.setObjectName("pollFirst")
        self.poll_max = _seconds(settings.poll_max, 3600, 5)
        self.poll_max.setObjectName("pollMax")
        self.notify = QCheckBox("Notify when a request finishes while the window is in the back")
        self.notify.setObjectName("notify")
        self.notify.setChecked(settings.notify)
        self.retention_days = QSpinBox()
        self.retention_days.setObjectName("retentionDays")
        self.retention_days.setRange(0, 36500)
        self.retention_days.setSpecialValueText("keep everything")
        self.retention_days.setSuffix(" days")
        self.retention_days.setValue(settings.retention_days)
        self.retention_rows = QSpinBox()
        self.retention_rows.setObjectName("retentionRows")
        self.retention_rows.setRange(0, 10_000_000)
        self.retention_rows.setSpecialValueText("keep everything")
        self.retention_rows.setSuffix(" rows")
        self.retention_rows.setValue(settings.retention_rows)
        self.error = QLabel()
        self.error.setObjectName("settingsError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #d93025;")
        self.error.hide()

        form = QFormLayout()
        form.addRow("Connect timeout", self.connect_timeout)
        form.addRow("Read timeout", self.read_timeout)
        form.addRow("", self.verify_tls)
        # A row of a field and a button is a layout: addRow(str, layout) would tie its
        # label to nothing (no buddy, so no labelled-by for a screen reader).
        ca_label = QLabel("CA bundle")
        ca_label.setBuddy(self.ca_bundle)
        form.addRow(ca_label, ca_row)
        form.addRow("First status check after", self.poll_first)
        form.addRow("Longest check interval", self.poll_max)
        form.addRow("", self.notify)
        form.addRow("Delete finished rows older than", self.retention_days)
        form.addRow("Keep at most", self.retention_rows)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def current(self) -> AppSettings:
        return AppSettings(
            connect_timeout=self.connect_timeout.value(),
            read_timeout=self.read_timeout.value(),
            verify_tls=self.verify_tls.isChecked(),
            ca_bundle=self.ca_bundle.text().strip(),
            poll_first=self.poll_first.value(),
            poll_max=self.poll_max.value(),
            notify=self.notify.isChecked(),
            retention_days=self.retention_days.value(),
            retention_rows=self.retention_rows.value(),
        )

    def result_settings(self) -> AppSettings:
        return self._result

    @Slot()
    def accept(self) -> None:
        try:
            self._result = self.current().validated()
        except ValidationError as exc:
            self.error.setText("\n".join(f"⚠ {f.message}" for f in exc.fields))
            self.error.show()
            return
        super().accept()

    @Slot()
    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "CA bundle", self.ca_bundle.text(), "PEM files (*.pem *.crt);;All files (*)"
        )
        if path:
            self.ca_bundle.setText(path)


class ShortcutSheet(QDialog):
    """Every action that has a shortcut, in a table."""

    def __init__(self, actions: list[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutSheet")
        self.setWindowTitle("Keyboard shortcuts")
        rows: list[tuple[str, str]] = []
        for action in actions:
            names = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()]
            if names:
                rows.append((action.text().replace("&", "").rstrip("…"), ", ".join(names)))
        self.table = QTableWidget(len(rows), 2)
        self.table.setObjectName("shortcutTable")
        self.table.setAccessibleName("Keyboard shortcuts")
        self.table.setHorizontalHeaderLabels(["Action", "Keys"])
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for i, (text, keys) in enumerate(sorted(rows)):
            self.table.setItem(i, 0, QTableWidgetItem(text))
            item = QTableWidgetItem(keys)
            item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            self.table.setItem(i, 1, item)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(close)
        self.resize(460, 420)

    def entries(self) -> list[tuple[str, str]]:
        out = []
        for i in range(self.table.rowCount()):
            action, keys = self.table.item(i, 0), self.table.item(i, 1)
            if action is not None and keys is not None:
                out.append((action.text(), keys.text()))
        return out
