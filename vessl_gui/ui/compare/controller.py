"""*History ▸ Compare* (and the row's context menu): two selected rows, compared.

The rows are read, compared (:func:`~vessl_gui.core.compare.compare_entries`) and
their pictures decoded and scaled on a thread; the window opens at once and is
filled in when that is done, so a 5 MB output never freezes the main window.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QWidget

from vessl_gui.core.history import HistoryStore
from vessl_gui.core.models import HistorySummary
from vessl_gui.ui.ports import StatusLine

if TYPE_CHECKING:
    from PySide6.QtGui import QImage

    from vessl_gui.core.compare import Comparison
    from vessl_gui.ui.background import Done, Runner
    from vessl_gui.ui.compare.window import CompareWindow

#: Pictures are shown at most this wide or high in the Images tab.
THUMB = 360

Result = tuple[
    "Comparison",
    tuple[str, str],
    tuple[str, str],
    list[tuple[str, "QImage | None", "QImage | None", bool]],
]


def _title(s: HistorySummary) -> str:
    return f"{s.request_id or f'row {s.row_id}'} ({s.method} {s.path})".replace("  ", " ")


class CompareController(QObject):
    """Opens compare windows (no signals); ``selected()`` is the selection's summaries."""

    def __init__(
        self,
        parent_widget: QWidget,
        store: HistoryStore,
        status: StatusLine,
        *,
        selected: Callable[[], list[HistorySummary]],
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self.parent_widget = parent_widget
        self.store = store
        self.status = status
        self._selected = selected
        self._runner: Runner | None = None
        self.window: CompareWindow | None = None

    def compare_selected(self) -> CompareWindow | None:
        rows = self._selected()
        if len(rows) != 2:
            self.status.say("Select two rows to compare (Ctrl+click the second one).", 5000)
            return None
        return self.compare(rows[0], rows[1])

    def compare(self, left: HistorySummary, right: HistorySummary) -> CompareWindow:
        from vessl_gui.ui.background import Runner
        from vessl_gui.ui.compare.window import CompareWindow

        window = CompareWindow(_title(left), _title(right), self.parent_widget)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.show()
        self.window = window
        if self._runner is None:
            self._runner = Runner("vessl-compare", self)
        store = self.store
        self._runner.submit(
            lambda: _compare(store, left.row_id, right.row_id),
            lambda done: self._done(window, done),
        )
        return window

    def _done(self, window: CompareWindow, done: Done[Result]) -> None:
        import shiboken6

        if not shiboken6.isValid(window):
            return  # closed before the comparison ended
        if done.error is not None:
            window.show_error(f"Could not compare: {done.error}")
            return
        got = done.unwrap()
        assert got is not None
        window.show_comparison(*got)


def _compare(store: HistoryStore, left_id: int, right_id: int) -> Result:
    """On the thread: read both rows, compare them, decode and scale their pictures."""
    from PySide6.QtGui import QImage

    from vessl_gui.core.compare import compare_entries
    from vessl_gui.core.outputs import pretty_json

    left, right = store.get_apart(left_id), store.get_apart(right_id)
    if left is None or right is None:
        raise LookupError("a row is no longer in the history")
    c = compare_entries(left, right)

    def output(e: object) -> str:
        analysis = c.left_output if e is left else c.right_output
        display = getattr(analysis, "display", None)
        if display is not None:
            return str(display.text)
        raw = left.raw_output if e is left else right.raw_output
        return raw or ""

    def picture(found: object) -> QImage | None:
        if found is None:
            return None
        image = QImage.fromData(found.decode())  # type: ignore[attr-defined]
        if image.isNull():
            return image
        return image.scaled(
            THUMB,
            THUMB,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )

    images = [
        (p.path or "(the whole output)", picture(p.left), picture(p.right), p.same)
        for p in c.images[:24]
    ]
    data_l, data_r = pretty_json(left.data), pretty_json(right.data)
    return c, (data_l, output(left)), (data_r, output(right)), images
