"""What can be done with the shown row: copy it, save it (the details pane's buttons).

Copy ID / Copy output / Copy raw and Save (output as ``.json``, ``raw_output`` as
a file, every picture into a folder), with the notice above the buttons that says
what happened.  :class:`OutputActions` is the base of
:class:`~vessl_gui.ui.output.view.OutputView`: it holds the shown row, the pane's
signals and these actions; the view adds the facts and the tabs.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDir, Qt, Signal, Slot
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QMenu, QPushButton, QWidget

from vessl_gui.core.models import HistoryEntry
from vessl_gui.core.outputs import (
    FoundImage,
    pretty_json,
    save_images,
    save_output_json,
    save_raw_output,
)
from vessl_gui.ui.output.preview import PreviewPanel


def output_text(entry: HistoryEntry) -> str:
    """The output to copy: pretty JSON (the text as is past 2 MB), else the raw output."""
    if entry.output_json is not None:
        return pretty_json(entry.output_json)
    return entry.raw_output or ""


class OutputActions(QWidget):
    """The shown row, the pane's signals, and the copy and save actions on that row.

    Signals:
        copy_requested(str what, str text): the user asked to copy text (the window puts
            it on the clipboard and says so).
        message(str text): something to tell the user (saved files, copied image, errors).
    """

    copy_requested = Signal(str, str)
    message = Signal(str)

    #: The pictures and their file names' stem (made by the view with its tabs).
    preview: PreviewPanel

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._entry: HistoryEntry | None = None
        self._last_dir = QDir.homePath()
        self._build_buttons()

    def _build_buttons(self) -> None:
        self.notice = QLabel()
        self.notice.setObjectName("outputNotice")
        self.notice.setWordWrap(True)
        self.notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notice.hide()
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
        # Alt+A: Alt+S is the composer's Service (an ambiguous mnemonic takes turns).
        self.save_button = QPushButton("S&ave")
        self.save_button.setObjectName("saveOutputButton")
        self.save_button.setAccessibleName("Save the output")
        menu = QMenu(self.save_button)
        self.save_output_action = menu.addAction("Save output as JSON…")
        self.save_output_action.triggered.connect(self._save_output)
        self.save_raw_action = menu.addAction("Save raw output…")
        self.save_raw_action.triggered.connect(self._save_raw)
        self.save_images_action = menu.addAction("Save all images to a folder…")
        self.save_images_action.triggered.connect(self._save_images)
        self.save_button.setMenu(menu)
        self.buttons = QHBoxLayout()
        self.buttons.addStretch(1)
        for b in (
            self.copy_id_button,
            self.copy_output_button,
            self.copy_raw_button,
            self.save_button,
        ):
            self.buttons.addWidget(b)

    def _enable_actions(self, entry: HistoryEntry | None) -> None:
        """Enable what can be done with ``entry`` (the pictures' action: once found)."""
        has_output = entry is not None and (entry.output_json is not None or entry.raw_output)
        self.copy_id_button.setEnabled(entry is not None and bool(entry.request_id))
        self.copy_output_button.setEnabled(bool(has_output))
        self.copy_raw_button.setEnabled(entry is not None and entry.raw_output is not None)
        self.save_button.setEnabled(bool(has_output))
        self.save_output_action.setEnabled(entry is not None and entry.output_json is not None)
        self.save_raw_action.setEnabled(entry is not None and entry.raw_output is not None)

    # -- what is shown --------------------------------------------------------------------

    def entry(self) -> HistoryEntry | None:
        return self._entry

    def images(self) -> tuple[FoundImage, ...]:
        return self.preview.images()

    # -- saving ---------------------------------------------------------------------------

    def save_output_to(self, path: str | Path) -> Path | None:
        """Save ``output`` (as received, JSON) to ``path``; says what happened."""
        e = self._entry
        if e is None or e.output_json is None:
            self._say("There is no JSON output to save.", True)
            return None
        try:
            written = save_output_json(path, e.output_json)
        except OSError as exc:
            self._say(f"The output was not saved: {exc}", True)
            return None
        self._say(f"Saved the output to {written}.")
        return written

    def save_raw_to(self, path: str | Path) -> Path | None:
        """Save ``raw_output`` exactly to ``path``; says what happened."""
        e = self._entry
        if e is None or e.raw_output is None:
            self._say("There is no raw output to save.", True)
            return None
        try:
            written = save_raw_output(path, e.raw_output)
        except OSError as exc:
            self._say(f"The raw output was not saved: {exc}", True)
            return None
        self._say(f"Saved the raw output to {written}.")
        return written

    def save_images_to(self, folder: str | Path) -> list[Path]:
        """Save every detected picture (also those not shown) into ``folder``."""
        images = self.images()
        if not images:
            self._say("No images were found in this output.", True)
            return []
        try:
            written = save_images(folder, images, self.preview.stem)
        except (OSError, ValueError) as exc:
            self._say(f"The images were not all saved: {exc}", True)
            return []
        self._say(f"Saved {len(written)} image(s) to {folder}.")
        return written

    def _ask_file(self, title: str, name: str, filters: str) -> str:
        path, _ = QFileDialog.getSaveFileName(
            self, title, str(Path(self._last_dir) / name), filters
        )
        if path:
            self._last_dir = str(Path(path).parent)
        return path

    @Slot()
    def _save_output(self) -> None:
        path = self._ask_file(
            "Save output as JSON",
            f"{self.preview.stem}-output.json",
            "JSON (*.json);;All files (*)",
        )
        if path:
            self.save_output_to(path)

    @Slot()
    def _save_raw(self) -> None:
        e = self._entry
        ext = "json" if e is not None and e.output_json is not None else "txt"
        path = self._ask_file("Save raw output", f"{self.preview.stem}-raw.{ext}", "All files (*)")
        if path:
            self.save_raw_to(path)

    @Slot()
    def _save_images(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, "Save all images into the folder", self._last_dir
        )
        if folder:
            self._last_dir = folder
            self.save_images_to(folder)

    @Slot(str, bool)
    def _say(self, text: str, error: bool = False) -> None:
        self.notice.setText(text)
        self.notice.setStyleSheet("color: #b3261e;" if error else "")
        self.notice.show()
        self.message.emit(text)

    # -- copying --------------------------------------------------------------------------

    def _copy_id(self) -> None:
        if self._entry is not None and self._entry.request_id:
            self.copy_requested.emit("id", self._entry.request_id)

    def _copy_output(self) -> None:
        if self._entry is not None:
            self.copy_requested.emit("output", output_text(self._entry))

    def _copy_raw(self) -> None:
        if self._entry is not None and self._entry.raw_output is not None:
            self.copy_requested.emit("raw output", self._entry.raw_output)
