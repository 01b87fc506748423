"""The line-number gutter left of the text, and the layout of the editor's margins
(the gutter on the left, the notice line under the text)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QPlainTextEdit, QWidget


def gutter_width(edit: QPlainTextEdit) -> int:
    """Room for the largest line number of ``edit`` (at least two digits)."""
    digits = len(str(max(1, edit.blockCount())))
    return 10 + edit.fontMetrics().horizontalAdvance("9") * max(2, digits)


class LineNumberArea(QWidget):
    """The gutter (``objectName`` ``dataEditorGutter``): paints the numbers of the
    visible lines of its editor, the current one in the text colour."""

    def __init__(self, editor: QPlainTextEdit) -> None:
        super().__init__(editor)
        self._editor = editor
        self._colors: dict[str, QColor] = {}
        self.setObjectName("dataEditorGutter")
        # Its background is its palette's Window colour (set by the editor), filled by
        # Qt: QPainter.fillRect from Python would first create QGradient's Python types.
        self.setAutoFillBackground(True)

    def sizeHint(self) -> QSize:
        return QSize(gutter_width(self._editor), 0)

    def set_colors(self, colors: dict[str, QColor]) -> None:
        """Use ``colors["gutter"]`` (background), ``["gutter_text"]``, ``["gutter_current"]``."""
        self._colors = colors
        gutter_pal = self.palette()
        gutter_pal.setColor(QPalette.ColorRole.Window, colors["gutter"])
        self.setPalette(gutter_pal)
        self.update()

    def follow(self, rect: QRect, dy: int) -> None:
        """Scroll or repaint with the editor's viewport (its ``updateRequest``)."""
        if dy:
            self.scroll(0, dy)
        else:
            self.update(0, rect.y(), self.width(), rect.height())

    def paintEvent(self, event: QPaintEvent) -> None:
        editor = self._editor
        painter = QPainter(self)
        block = editor.firstVisibleBlock()
        number = block.blockNumber()
        offset = editor.contentOffset()
        top = round(editor.blockBoundingGeometry(block).translated(offset).top())
        bottom = top + round(editor.blockBoundingRect(block).height())
        current = editor.textCursor().blockNumber()
        width = self.width() - 5
        height = editor.fontMetrics().height()
        clip = event.rect()
        while block.isValid() and top <= clip.bottom():
            if block.isVisible() and bottom >= clip.top():
                painter.setPen(
                    self._colors["gutter_current" if number == current else "gutter_text"]
                )
                painter.drawText(
                    QRect(0, top, width, height), int(Qt.AlignmentFlag.AlignRight), str(number + 1)
                )
            block = block.next()
            top = bottom
            bottom = top + round(editor.blockBoundingRect(block).height())
            number += 1
        painter.end()


def lay_out_margins(edit: QPlainTextEdit, gutter: QWidget, notice: QWidget) -> None:
    """Make room for ``gutter`` left of the viewport and ``notice`` (when shown) under it."""
    cr = edit.contentsRect()
    gw = gutter_width(edit)
    nh = 0
    if notice.isVisibleTo(edit):
        nh = notice.heightForWidth(max(50, cr.width()))
    edit.setViewportMargins(gw, 0, 0, nh)
    vp = viewport_rect(edit, cr, gw, nh)
    gutter.setGeometry(QRect(cr.left(), vp.top(), gw, vp.height()))
    if nh:
        notice.setGeometry(QRect(cr.left(), vp.bottom() + 1, vp.right() - cr.left() + 1, nh))


def viewport_rect(edit: QPlainTextEdit, cr: QRect, left: int, bottom: int) -> QRect:
    """``viewport().geometry()`` with these margins, worked out from the scroll bars:
    the first ``viewport()`` call makes PySide create the Python type of every
    QWidget subclass (~10 ms), at start-up before the first frame."""
    right = cr.right()
    end = cr.bottom() + 1
    origin = QPoint(0, 0)
    vertical = edit.verticalScrollBar()
    if vertical.isVisibleTo(edit):
        right = vertical.mapTo(edit, origin).x() - 1
    horizontal = edit.horizontalScrollBar()
    if horizontal.isVisibleTo(edit):
        end = horizontal.mapTo(edit, origin).y()
    return QRect(cr.left() + left, cr.top(), right - cr.left() - left + 1, end - bottom - cr.top())


__all__ = ["LineNumberArea", "gutter_width", "lay_out_margins", "viewport_rect"]
