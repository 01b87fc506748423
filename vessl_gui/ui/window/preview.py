"""Request ▸ Preview: the exact create call Send would make, variables replaced.

The body is the bytes that go out (``AsyncRequest.body()``: ``data`` embedded
byte-exact).  Secret values are shown as ``{{name}}`` (as history keeps them)
unless the user ticks "Show secret values".  Unknown variables and other problems
are listed under the body, and nothing is sent from here.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QWidget

from vessl_gui.core import errors
from vessl_gui.core.models import AsyncRequest, RequestDraft
from vessl_gui.core.validation import validate_draft
from vessl_gui.core.variables import references, resolve
from vessl_gui.ui.composer import Composer
from vessl_gui.ui.ports import StatusLine, Variables
from vessl_gui.ui.window.tokens import TokenController


def preview_texts(draft: RequestDraft, variables: Variables) -> tuple[str, str, str, list[str]]:
    """(the call's first line, the body with secrets as ``{{name}}``, the body as sent,
    the problems) of ``draft``; raises :class:`ValidationError` when it is not valid,
    :class:`CredentialError` when a secret cannot be read."""
    valid = validate_draft(draft, require_token=False)
    request = valid.request
    refs = references(request.path, request.data)
    if not refs:
        body = request.body().decode("utf-8")
        return f"POST {request.create_url}", body, body, []
    values = variables.values_for(request.base_url, {r.name for r in refs})
    r = resolve(request.path, request.data, values)
    shown = AsyncRequest(request.base_url, request.method, r.history_path, r.history_data)
    sent = AsyncRequest(request.base_url, request.method, r.path, r.data)
    problems = [f.describe() for f in r.error.fields] if r.error else []
    return (
        f"POST {request.create_url}",
        shown.body().decode("utf-8"),
        sent.body().decode("utf-8"),
        problems,
    )


class PreviewDialog(QDialog):
    """Shows :func:`preview_texts` (``objectName`` ``previewDialog``)."""

    def __init__(
        self, line: str, shown: str, sent: str, problems: list[str], parent: QWidget | None
    ) -> None:
        from PySide6.QtGui import QFontDatabase
        from PySide6.QtWidgets import (
            QCheckBox,
            QDialogButtonBox,
            QLabel,
            QPlainTextEdit,
            QVBoxLayout,
        )

        super().__init__(parent)
        self.setObjectName("previewDialog")
        self.setWindowTitle("Preview of the request")
        self.resize(720, 480)
        self._shown, self._sent = shown, sent
        layout = QVBoxLayout(self)
        head = QLabel(line)
        head.setObjectName("previewLine")
        head.setWordWrap(True)
        layout.addWidget(head)
        self.body = QPlainTextEdit(shown)
        self.body.setObjectName("previewBody")
        self.body.setAccessibleName("Request body that will be sent")
        self.body.setReadOnly(True)
        self.body.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        layout.addWidget(self.body, 1)
        self.show_secrets = QCheckBox("Show secret &values")
        self.show_secrets.setObjectName("previewShowSecrets")
        self.show_secrets.setEnabled(shown != sent)
        self.show_secrets.toggled.connect(self._toggle)
        layout.addWidget(self.show_secrets)
        self.problems = QLabel(
            "\n".join(f"⚠ {p}" for p in problems)
            if problems
            else "This is exactly what Send would send (plus the Authorization header)."
        )
        self.problems.setObjectName("previewProblems")
        self.problems.setWordWrap(True)
        layout.addWidget(self.problems)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _toggle(self, on: bool) -> None:
        self.body.setPlainText(self._sent if on else self._shown)


def open_preview(
    parent: QWidget, draft: RequestDraft, variables: Variables
) -> PreviewDialog | errors.VesslGuiError:
    """Open the preview (window-modal, not blocking), or return why it cannot be made."""
    from PySide6.QtCore import Qt

    try:
        texts = preview_texts(draft, variables)
    except (errors.ValidationError, errors.CredentialError) as exc:
        return exc
    dialog = PreviewDialog(*texts, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def preview_composer(
    parent: QWidget,
    composer: Composer,
    tokens: TokenController,
    variables: Variables,
    status: StatusLine,
) -> None:
    """Request ▸ Preview for the composer (the keyring opened first if need be)."""
    if not tokens.is_demo_url() and not tokens.ready(
        "preview", lambda: preview_composer(parent, composer, tokens, variables, status)
    ):
        return
    got = open_preview(parent, composer.to_draft(), variables)
    if isinstance(got, errors.ValidationError):
        composer.show_errors(got)
        status.say(f"No preview: {got.fields[0].describe()}")
    elif isinstance(got, errors.VesslGuiError):
        status.say(f"No preview: {got.message}")
