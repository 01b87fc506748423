"""Send: validate the composer, record the request, hand it to a send worker.

Each send gets its history row the moment it is asked for (state ``sending``),
written to disk before it is shown; a large request is written on a thread first
(:class:`~vessl_gui.ui.history.adds.HistoryAdds`) and sent once stored.  The
plain-http check asks once per service before a token travels unencrypted.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot

from vessl_gui.core import errors
from vessl_gui.core.models import AsyncRequest, ClientConfig, HistoryEntry
from vessl_gui.core.plain_http import consent_key, sends_token_in_clear
from vessl_gui.core.validation import validate_draft
from vessl_gui.ui.composer import Composer
from vessl_gui.ui.ports import StatusLine, Variables
from vessl_gui.ui.window.context import AppContext
from vessl_gui.ui.window.tokens import TokenController

if TYPE_CHECKING:
    from vessl_gui.ui.history.adds import HistoryAdds
    from vessl_gui.ui.workers import WorkerThreads

log = logging.getLogger(__name__)

#: Requests with at least this many characters of data are stored on a thread before
#: they are sent (:mod:`vessl_gui.ui.history.adds`; storing 5 MB takes ~60 ms).
ADD_APART_FROM = 256_000


class SendController(QObject):
    """Sends the composer's request (implements :class:`~vessl_gui.ui.ports.Sender`).

    ``workers()`` starts the worker threads if need be; ``shown(entry)`` puts a
    stored row into the table, ``sent()`` follows each hand-over to a worker;
    ``confirm(title, text)`` asks the user.
    """

    def __init__(
        self,
        ctx: AppContext,
        composer: Composer,
        tokens: TokenController,
        status: StatusLine,
        variables: Variables,
        *,
        workers: Callable[[], WorkerThreads],
        client_config: Callable[[str], ClientConfig],
        shown: Callable[[HistoryEntry], None],
        sent: Callable[[], None],
        confirm: Callable[[str, str], bool],
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.composer = composer
        self.tokens = tokens
        self.status = status
        self.variables = variables
        self._workers = workers
        self._client_config = client_config
        self._shown = shown
        self._sent = sent
        self._confirm = confirm
        self.closing = False
        self.adds: HistoryAdds | None = None

    @Slot()
    def send(self) -> None:
        """Validate the composer and send on a worker; the row appears at once."""
        if self.closing:
            return
        if not self.tokens.is_demo_url() and not self.tokens.ready(None, self.send):
            return
        self.tokens.fill_saved()
        draft = self.composer.to_draft()
        try:
            valid = validate_draft(draft, data_checked=self.composer.data_editor.is_known_valid())
        except errors.ValidationError as exc:
            self.composer.show_errors(exc)
            names = ", ".join(f.field.replace("_", " ") for f in exc.fields)
            self.status.say(f"Not sent: please fix {names}.")
            return
        self.composer.clear_errors()
        if not self.plain_http_ok(valid.request.base_url):
            self.status.say("Not sent: the token would travel unencrypted.")
            return
        self.tokens.remember(valid.request.base_url, valid.token)
        self.send_request(valid.request, valid.token, from_composer=True)

    def send_request(
        self, request: AsyncRequest, token: str | None = None, *, from_composer: bool = False
    ) -> bool:
        """Record the request in history (row shown at once) and send it on a worker.

        ``{{name}}`` references are replaced by the service's variables first: the
        history row keeps secret ones as ``{{name}}`` (flagged), the worker sends the
        values.  A large request is recorded on a thread first: its row is shown, and
        it is sent, once it is stored.  Without ``token``, the token known for the
        request's base URL is used.  False when it is not sent.
        """
        if self.closing:
            return False
        self._workers()
        token = token or self.tokens.lookup(request.base_url)
        if not token:
            self.status.say(
                f"Not sent: no token for {request.base_url}. Enter it in the composer first."
            )
            return False
        resolved = self._resolve(request, from_composer)
        if resolved is None:
            return False
        wire, kept, secrets = resolved
        if len(request.data) < ADD_APART_FROM and not (self.adds and self.adds.pending()):
            try:
                entry = self.ctx.store.add(kept, secret_vars=secrets)
            except errors.StorageError as exc:
                self.status.say(f"Not sent: the history could not be saved: {exc}")
                return False
            self._hand_over(wire, token, entry)
            return True
        # A large request is stored on a thread (and those after it wait their turn).
        if self.adds is None:
            from vessl_gui.ui.history.adds import HistoryAdds

            self.adds = HistoryAdds(self.ctx.store, self)
        stored = lambda e, why: self._stored(wire, token, e, why)  # noqa: E731
        if not self.adds.add(kept, stored, secret_vars=secrets):
            self.status.say(f"Saving {request.method} {request.path}…")
        return True

    def _resolve(
        self, request: AsyncRequest, from_composer: bool
    ) -> tuple[AsyncRequest, AsyncRequest, tuple[str, ...]] | None:
        """(what is sent, what history keeps, the secrets kept as ``{{name}}``), or None
        when a variable is unknown or its value cannot be read (told)."""
        if "{{" not in request.path and "{{" not in request.data:
            return request, request, ()  # (no need to load the variables' modules)
        from vessl_gui.core.variables import references, resolve_request

        refs = references(request.path, request.data)
        if not refs:
            return request, request, ()
        names = {r.name for r in refs}
        try:
            values = self.variables.values_for(request.base_url, names)
            done = resolve_request(request, values)
        except errors.ValidationError as exc:
            if from_composer:
                self.composer.show_errors(exc)
            self.status.say(f"Not sent: {exc.fields[0].describe()}")
            return None
        except errors.CredentialError as exc:
            self.status.say(f"Not sent: {exc.message}")
            return None
        return done.wire, done.history, tuple(sorted(done.secrets))

    def _stored(
        self, request: AsyncRequest, token: str, entry: HistoryEntry | None, why: str | None
    ) -> None:
        """A request stored by :class:`HistoryAdds`: send it (or say why not)."""
        if entry is None:
            self.status.say(f"Not sent: the history could not be saved: {why}")
            return
        self._hand_over(request, token, entry)

    def _hand_over(self, request: AsyncRequest, token: str, entry: HistoryEntry) -> None:
        """Show the stored row (selected) and give it to a send worker."""
        workers = self._workers()
        self._shown(entry)
        config = self._client_config(request.base_url)
        workers.set_config(request.base_url, config)
        workers.send(entry.row_id, request, token, config)
        self.status.say(f"Sending {request.method} {request.path}…")
        self._sent()

    def plain_http_ok(self, base_url: str) -> bool:
        """Ask once per service before a token goes over plain http to another host."""
        if not sends_token_in_clear(base_url):
            return True
        key = consent_key(base_url)
        if self.ctx.settings.value(key, False, type=bool):
            return True
        if not self._confirm(
            "Send the token unencrypted?",
            f"{base_url} uses plain http:// and is not this computer. Your token would "
            "travel unencrypted and could be read on the way.\n\nSend anyway? "
            "(You will not be asked again for this service.)",
        ):
            return False
        self.ctx.settings.setValue(key, True)
        return True

    def shutdown(self) -> None:
        """At close: requests still being stored go to the workers, as queued sends do."""
        self.closing = True
        if self.adds is not None:
            self.adds.drain()
