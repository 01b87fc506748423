"""The details pane's shell: one widget for the life of the window, content built later.

The window builds an :class:`OutputPane` with itself.  It carries the contract's
names (``outputView``, "Request details and output") and at first only says
"Select a request in the history to see its details."; the real content (the
facts, the tabs, the buttons: :class:`~vessl_gui.ui.output.view.OutputView`,
``outputContent``) is built inside it when it is first needed (the first row
selected, or the first idle moment after the services start), because its
modules and widgets (~30 ms) would delay the first frame.  The pane itself stays:
what found it once (a script, a screen reader) keeps finding it.

This module imports nothing heavy: no other output module, no ``core.outputs``
(tests/ui/test_startup_laziness.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from vessl_gui.ui.output.empty import PLACEHOLDER

if TYPE_CHECKING:
    from PySide6.QtWidgets import QPlainTextEdit, QPushButton

    from vessl_gui.core.models import HistoryEntry
    from vessl_gui.ui.output.view import OutputView


class OutputPane(QWidget):
    """The details pane (``outputView``): its content is built on first use.

    It offers what the window uses (:meth:`show_entry`, :meth:`show_reading`,
    :meth:`entry`) and builds the content for it; :attr:`content` is the rest.

    Signals (the content's, passed on):
        copy_requested(str what, str text): the user asked to copy text.
        message(str text): something to tell the user.
    """

    copy_requested = Signal(str, str)
    message = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outputView")
        self.setAccessibleName("Request details and output")
        self._content: OutputView | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(4, 4, 4, 4)
        self._waiting: QLabel | None = QLabel(PLACEHOLDER)
        self._waiting.setObjectName("detailsPlaceholderLabel")
        self._layout.addWidget(self._waiting)
        self._layout.addStretch(1)

    # -- the content ----------------------------------------------------------------------

    def is_built(self) -> bool:
        """True once the content exists (nothing else builds it but :attr:`content`)."""
        return self._content is not None

    @property
    def content(self) -> OutputView:
        """The facts, tabs and buttons; built (in place of the waiting text) on first use."""
        if self._content is None:
            from vessl_gui.ui.output.view import OutputView

            content = OutputView()
            content.copy_requested.connect(self.copy_requested)
            content.message.connect(self.message)
            layout = self._layout
            while layout.count():  # the waiting text and the stretch under it
                layout.takeAt(0)
            if self._waiting is not None:
                self._waiting.hide()
                self._waiting.deleteLater()
                self._waiting = None
            layout.setContentsMargins(0, 0, 0, 0)  # the content has the same margins
            layout.addWidget(content)
            content.show()  # now, not at the next event loop pass (the pane may be shown)
            self._content = content
        return self._content

    # -- what the window uses ---------------------------------------------------------------

    def entry(self) -> HistoryEntry | None:
        """The row shown (None while the content is not built: nothing is shown)."""
        return self._content.entry() if self._content is not None else None

    def show_entry(self, entry: HistoryEntry | None) -> None:
        self.content.show_entry(entry)

    def show_reading(self, text: str) -> None:
        self.content.show_reading(text)

    # -- what tests and scripts read through the window --------------------------------------

    def fact(self, key: str) -> str:
        return self.content.fact(key)

    @property
    def placeholder(self) -> QLabel:
        """The content's "Select a request …" label (the empty state's words)."""
        return self.content.placeholder

    @property
    def text(self) -> QPlainTextEdit:
        return self.content.text

    @property
    def copy_output_button(self) -> QPushButton:
        return self.content.copy_output_button
