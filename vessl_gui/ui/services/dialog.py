"""The dialog that edits a service: base URL, TLS verification, CA bundle, timeouts."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QDialog, QFormLayout, QLineEdit, QWidget

from vessl_gui.core.profiles import Profile
from vessl_gui.core.validation import MAX_TIMEOUT, MIN_TIMEOUT


class ServiceDialog(QDialog):
    """A service's base URL, TLS verification, CA bundle and timeouts."""

    def __init__(self, profile: Profile, parent: QWidget | None = None) -> None:
        # Imported here: their Python types (and enums) cost start-up time.
        from PySide6.QtWidgets import QCheckBox, QDialogButtonBox, QDoubleSpinBox

        super().__init__(parent)
        self.setObjectName("serviceDialog")
        self.setWindowTitle(f"Service {profile.name}")
        self._profile = profile
        self.base_url = QLineEdit(profile.base_url)
        self.verify = QCheckBox("Verify TLS certificates (recommended)")
        self.verify.setChecked(profile.verify_tls)
        self.ca_bundle = QLineEdit(profile.ca_bundle or "")
        self.ca_bundle.setPlaceholderText("PEM file of a private certificate authority (optional)")
        self.connect_timeout = QDoubleSpinBox()
        self.read_timeout = QDoubleSpinBox()
        for box, value in (
            (self.connect_timeout, profile.connect_timeout),
            (self.read_timeout, profile.read_timeout),
        ):
            box.setRange(MIN_TIMEOUT, MAX_TIMEOUT)
            box.setDecimals(1)
            box.setSuffix(" s")
            box.setValue(value)
        form = QFormLayout(self)
        form.addRow("Base URL", self.base_url)
        form.addRow("", self.verify)
        form.addRow("CA bundle", self.ca_bundle)
        form.addRow("Connect timeout", self.connect_timeout)
        form.addRow("Read timeout", self.read_timeout)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def edited(self) -> Profile:
        return replace(
            self._profile,
            base_url=self.base_url.text().strip(),
            verify_tls=self.verify.isChecked(),
            ca_bundle=self.ca_bundle.text().strip() or None,
            connect_timeout=self.connect_timeout.value(),
            read_timeout=self.read_timeout.value(),
        )
