"""Help ▸ About: version, licence, links, the keyring in use and the data dir."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from vessl_gui import __version__
from vessl_gui.meta import DOCS_URL, HOMEPAGE_URL, LICENSE


def open_about(parent: QWidget, keyring: str, data_dir: Path) -> QMessageBox:
    """Open the About box (window-modal, not blocking; returned for tests)."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication

    box = QMessageBox(parent)
    box.setObjectName("aboutBox")
    box.setWindowTitle("About vessl-gui")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    icon = QGuiApplication.windowIcon()
    if not icon.isNull():
        box.setIconPixmap(icon.pixmap(64, 64))
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setText(
        f"<h3>vessl-gui {escape(__version__)}</h3>"
        "<p>A native desktop client for VESSL Serve asynchronous requests.</p>"
        f"<p>License: {LICENSE}<br>"
        f'<a href="{HOMEPAGE_URL}">{HOMEPAGE_URL}</a> · '
        f'<a href="{DOCS_URL}">VESSL documentation</a></p>'
        f"<p>Keyring: {escape(keyring)}<br>"
        f"Data: {escape(str(data_dir))}</p>"
    )
    box.setStandardButtons(QMessageBox.StandardButton.Close)
    box.open()
    return box
