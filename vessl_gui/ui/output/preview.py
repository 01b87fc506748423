"""The readable part of an output: its pictures and its generated text.

Pictures are tiles scaled to fit (click for full size, Save As, Copy image);
generated text is shown wrapped, in the normal font, with a Copy button.
The panel is filled from a :class:`~vessl_gui.core.outputs.Found` and told
when each picture is decoded (that happens on a pool thread).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDir, Qt, Signal, Slot
from PySide6.QtGui import QFont, QGuiApplication, QTextOption
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from vessl_gui.core.outputs import Found, FoundImage, GeneratedText, write_file
from vessl_gui.ui.output.images import Decoded, ImageDialog, ImageTile
from vessl_gui.ui.output.loader import MAX_SHOWN_IMAGES

#: Characters put into a text box (the rest: copy or save).
SHOWN_CHARS = 200_000
#: Text with lines longer than this is cut at :data:`LONG_LINE_SHOWN` characters.
LONG_LINE = 10_000
LONG_LINE_SHOWN = 20_000


def cut_for_display(text: str, limit: int = SHOWN_CHARS) -> str:
    """At most ``limit`` characters of ``text`` for a text box, and far fewer when its lines
    are very long (laying out one 200 000-character line takes Qt over a second)."""
    shown = text[:limit]
    if shown and max(map(len, shown.split("\n"))) > LONG_LINE:
        limit = min(limit, LONG_LINE_SHOWN)
    if len(text) <= limit:
        return text
    return text[:limit] + f"\n\n⟪… {len(text) - limit:,} more characters: copy or save for all⟫"


def text_box(name: str, accessible: str, font: QFont | None = None) -> QPlainTextEdit:
    """A read-only, wrapping text box; with a font (monospace) long lines break anywhere."""
    box = QPlainTextEdit()
    box.setObjectName(name)
    box.setAccessibleName(accessible)
    box.setReadOnly(True)
    if font is not None:
        box.setFont(font)
        box.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    box.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
    return box


class PreviewPanel(QSplitter):
    """Pictures above generated text.

    Signals:
        copy_requested(str what, str text): Copy text was pressed.
        message(str text, bool error): something to tell the user.
    """

    copy_requested = Signal(str, str)
    message = Signal(str, bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Vertical, parent)
        self.setObjectName("outputPreview")
        self.stem = "output"
        """File name stem for saved pictures (the request id)."""
        self.last_dir = QDir.homePath()
        self._found = Found()
        self._tiles: list[ImageTile] = []

        self.images_box = QWidget()
        self.images_row = QHBoxLayout(self.images_box)
        self.images_row.setContentsMargins(0, 0, 0, 0)
        self.images_scroll = QScrollArea()
        self.images_scroll.setObjectName("outputImages")
        self.images_scroll.setWidgetResizable(True)
        self.images_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.images_scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.images_scroll.setWidget(self.images_box)
        self.images_note = QLabel()
        self.images_note.setWordWrap(True)
        self.images_panel = QWidget()
        images_layout = QVBoxLayout(self.images_panel)
        images_layout.setContentsMargins(0, 0, 0, 0)
        images_layout.addWidget(self.images_scroll, 1)
        images_layout.addWidget(self.images_note)

        self.generated_label = QLabel("Generated text")
        self.generated_label.setObjectName("generatedTextLabel")
        self.generated = text_box("generatedText", "Generated text")
        self.generated.setFrameShape(QFrame.Shape.StyledPanel)
        self.copy_text_button = QPushButton("Copy text")
        self.copy_text_button.setObjectName("copyTextButton")
        self.copy_text_button.setAccessibleName("Copy the generated text")
        self.copy_text_button.clicked.connect(self._copy_text)
        head = QHBoxLayout()
        head.addWidget(self.generated_label, 1)
        head.addWidget(self.copy_text_button)
        self.text_box = QWidget()
        text_layout = QVBoxLayout(self.text_box)
        text_layout.setContentsMargins(0, 0, 0, 0)
        text_layout.setSpacing(2)
        text_layout.addLayout(head)
        text_layout.addWidget(self.generated, 1)

        self.addWidget(self.images_panel)
        self.addWidget(self.text_box)

    # -- content --------------------------------------------------------------------

    def clear(self) -> None:
        self._found = Found()
        for tile in self._tiles:
            tile.setParent(None)
            tile.deleteLater()
        self._tiles = []
        self.images_note.clear()
        self.images_panel.hide()
        self.text_box.hide()
        self.generated.clear()
        self.hide()

    def show_found(self, found: Found) -> bool:
        """Show what was found; returns whether there is anything to show."""
        self.clear()
        self._found = found
        texts = found.texts
        if texts:
            names = ", ".join(t.path or "output" for t in texts[:3])
            more = f" and {len(texts) - 3} more" if len(texts) > 3 else ""
            self.generated_label.setText(f"Generated text — {names}{more}")
            if len(texts) == 1:
                body = texts[0].text
            else:
                body = "\n\n".join(f"── {t.path or 'output'} ──\n{t.text}" for t in texts)
            self.generated.setPlainText(cut_for_display(body))
        self.text_box.setVisible(bool(texts))
        for index, image in enumerate(found.images[:MAX_SHOWN_IMAGES]):
            tile = ImageTile(index, image)
            tile.open_requested.connect(self.open_image)
            tile.save_requested.connect(self._save_image_as)
            tile.copy_requested.connect(self.copy_image)
            self.images_row.addWidget(tile, 1)
            self._tiles.append(tile)
        notes = []
        hidden = len(found.images) - MAX_SHOWN_IMAGES
        if hidden > 0:
            notes.append(
                f"{hidden} more image(s) not shown: Save ▸ Save all images saves them all."
            )
        if not found.complete:
            notes.append("The output is too large to search all of it for images and text.")
        self.images_note.setText(" ".join(notes))
        self.images_note.setVisible(bool(notes))
        self.images_panel.setVisible(bool(found.images))
        shown = bool(found.images or texts)
        self.setVisible(shown)
        return shown

    def images(self) -> tuple[FoundImage, ...]:
        return self._found.images

    def texts(self) -> tuple[GeneratedText, ...]:
        return self._found.texts

    def tiles(self) -> list[ImageTile]:
        return list(self._tiles)

    def decoding(self) -> bool:
        """True while a shown picture is neither decoded nor failed."""
        return any(t.decoded is None and t.failed is None for t in self._tiles)

    def image_ready(self, index: int, decoded: Decoded) -> None:
        if 0 <= index < len(self._tiles):
            self._tiles[index].set_decoded(decoded)

    def image_failed(self, index: int, reason: str) -> None:
        if 0 <= index < len(self._tiles):
            self._tiles[index].set_failed(reason)

    # -- actions --------------------------------------------------------------------

    def _decoded_tile(self, index: int) -> ImageTile | None:
        tile = self._tiles[index] if 0 <= index < len(self._tiles) else None
        return tile if tile is not None and tile.decoded is not None else None

    @Slot(int)
    def open_image(self, index: int) -> ImageDialog | None:
        """Show picture ``index`` at full size (non-modal)."""
        tile = self._decoded_tile(index)
        if tile is None or tile.decoded is None:
            return None
        dialog = ImageDialog(tile.found, tile.decoded.image, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.save_requested.connect(lambda: self._save_image_as(index))
        dialog.copy_requested.connect(lambda: self.copy_image(index))
        dialog.show()
        return dialog

    @Slot(int)
    def copy_image(self, index: int) -> None:
        tile = self._decoded_tile(index)
        if tile is None or tile.decoded is None:
            return
        image = tile.decoded.image
        QGuiApplication.clipboard().setImage(image)
        self.message.emit(
            f"Copied the image ({image.width()}×{image.height()}) to the clipboard.", False
        )

    def save_image_to(self, index: int, path: str | Path) -> Path | None:
        """Write picture ``index``'s original bytes (not re-encoded) to ``path``."""
        images = self._found.images
        if not 0 <= index < len(images):
            return None
        try:
            written = write_file(path, images[index].decode())
        except (OSError, ValueError) as e:
            self.message.emit(f"The image was not saved: {e}", True)
            return None
        self.message.emit(f"Saved the image to {written}.", False)
        return written

    @Slot(int)
    def _save_image_as(self, index: int) -> None:
        images = self._found.images
        if not 0 <= index < len(images):
            return
        image = images[index]
        name = f"{self.stem}-{index + 1}.{image.extension}"
        path, _ = QFileDialog.getSaveFileName(
            self,
            "Save image as",
            str(Path(self.last_dir) / name),
            f"{image.format.upper()} image (*.{image.extension});;All files (*)",
        )
        if path:
            self.last_dir = str(Path(path).parent)
            self.save_image_to(index, path)

    def _copy_text(self) -> None:
        texts = self._found.texts
        if texts:
            self.copy_requested.emit("text", "\n\n".join(t.text for t in texts))
