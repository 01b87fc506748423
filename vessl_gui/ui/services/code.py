"""Code in and out of the composer: import a curl command, copy as curl or Python.

Nothing pasted is ever run: :func:`~vessl_gui.core.snippets.parse_curl` reads it
as text.  A token found in the command is used only if the user says so; the
code copied reads ``$TOKEN`` unless the user chose "include token".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QObject, Slot

from vessl_gui.core import errors
from vessl_gui.core.models import RequestDraft
from vessl_gui.core.validation import validate_draft
from vessl_gui.core.variables import Variable
from vessl_gui.ui.composer import Composer
from vessl_gui.ui.ports import Clipboard, StatusLine, Tokens
from vessl_gui.ui.services.drafts import DraftKeeper


class Asking(Protocol):
    """The dialogs code import needs (the services controller's, replaced in tests)."""

    def confirm(self, title: str, text: str) -> bool: ...

    def ask_multiline(self, title: str, label: str) -> str | None: ...


class CodeInOut(QObject):
    """Import from curl and copy as curl/Python for the composer (no signals).

    ``base_url_set(url)`` is called when an import put a new base URL in the composer.
    """

    def __init__(
        self,
        composer: Composer,
        status: StatusLine,
        clipboard: Clipboard,
        tokens: Tokens,
        drafts: DraftKeeper,
        asking: Asking,
        *,
        base_url_set: Callable[[str], None],
        variables_of: Callable[[str], tuple[Variable, ...]],
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self.composer = composer
        self.status = status
        self.clipboard = clipboard
        self.tokens = tokens
        self.drafts = drafts
        self.asking = asking
        self._base_url_set = base_url_set
        self._variables_of = variables_of
        composer.base_url_edit.textEdited.connect(self._maybe_import_from_base_url)

    def _say(self, text: str, timeout: int = 8000) -> None:
        self.status.say(text, timeout)

    @Slot(str)
    def _maybe_import_from_base_url(self, text: str) -> None:
        stripped = text.lstrip()
        if stripped.startswith(("curl ", "curl\t")) or (
            stripped.startswith(("echo ", "cat ")) and "curl" in stripped
        ):
            self.import_curl(text)

    @Slot()
    def import_curl_dialog(self) -> None:
        text = self.asking.ask_multiline("Import from curl", "&Paste a curl command:")
        if text:
            self.import_curl(text)

    def import_curl(self, text: str) -> bool:
        """Fill the composer from a curl command; report what was not understood."""
        from vessl_gui.core.snippets import parse_curl

        got = parse_curl(text)
        c = self.composer
        if got.kind == "unknown" or not got.base_url:
            why = "; ".join(got.problems) or "no URL found"
            self._say(f"Could not import the curl command: {why}", 0)
            return False
        with self.drafts.loading():
            c.base_url_edit.setText(got.base_url)
            if got.method is not None:
                c.method_combo.setCurrentText(got.method)
            if got.path is not None:
                c.path_edit.setText(got.path)
            if got.data is not None:
                c.data_editor.setPlainText(got.data)
        self.drafts.schedule()
        self._base_url_set(got.base_url)
        if got.token and self.asking.confirm(
            "Use the token from the command?",
            "The pasted command contains a token. Use it for this service and keep it in "
            "the system keyring?",
        ):
            c.token_edit.setText(got.token)
            self.tokens.remember(got.base_url, got.token)
        parts = [f"Imported a {got.kind} command for {got.base_url}."]
        if got.kind == "output" and got.request_id:
            parts.append(f"It fetches the output of {got.request_id}.")
        if got.problems:
            parts.append("Not used: " + "; ".join(got.problems))
        self._say(" ".join(parts), 0)
        return True

    def copy_composer(self, kind: str, include_token: bool = False) -> None:
        """Copy the composer's request as curl or Python (token only when asked)."""
        from vessl_gui.core import snippets

        if include_token:
            if not self.tokens.ready("copy-token", lambda: self.copy_composer(kind, True)):
                return
            self.tokens.fill_saved()
        draft = self.composer.to_draft()
        try:
            valid = validate_draft(
                RequestDraft(draft.base_url, draft.method, draft.path, draft.data, draft.token),
                require_token=include_token,
            )
        except errors.ValidationError as exc:
            self.composer.show_errors(exc)
            self._say("Nothing copied: please fix the marked fields.")
            return
        token = valid.token if include_token else None
        # {{name}} stays a variable of the script ($name / os.environ): plain values are
        # written in, secrets are read from the environment.
        variables = self._variables_of(valid.request.base_url)
        if kind == "python":
            text = snippets.python_create(valid.request, token, variables=variables)
        else:
            text = snippets.curl_create(valid.request, token, variables=variables)
        what = "Python code" if kind == "python" else "curl command"
        self.clipboard.set_text(text)
        self._say(f"Copied the {what}" + (" (with the token)" if token else "") + ".")
