"""The row above the composer's form: service switcher, saved requests, and the notice
that offers to save a new base URL as a service (widgets only, no logic)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)


class ServiceBar(QWidget):
    """Service switcher, saved requests and the "save as service" notice (no logic)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.profile_combo = QComboBox()
        self.profile_combo.setObjectName("profileCombo")
        self.profile_combo.setAccessibleName("Service")
        self.profile_combo.setToolTip("Your saved VESSL services (name and base URL)")
        self.profile_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.profile_menu_button = QToolButton()
        self.profile_menu_button.setObjectName("profileMenuButton")
        self.profile_menu_button.setText("Service ▾")
        self.profile_menu_button.setAccessibleName("Service actions")
        self.profile_menu_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.saved_combo = QComboBox()
        self.saved_combo.setObjectName("savedCombo")
        self.saved_combo.setAccessibleName("Saved requests")
        self.saved_combo.setToolTip("Saved requests of this service: pick one to load it")
        self.saved_combo.setMinimumContentsLength(12)
        self.saved_menu_button = QToolButton()
        self.saved_menu_button.setObjectName("savedMenuButton")
        self.saved_menu_button.setText("Saved ▾")
        self.saved_menu_button.setAccessibleName("Saved request actions")
        self.saved_menu_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)

        self.notice = QLabel()
        self.notice.setObjectName("serviceNotice")
        self.notice.setWordWrap(True)
        self.notice_button = QPushButton("Save as service…")
        self.notice_button.setObjectName("saveAsServiceButton")
        self.notice_box = QWidget()
        notice_layout = QHBoxLayout(self.notice_box)
        notice_layout.setContentsMargins(0, 0, 0, 0)
        notice_layout.addWidget(self.notice, 1)
        notice_layout.addWidget(self.notice_button)
        self.notice_box.hide()

        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(2)
        label = QLabel("&Service")
        label.setBuddy(self.profile_combo)
        saved_label = QLabel("Sa&ved")
        saved_label.setBuddy(self.saved_combo)
        grid.addWidget(label, 0, 0)
        grid.addWidget(self.profile_combo, 0, 1)
        grid.addWidget(self.profile_menu_button, 0, 2)
        grid.addWidget(saved_label, 1, 0)
        grid.addWidget(self.saved_combo, 1, 1)
        grid.addWidget(self.saved_menu_button, 1, 2)
        grid.setColumnStretch(1, 1)
        self.profile_menu_button.setText("Service…")
        self.saved_menu_button.setText("Request…")
        for combo in (self.profile_combo, self.saved_combo):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(16)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(grid)
        layout.addWidget(self.notice_box)
