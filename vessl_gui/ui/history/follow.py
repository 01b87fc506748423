"""Following requests made elsewhere (curl, a script, a colleague): their ids become rows.

VESSL has no list endpoint, so such a request is invisible until its id is given.
:class:`FollowController` opens the dialog (*History ▸ Follow ids…*, Ctrl+Shift+O),
and for ``vessl-gui --follow ID[,ID…]`` follows the ids at the last service.  Each id
becomes a history row (``origin`` "followed", no request data) that the poll worker
follows like any other and that survives restarts; a 404 from the output endpoint
ends its polling with the reason in the row.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtWidgets import QWidget

from vessl_gui.core import errors
from vessl_gui.core.history import HistoryStore
from vessl_gui.core.models import ClientConfig, HistoryEntry, service_label
from vessl_gui.core.validation import normalize_base_url
from vessl_gui.ui.history.model import HistoryModel
from vessl_gui.ui.ports import StatusLine, Tokens

if TYPE_CHECKING:
    from vessl_gui.ui.history.follow_dialog import FollowDialog
    from vessl_gui.ui.workers import WorkerThreads


class FollowController(QObject):
    """Ids in, rows out (no signals).

    ``services()`` lists (label, base URL) of the saved services; ``base_url()`` is the
    composer's; ``select(row_id)`` shows a row; ``workers()`` starts the threads if
    need be; ``client_config(url)`` is a service's timeouts and TLS.
    """

    def __init__(
        self,
        parent_widget: QWidget,
        store: HistoryStore,
        model: HistoryModel,
        status: StatusLine,
        tokens: Tokens,
        *,
        services: Callable[[], list[tuple[str, str]]],
        base_url: Callable[[], str],
        select: Callable[[int], None],
        workers: Callable[[], WorkerThreads],
        client_config: Callable[[str], ClientConfig],
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self.parent_widget = parent_widget
        self.store = store
        self.model = model
        self.status = status
        self.tokens = tokens
        self._services = services
        self._base_url = base_url
        self._select = select
        self._workers = workers
        self._client_config = client_config
        self.dialog: FollowDialog | None = None

    @Slot()
    def open_dialog(self, text: str = "", base_url: str | None = None) -> FollowDialog:
        """Open the dialog (window-modal, not blocking; returned for tests)."""
        from vessl_gui.ui.history.follow_dialog import FollowDialog

        dialog = FollowDialog(
            self._services(),
            self._base_url() if base_url is None else base_url,
            lambda ids, base: self.store.known_request_ids(ids, base),
            self.parent_widget,
            text,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._accepted(dialog))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _accepted(self, dialog: FollowDialog) -> None:
        base = dialog.base_url()
        if base is not None:
            self.follow(base, dialog.ids())

    def follow_at_composer(self, ids: tuple[str, ...]) -> None:
        """``--follow``: the ids at the composer's service (the last one used); without
        one, the dialog opens with the ids, to choose where."""
        try:
            base = normalize_base_url(self._base_url())
        except errors.ValidationError:
            self.open_dialog("\n".join(ids))
            self.status.say("Choose the service to follow the ids at.")
            return
        self.follow(base, list(ids))

    def follow(self, base_url: str, ids: list[str]) -> list[HistoryEntry]:
        """A row per id not in the history yet at ``base_url``, polled from now on."""
        if not self.tokens.ready("follow", lambda: self.follow(base_url, ids)):
            return []
        known = self.store.known_request_ids(ids, base_url)
        new = [i for i in dict.fromkeys(ids) if i not in known]
        if not new:
            self.status.say(f"Nothing to follow: the {len(ids)} id(s) are in the history already.")
            return []
        try:
            rows = self.store.add_followed(base_url, new)
        except (errors.StorageError, ValueError) as exc:
            self.status.say(f"Not followed: {exc}")
            return []
        self.model.reload()
        self._select(rows[0].row_id)
        workers = self._workers()
        workers.set_config(base_url, self._client_config(base_url))
        token = self.tokens.lookup(base_url)
        if token:
            workers.set_token(base_url, token)
        for row in rows:
            assert row.request_id is not None
            workers.track(row.row_id, base_url, row.request_id)
        said = f"Following {len(rows)} request(s) at {service_label(base_url)}"
        if known:
            said += f" ({len(known)} already in the history)"
        if not token:
            said += ". No token for this service yet: enter it in the composer to check them"
        self.status.say(said + ".", 0 if not token else 10000)
        return rows
