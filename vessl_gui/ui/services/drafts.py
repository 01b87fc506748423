"""The composer's unsaved edits, autosaved a second after typing stops, per service.

They come back after a crash or a restart (``services.json.drafts/``).  Never the
token: a :class:`~vessl_gui.core.profiles.Draft` has no field for it.  The demo's
composer is not autosaved.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import QObject, QTimer, Slot

from vessl_gui.core import errors
from vessl_gui.core.profiles import Draft, ProfileStore
from vessl_gui.ui.composer import Composer
from vessl_gui.ui.ports import StatusLine

DRAFT_DELAY_MS = 1000


class DraftKeeper(QObject):
    """Saves and restores the composer's draft (no signals).

    ``profile_id()`` is the service the draft belongs to (None: no saved service).
    """

    def __init__(
        self,
        store: ProfileStore,
        composer: Composer,
        status: StatusLine,
        *,
        profile_id: Callable[[], str | None],
        enabled: bool,
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.composer = composer
        self.status = status
        self._profile_id = profile_id
        self._enabled = enabled
        self._loading = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DRAFT_DELAY_MS)
        self.timer.timeout.connect(self.save_now)
        c = composer
        for signal in (
            c.base_url_edit.textChanged,
            c.method_combo.currentTextChanged,
            c.path_edit.textChanged,
            c.data_editor.textChanged,
        ):
            signal.connect(self.schedule)

    @contextmanager
    def loading(self) -> Iterator[None]:
        """The composer is being filled by the app, not edited: no autosave meanwhile."""
        before, self._loading = self._loading, True
        try:
            yield
        finally:
            self._loading = before

    def is_loading(self) -> bool:
        return self._loading

    @Slot()
    def schedule(self, *_: object) -> None:
        if not self._loading:
            self.timer.start()

    @Slot()
    def save_now(self) -> None:
        if self._loading or not self._enabled:
            return
        self.timer.stop()
        d = self.composer.to_draft()  # the token is not part of a Draft
        try:
            self.store.save_draft(self._profile_id(), Draft(d.base_url, d.method, d.path, d.data))
        except (errors.StorageError, errors.ValidationError) as exc:
            self.status.say(f"Draft not saved: {exc.message}", 0)

    def restore(self, profile_id: str | None) -> None:
        if not self._enabled:
            return
        try:
            draft = self.store.load_draft(profile_id)
        except errors.StorageError as exc:
            self.status.say(f"Draft not restored: {exc.message}", 0)
            return
        if draft is None:
            return
        with self.loading():
            c = self.composer
            if draft.base_url:
                c.base_url_edit.setText(draft.base_url)
            c.method_combo.setCurrentText(draft.method or "POST")
            c.path_edit.setText(draft.path)
            c.data_editor.setPlainText(draft.data)
