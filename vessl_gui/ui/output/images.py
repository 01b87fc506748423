"""Pictures found in an output: decoding off the GUI thread, tiles, a full-size dialog.

:func:`decode_image` runs on a pool thread: base64 in short slices
(:meth:`FoundImage.decode`), then ``QImageReader.read()`` (which lets other
Python threads run while it decodes) and a preview at most
:data:`PREVIEW_SIDE` pixels wide, so painting a tile never scales a huge
picture on the GUI thread.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QImage,
    QImageReader,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPixmap,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from vessl_gui.core.outputs import FoundImage, breathe
from vessl_gui.core.text import human_size

#: Longest side of the preview a tile paints.
PREVIEW_SIDE = 1024


@dataclass(frozen=True)
class Decoded:
    """A decoded picture: the full image and a preview (both QImage: thread-safe)."""

    image: QImage
    preview: QImage


def _read(data: QByteArray, fmt: str, scaled: QSize | None = None) -> tuple[QImage, str]:
    buffer = QBuffer()
    buffer.setData(data)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer, fmt.encode())
    reader.setAutoTransform(True)
    if scaled is not None:
        reader.setScaledSize(scaled)
    image = reader.read()  # lets other Python threads run while it decodes
    error = reader.errorString()
    buffer.close()
    return image, error


def decode_image(found: FoundImage) -> Decoded:
    """Decode a found image (any thread).  ``ValueError`` says why it could not be read.

    The preview is decoded a second time at its size rather than scaled with
    ``QImage.scaled``, which would hold the interpreter lock the whole time.
    """
    data = QByteArray(found.decode())
    breathe()
    image, error = _read(data, found.format)
    if image.isNull():
        raise ValueError(f"not a readable {found.format.upper()} picture ({error})")
    preview = image
    if max(image.width(), image.height()) > PREVIEW_SIDE:
        size = image.size().scaled(PREVIEW_SIDE, PREVIEW_SIDE, Qt.AspectRatioMode.KeepAspectRatio)
        small, _ = _read(data, found.format, size)
        if not small.isNull():
            preview = small
    return Decoded(image, preview)


def describe(found: FoundImage, image: QImage | None = None) -> str:
    size = f"{image.width()}×{image.height()}, " if image is not None else ""
    where = found.path or "output"
    return f"{found.format.upper()}, {size}{human_size(found.approx_bytes)} — {where}"


class Picture(QWidget):
    """Paints a pixmap scaled to fit (aspect kept, never enlarged past 4×); clickable.

    Signals:
        clicked(): the picture was clicked.
    """

    clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pixmap = QPixmap()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(64, 64)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def set_image(self, image: QImage) -> None:
        self._pixmap = QPixmap.fromImage(image)
        self.updateGeometry()
        self.update()

    def has_picture(self) -> bool:
        return not self._pixmap.isNull()

    def target_rect(self) -> QRectF:
        """Where the pixmap is painted (scaled to fit, centred)."""
        if self._pixmap.isNull():
            return QRectF()
        pw, ph = self._pixmap.width(), self._pixmap.height()
        scale = min(self.width() / pw, self.height() / ph, 4.0)
        w, h = pw * scale, ph * scale
        return QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h)

    def sizeHint(self) -> QSize:
        if self._pixmap.isNull():
            return QSize(160, 120)
        return self._pixmap.size().boundedTo(QSize(480, 360))

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._pixmap.isNull():
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawPixmap(self.target_rect(), self._pixmap, QRectF(self._pixmap.rect()))
        painter.end()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.has_picture():
            self.clicked.emit()
        super().mouseReleaseEvent(event)


class ImageTile(QFrame):
    """One found image: the picture (click for full size), what it is, Save As, Copy.

    Signals:
        open_requested(int index), save_requested(int index), copy_requested(int index)
    """

    open_requested = Signal(int)
    save_requested = Signal(int)
    copy_requested = Signal(int)

    def __init__(self, index: int, found: FoundImage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.index = index
        self.found = found
        self.decoded: Decoded | None = None
        self.failed: str | None = None
        """Why it could not be shown."""
        self.setObjectName(f"imageTile{index}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.picture = Picture()
        self.picture.setAccessibleName(f"Image {index + 1}: {found.path or 'output'}")
        self.picture.setToolTip("Click to see it at full size")
        self.picture.clicked.connect(lambda: self.open_requested.emit(self.index))
        self.setMinimumWidth(220)
        self.status = QLabel("Decoding…")
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption = QLabel(describe(found))
        self.caption.setObjectName("imageCaption")
        # one line, clipped when narrow (a wrapping label would make the tile's height
        # depend on its width and the picture lose its room)
        self.caption.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.caption.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.save_button = QPushButton("Save As…")
        self.save_button.setAccessibleName(f"Save image {index + 1} as")
        self.save_button.clicked.connect(lambda: self.save_requested.emit(self.index))
        self.copy_button = QPushButton("Copy image")
        self.copy_button.setAccessibleName(f"Copy image {index + 1}")
        self.copy_button.clicked.connect(lambda: self.copy_requested.emit(self.index))
        self.copy_button.setEnabled(False)
        row = QHBoxLayout()
        row.addWidget(self.caption, 1)
        row.addWidget(self.save_button)
        row.addWidget(self.copy_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.picture, 1)
        layout.addWidget(self.status)
        layout.addLayout(row)
        self.picture.hide()

    def set_decoded(self, decoded: Decoded) -> None:
        self.decoded = decoded
        self.picture.set_image(decoded.preview)
        self.picture.show()
        self.status.hide()
        self.caption.setText(describe(self.found, decoded.image))
        self.caption.setToolTip(self.caption.text())
        self.copy_button.setEnabled(True)

    def set_failed(self, reason: str) -> None:
        self.failed = reason
        self.status.setText(f"Could not show this image: {reason}")
        self.status.setStyleSheet("color: #b3261e;")
        self.status.setWordWrap(True)


class ImageDialog(QDialog):
    """A picture at full size (scrollable) or fitted to the window.

    Signals:
        save_requested(), copy_requested()
    """

    save_requested = Signal()
    copy_requested = Signal()

    def __init__(self, found: FoundImage, image: QImage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("imageDialog")
        self.setWindowTitle(f"Image — {found.path or 'output'}")
        self.found = found
        self.image = image
        self.label = QLabel()
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setPixmap(QPixmap.fromImage(image))
        self.scroller = QScrollArea()
        self.scroller.setWidget(self.label)
        self.scroller.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.fit = QCheckBox("&Fit to window")
        self.fit.toggled.connect(self._refit)
        info = QLabel(describe(found, image))
        info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        save = QPushButton("&Save As…")
        save.clicked.connect(self.save_requested)
        copy = QPushButton("&Copy image")
        copy.clicked.connect(self.copy_requested)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        row = QHBoxLayout()
        row.addWidget(info, 1)
        row.addWidget(self.fit)
        row.addWidget(save)
        row.addWidget(copy)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.scroller, 1)
        layout.addLayout(row)
        screen = self.screen().availableGeometry().size() if self.screen() else QSize(1200, 800)
        want = QSize(image.width() + 40, image.height() + 80)
        self.resize(want.boundedTo(screen * 0.9).expandedTo(QSize(420, 300)))
        self.fit.setChecked(image.width() > screen.width() or image.height() > screen.height())

    def _refit(self) -> None:
        fit = self.fit.isChecked()
        self.scroller.setWidgetResizable(fit)
        self._scale()

    def _scale(self) -> None:
        if self.fit.isChecked():
            area = self.scroller.viewport().size()
            pixmap = QPixmap.fromImage(
                self.image.scaled(
                    area,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
        else:
            pixmap = QPixmap.fromImage(self.image)
        self.label.setPixmap(pixmap)
        if not self.fit.isChecked():
            self.label.adjustSize()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.fit.isChecked():
            self._scale()
