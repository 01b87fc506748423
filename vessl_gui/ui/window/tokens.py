"""The token field and where tokens live: the system keyring, or this session only.

:class:`TokenController` fills the composer's token field for a base URL, saves
and forgets tokens, and opens the keyring off the GUI thread when a token is
first needed (:class:`~vessl_gui.ui.keyring_open.KeyringOpener`): the actions that
need it go on once it has answered.  It implements :class:`~vessl_gui.ui.ports.Tokens`
for the other controllers.  The token never leaves this object but to the
composer's field, the keyring and the send/poll workers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot

from vessl_gui.core import errors
from vessl_gui.core.credentials import SessionTokens
from vessl_gui.core.models import KeyringStatus
from vessl_gui.core.validation import normalize_base_url, normalize_token
from vessl_gui.ui.composer import Composer
from vessl_gui.ui.ports import StatusLine
from vessl_gui.ui.window.context import AppContext

if TYPE_CHECKING:
    from vessl_gui.core.profiles.secret_values import SecretStore
    from vessl_gui.ui.keyring_open import KeyringOpener
    from vessl_gui.ui.workers import WorkerThreads

NO_KEYRING_TEXT = "No usable system keyring: the token is kept for this session only."


class TokenController(QObject):
    """Tokens for the composer and the workers (no signals)."""

    def __init__(
        self, ctx: AppContext, composer: Composer, status: StatusLine, parent: QObject
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.composer = composer
        self.status = status
        self.workers: WorkerThreads | None = None  # set once the services start
        self.closing = False
        self.session = SessionTokens()
        self.keyring: KeyringStatus | None = None
        self.autofilled_for: str | None = None
        self.opener: KeyringOpener | None = None
        self._after_keyring: list[tuple[str | None, Callable[[], object]]] = []
        # What this session read from or wrote to the keyring, so a Send with the same
        # token does not ask it again (a D-Bus call; a re-locked keyring would prompt).
        self._in_keyring = SessionTokens()
        self._placeholder = composer.token_edit.placeholderText()

    # -- the keyring --------------------------------------------------------------

    def keyring_name(self) -> str:
        return self.keyring.backend_name if self.keyring else "the system keyring"

    def keyring_usable(self) -> bool:
        if self.keyring is None:
            self.keyring = self.ctx.tokens.status()
        return self.keyring.usable

    def _unusable_text(self) -> str:
        reason = self.keyring.reason if self.keyring else ""
        return reason or NO_KEYRING_TEXT

    def ready(self, name: str | None, then: Callable[[], object]) -> bool:
        """True when the keyring can be asked now without blocking the window.

        Else it is opened on a thread (:class:`KeyringOpener`: its library, D-Bus, maybe
        an unlock prompt) and ``then`` runs once it has answered, in order: every one
        with ``name`` None (each Send pressed meanwhile sends), else one per ``name``.
        """
        if self.keyring is not None or self.ctx.tokens.loaded:
            return True
        if name is None or all(n != name for n, _ in self._after_keyring):
            self._after_keyring.append((name, then))
        if self.opener is None:
            from vessl_gui.ui.keyring_open import KeyringOpener

            self.opener = KeyringOpener(self.ctx.tokens, self)
            self.opener.opened.connect(self._on_opened)
            self.opener.start()
        self.status.say("Opening the system keyring…")
        return False

    @Slot(object)
    def _on_opened(self, status: KeyringStatus) -> None:
        self.keyring = status
        waiting, self._after_keyring = self._after_keyring, []
        if self.closing:
            return
        self.status.say("")
        for _, then in waiting:
            then()

    def secret_store(self) -> SecretStore:
        """Where secret values go: the keyring, or this session's memory without one
        (call once :meth:`ready` said the keyring answered)."""
        return self.ctx.tokens if self.keyring_usable() else self.session

    def pending(self) -> bool:
        """Whether an action waits for the keyring to open (see :meth:`ready`)."""
        return bool(self._after_keyring)

    def lookup(self, base_url: str) -> str | None:
        token = self.session.get(base_url)
        if token:
            return token
        if not self.keyring_usable():
            return None
        known = self._in_keyring.get(base_url)
        if known:
            return known
        try:
            token = self.ctx.tokens.get(base_url)
        except errors.CredentialError as exc:
            self.composer.set_token_status(f"Keyring error: {exc.message}", warning=True)
            return None
        if token:
            self._in_keyring.set(base_url, token)
        return token

    # -- the token field ----------------------------------------------------------

    def base_url_committed(self, text: str) -> None:
        """A base URL was entered: fill the token field for it (if the keyring is open)."""
        if self.workers is None:
            return
        try:
            key = normalize_base_url(text)
        except errors.ValidationError:
            return
        if self.ctx.demo is not None and key == self.ctx.demo.base_url:
            return
        current = self.composer.token_edit.text()
        if current and self.autofilled_for not in (None, key):
            self.composer.token_edit.clear()
            current = ""
        self.composer.token_edit.setPlaceholderText(self._placeholder)
        if self.session.get(key) is None and not self.ctx.tokens.loaded:
            # Not loaded yet: the keyring (~13 MB, a D-Bus call, maybe an unlock prompt) is
            # read when the token is needed (send, Show, copy with token), not to fill the field.
            if not current:
                self._describe_unread(key)
            return
        if not self.keyring_usable():
            self.composer.set_token_status(self._unusable_text(), warning=True)
        token = self.lookup(key)
        if token and not current:
            self.composer.token_edit.setText(token)
            self.autofilled_for = key
            self.composer.set_token_status(self._where_kept(key))
        elif token is None and self.keyring_usable():
            self.composer.set_token_status(
                f"Not saved yet: it will be saved in {self.keyring_name()} when you send or Save"
            )

    def _where_kept(self, key: str) -> str:
        if self.session.get(key) is None:
            return f"Saved in {self.keyring_name()}"
        return "Kept for this session only"

    def is_demo_url(self) -> bool:
        """The composer's base URL is the built-in demo's (its token is never saved)."""
        if self.ctx.demo is None:
            return False
        try:
            return normalize_base_url(self.composer.base_url_edit.text()) == self.ctx.demo.base_url
        except errors.ValidationError:
            return False

    def _describe_unread(self, key: str) -> None:
        saved = self.ctx.tokens.saved_hint(key)
        where = self.keyring_name()
        if saved:
            self.composer.token_edit.setPlaceholderText(f"Saved in {where}: used when you send")
            self.composer.set_token_status(
                f"Saved in {where}: read from it when you send (Show reads it now)"
            )
        elif saved is None:
            self.composer.set_token_status(
                f"A token saved in {where} for this URL is used when you send; or paste one"
            )
        else:
            self.composer.set_token_status(
                f"Not saved yet: it will be saved in {where} when you send or Save"
            )

    @Slot(bool)
    def reveal(self, shown: bool) -> None:
        if shown and self.ready("show", lambda: self.reveal(True)):
            self.fill_saved()

    def fill_saved(self) -> bool:
        """An empty token field gets the saved token for its base URL (reading the
        keyring if need be); True when the field now has a token."""
        if self.composer.token_edit.text().strip():
            return True
        try:
            key = normalize_base_url(self.composer.base_url_edit.text())
        except errors.ValidationError:
            return False
        before = self.composer.token_status.text()
        token = self.lookup(key)
        if not token:
            if self.composer.token_status.text() == before:  # no keyring error was shown
                if self.keyring_usable():
                    self.composer.set_token_status(
                        f"No token saved in {self.keyring_name()} for this URL: paste one"
                    )
                else:
                    self.composer.set_token_status(self._unusable_text(), warning=True)
            return False
        self.composer.token_edit.setText(token)
        self.autofilled_for = key
        self.composer.set_token_status(self._where_kept(key))
        return True

    def remember(self, base_url: str, token: str) -> None:
        """Keep the token for polling, and in the keyring when there is one."""
        if self.workers is not None:
            self.workers.set_token(base_url, token)
        self.autofilled_for = base_url
        if self.ctx.demo is not None and base_url == self.ctx.demo.base_url:
            self.session.set(base_url, token)
            return
        if self.keyring_usable():
            try:
                if self._in_keyring.get(base_url) != token:
                    if self.ctx.tokens.get(base_url) != token:
                        self.ctx.tokens.set(base_url, token)
                    self._in_keyring.set(base_url, token)
                self.session.delete(base_url)
                self.composer.set_token_status(f"Saved in {self.keyring_name()}")
                return
            except errors.CredentialError as exc:
                self.composer.set_token_status(
                    f"Could not save the token in {self.keyring_name()}: {exc.message} "
                    "It is kept for this session only.",
                    warning=True,
                )
        self.session.set(base_url, token)

    @Slot()
    def save(self) -> None:
        if not self.ready("save", self.save):
            return
        draft = self.composer.to_draft()
        try:
            base_url = normalize_base_url(draft.base_url)
            token = normalize_token(draft.token)
        except errors.ValidationError as exc:
            self.composer.show_errors(exc)
            return
        self.composer.clear_errors()
        self.remember(base_url, token)
        self.status.say("Token saved for " + base_url, 5000)

    @Slot()
    def forget(self) -> None:
        if not self.ready("forget", self.forget):
            return
        try:
            base_url = normalize_base_url(self.composer.base_url_edit.text())
        except errors.ValidationError as exc:
            self.composer.show_errors(exc)
            return
        self.session.delete(base_url)
        self._in_keyring.delete(base_url)
        removed = False
        if self.keyring_usable():
            try:
                removed = self.ctx.tokens.delete(base_url)
            except errors.CredentialError as exc:
                self.composer.set_token_status(f"Keyring error: {exc.message}", warning=True)
        self.composer.token_edit.clear()
        self.autofilled_for = None
        if self.workers is not None:
            self.workers.set_token(base_url, "")
        where = f" from {self.keyring_name()}" if removed else ""
        self.composer.set_token_status(f"Token forgotten{where}.")
        self.status.say(f"Token for {base_url} forgotten{where}", 5000)

    def describe_keyring(self) -> str:
        """The keyring for the About box (not opened just for it: it may prompt)."""
        if self.ctx.tokens.loaded:
            self.keyring_usable()
        if self.keyring is None:
            return "not opened yet (it is, when a token is first needed)"
        if self.keyring.usable:
            return self.keyring.backend_name
        return "none usable: tokens are kept for this session only"
