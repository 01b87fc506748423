"""The composer: base URL, token, method, path and the JSON editor, with Send.

It turns its fields into a :class:`~vessl_gui.core.models.RequestDraft`
(:meth:`Composer.to_draft`), loads one back (:meth:`Composer.load`) and shows
validation errors next to each field (:meth:`Composer.show_errors`).  It
holds no business logic: the main window validates and sends.
"""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from vessl_gui.core.errors import ValidationError
from vessl_gui.core.models import RequestDraft
from vessl_gui.ui.editor import JsonEditor

METHODS = ("POST", "GET", "PUT", "PATCH", "DELETE")

EXAMPLE_DATA = '{\n    "question": "How are you?"\n}\n'


def name_clear_button(edit: QLineEdit, name: str) -> None:
    """Give the clear button of ``edit`` (``setClearButtonEnabled``) a name: it is a
    showing push button, and a screen reader would find it without one."""
    action = edit.findChild(QAction, "_q_qlineeditclearaction")
    if action is not None:
        action.setText(name)  # the button takes its name from its action's text


def _stops(widget: QWidget) -> bool:
    return bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus) and widget.focusProxy() is None


def tab_chain(layout: QLayout) -> list[QWidget]:
    """The widgets Tab stops at inside ``layout``, in the order the layout holds them
    (top to bottom, and left to right in a row): the visual order.  A widget with a
    layout of its own is entered; one without comes with the children it lays out
    itself right after it (the data editor's notice, whose links the keyboard reaches;
    an editable combo box's line edit has the combo box as its focus proxy: not a stop)."""
    chain: list[QWidget] = []
    for i in range(layout.count()):
        item = layout.itemAt(i)
        widget = item.widget() if item is not None else None
        inner = widget.layout() if widget is not None else item.layout() if item else None
        if widget is not None and _stops(widget):
            chain.append(widget)
        if inner is not None:
            chain += tab_chain(inner)
        elif widget is not None:
            chain += [
                child
                for child in widget.findChildren(
                    QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly
                )
                if not child.isWindow() and _stops(child)
            ]
    return chain


def _error_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setStyleSheet("color: palette(highlight);")
    label.setProperty("role", "error")
    label.hide()
    return label


class Composer(QWidget):
    """The request form.

    Signals:
        send_requested(): the user pressed Send (or Ctrl+Enter).
        base_url_committed(str text): the base URL field lost focus or Enter was pressed.
        save_token_requested(): the user pressed Save next to the token.
        forget_token_requested(): the user chose Forget token.
    """

    send_requested = Signal()
    base_url_committed = Signal(str)
    save_token_requested = Signal()
    forget_token_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tabs_shown = False
        self.setObjectName("composer")

        self.demo_badge = QLabel("Demo service")
        self.demo_badge.setObjectName("demoBadge")
        self.demo_badge.setAccessibleName("Demo service")
        self.demo_badge.setToolTip(
            "Connected to the built-in local emulator on 127.0.0.1: no VESSL account needed"
        )
        self.demo_badge.setStyleSheet(
            "QLabel { background: #6f42c1; color: white; border-radius: 4px; padding: 2px 8px;"
            " font-weight: bold; }"
        )
        self.demo_badge.hide()

        self.base_url_edit = QLineEdit()
        self._name(self.base_url_edit, "baseUrlEdit", "Base URL")
        self.base_url_edit.setPlaceholderText("https://serve-api.vessl.ai/api/v1/services/<slug>")
        self.base_url_edit.setClearButtonEnabled(True)
        name_clear_button(self.base_url_edit, "Clear base URL")
        self.base_url_edit.editingFinished.connect(self._commit_base_url)
        self.base_url_error = _error_label("baseUrlError")

        self.token_edit = QLineEdit()
        self._name(self.token_edit, "tokenEdit", "Token")
        self.token_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.token_edit.setPlaceholderText("Paste the token from the service's Request dialog")
        self.reveal_button = QPushButton("Show")
        self.reveal_button.setObjectName("revealTokenButton")
        self.reveal_button.setAccessibleName("Show token")
        self.reveal_button.setCheckable(True)
        self.reveal_button.setToolTip("Show or hide the token")
        self.reveal_button.toggled.connect(self._reveal)
        self.save_token_button = QPushButton("Save")
        self.save_token_button.setObjectName("saveTokenButton")
        self.save_token_button.setAccessibleName("Save token in keyring")
        self.save_token_button.setToolTip("Save the token in the system keyring for this base URL")
        self.save_token_button.clicked.connect(self.save_token_requested)
        self.forget_token_button = QPushButton("Forget")
        self.forget_token_button.setObjectName("forgetTokenButton")
        self.forget_token_button.setAccessibleName("Forget token")
        self.forget_token_button.setToolTip("Remove this base URL's token from the keyring")
        self.forget_token_button.clicked.connect(self.forget_token_requested)
        self.token_status = QLabel("")
        self.token_status.setObjectName("tokenStatus")
        self.token_status.setWordWrap(True)
        self.token_error = _error_label("tokenError")

        self.method_combo = QComboBox()
        self._name(self.method_combo, "methodCombo", "Method")
        self.method_combo.setEditable(True)
        self.method_combo.addItems(METHODS)
        self.method_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        line_edit = self.method_combo.lineEdit()
        if line_edit is not None:  # the editable combo box's text field: a control too
            line_edit.setAccessibleName("Method")
        self.method_combo.setToolTip("HTTP method used towards your service (any method name)")
        self.method_error = _error_label("methodError")

        self.path_edit = QLineEdit()
        self._name(self.path_edit, "pathEdit", "Path")
        self.path_edit.setPlaceholderText("/  (e.g. /predictions/my-model, /v1/completions)")
        self.path_error = _error_label("pathError")

        self.data_editor = JsonEditor()
        self._name(self.data_editor, "dataEditor", "Data (JSON)")
        self.data_error = _error_label("dataError")
        # Live validation: "⚠ line L, column C: …" under the editor, hidden when valid.
        self.data_editor.set_error_label(self.data_error)

        self.send_button = QPushButton("Send")
        self._name(self.send_button, "sendButton", "Send")
        self.send_button.setDefault(True)
        shortcut = QKeySequence("Ctrl+Return").toString(QKeySequence.SequenceFormat.NativeText)
        self.send_button.setToolTip(f"Send the request ({shortcut})")
        self.send_button.clicked.connect(self.send_requested)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(
            self._buddy("&Base URL", self.base_url_edit),
            self._stack(self.base_url_edit, self.base_url_error),
        )
        token_row = QHBoxLayout()
        token_row.setContentsMargins(0, 0, 0, 0)
        token_row.addWidget(self.token_edit, 1)
        token_row.addWidget(self.reveal_button)
        token_row.addWidget(self.save_token_button)
        token_row.addWidget(self.forget_token_button)
        token_box = QWidget()
        token_layout = QVBoxLayout(token_box)
        token_layout.setContentsMargins(0, 0, 0, 0)
        token_layout.setSpacing(2)
        token_layout.addLayout(token_row)
        token_layout.addWidget(self.token_status)
        token_layout.addWidget(self.token_error)
        form.addRow(self._buddy("&Token", self.token_edit), token_box)
        method_path = QHBoxLayout()
        method_path.setContentsMargins(0, 0, 0, 0)
        self.method_combo.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        method_path.addWidget(self.method_combo)
        path_label = self._buddy("&Path", self.path_edit)
        method_path.addWidget(path_label)
        method_path.addWidget(self.path_edit, 1)
        mp_box = QWidget()
        mp_layout = QVBoxLayout(mp_box)
        mp_layout.setContentsMargins(0, 0, 0, 0)
        mp_layout.setSpacing(2)
        mp_layout.addLayout(method_path)
        mp_layout.addWidget(self.method_error)
        mp_layout.addWidget(self.path_error)
        form.addRow(self._buddy("&Method", self.method_combo), mp_box)

        data_label = self._buddy("&Data (JSON sent to your service)", self.data_editor)
        data_label.setToolTip(
            "Tab and Shift+Tab indent; Ctrl+Tab and Ctrl+Shift+Tab move to the next or"
            " previous field; Ctrl+Enter sends"
        )
        bottom = QHBoxLayout()
        bottom.addWidget(self.data_error, 1)
        bottom.addWidget(
            self.send_button, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop
        )

        layout = QVBoxLayout(self)
        header = QHBoxLayout()
        title = QLabel("<b>New asynchronous request</b>")
        header.addWidget(title)
        header.addStretch(1)
        header.addWidget(self.demo_badge)
        layout.addLayout(header)
        layout.addLayout(form)
        layout.addWidget(data_label)
        layout.addWidget(self.data_editor, 1)
        layout.addLayout(bottom)

        self._error_labels = {
            "base_url": self.base_url_error,
            "token": self.token_error,
            "method": self.method_error,
            "path": self.path_error,
            "data": self.data_error,
        }
        self._error_fields: dict[str, QWidget] = {
            "base_url": self.base_url_edit,
            "token": self.token_edit,
            "method": self.method_combo,
            "path": self.path_edit,
            "data": self.data_editor,
        }
        self.data_editor.setTabChangesFocus(False)
        self.order_tabs()

    # -- the Tab order ------------------------------------------------------------

    def order_tabs(self) -> None:
        """Make Tab follow the visual order (:func:`tab_chain`), also through what was
        put into the composer's layout from outside: the window's service bar, at the
        top, came after Send (Qt appends a widget added later to the end of the chain).
        Done when built and again when the composer is first shown (by then it is in
        its window: reparenting re-links the chain); call it again after adding a widget
        to a composer already shown."""
        layout = self.layout()
        if layout is None:
            return
        chain = tab_chain(layout)
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    def event(self, e: QEvent) -> bool:
        if e.type() == QEvent.Type.Show and not self._tabs_shown:
            self._tabs_shown = True
            self.order_tabs()
            # The window starts in the base URL (what Qt gave the first stop of the chain
            # before the service bar came first), unless someone chose otherwise.
            if self.window().focusWidget() is None:
                self.base_url_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        return super().event(e)

    @staticmethod
    def _name(widget: QWidget, object_name: str, accessible: str) -> None:
        widget.setObjectName(object_name)
        widget.setAccessibleName(accessible)

    @staticmethod
    def _buddy(text: str, widget: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(widget)
        return label

    @staticmethod
    def _stack(*widgets: QWidget) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        for w in widgets:
            layout.addWidget(w)
        return box

    # -- model in/out ---------------------------------------------------------

    def to_draft(self) -> RequestDraft:
        return RequestDraft(
            base_url=self.base_url_edit.text(),
            method=self.method_combo.currentText(),
            path=self.path_edit.text(),
            data=self.data_editor.toPlainText(),
            token=self.token_edit.text(),
        )

    def load(self, draft: RequestDraft, *, with_token: bool = False) -> None:
        """Fill the fields from a draft (the token only when asked)."""
        self.base_url_edit.setText(draft.base_url)
        self.method_combo.setCurrentText(draft.method or "POST")
        self.path_edit.setText(draft.path)
        self.data_editor.setPlainText(draft.data)
        if with_token:
            self.token_edit.setText(draft.token)

    # -- errors ---------------------------------------------------------------

    def clear_errors(self) -> None:
        for label in self._error_labels.values():
            label.clear()
            label.hide()
        for widget in self._error_fields.values():
            widget.setProperty("invalid", False)
            widget.setStyleSheet("")

    def show_errors(self, error: ValidationError) -> None:
        """Mark each bad field; move to the first one (JSON: to its line and column)."""
        self.clear_errors()
        first: QWidget | None = None
        for field in error.fields:
            label = self._error_labels.get(field.field)
            widget = self._error_fields.get(field.field)
            if label is None or widget is None:
                continue
            label.setText("⚠ " + field.describe())
            label.setStyleSheet("color: #d93025;")
            label.show()
            widget.setProperty("invalid", True)
            widget.setStyleSheet("border: 1px solid #d93025;")
            if first is None:
                first = widget
            if field.field == "data" and field.line is not None and field.column is not None:
                self.data_editor.move_cursor_to(field.line, field.column)
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)
            if first is self.data_editor:
                self.data_editor.moveCursor(QTextCursor.MoveOperation.NoMove)

    def error_text(self, field: str) -> str:
        label = self._error_labels.get(field)
        return label.text() if label is not None and not label.isHidden() else ""

    # -- token ----------------------------------------------------------------

    @Slot(bool)
    def _reveal(self, on: bool) -> None:
        self.token_edit.setEchoMode(
            QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password
        )
        self.reveal_button.setText("Hide" if on else "Show")
        self.reveal_button.setAccessibleName("Hide token" if on else "Show token")

    def set_token_status(self, text: str, *, warning: bool = False) -> None:
        self.token_status.setText(text)
        self.token_status.setStyleSheet("color: #b26a00;" if warning else "")

    @Slot()
    def _commit_base_url(self) -> None:
        self.base_url_committed.emit(self.base_url_edit.text())
