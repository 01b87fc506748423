"""Opening the system keyring off the GUI thread.

The first use of the keyring imports its library and backends (~100 ms, ~13 MB)
and asks the backend over D-Bus; a locked keyring answers only once the user has
unlocked it in the desktop's own prompt.  :class:`KeyringOpener` does that
(:meth:`~vessl_gui.core.credentials.TokenStore.status`) on a daemon thread and
reports on the GUI thread, so the window keeps painting meanwhile.  Once open,
asking the keyring is a short D-Bus call.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal

from vessl_gui.core.credentials import TokenStore
from vessl_gui.core.models import KeyringStatus
from vessl_gui.ui.background import Done, Runner

log = logging.getLogger(__name__)


class KeyringOpener(QObject):
    """Opens ``tokens``'s keyring once.

    Signals:
        opened(KeyringStatus): whether it can keep tokens (with the reason if not).
    """

    opened = Signal(object)

    def __init__(self, tokens: TokenStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tokens = tokens
        self.runner: Runner | None = None

    def start(self) -> None:
        if self.runner is not None:
            return
        self.runner = Runner("keyring-open", self)  # daemon: an unlock prompt may never end
        self.runner.submit(self._tokens.status, self._done)

    def _done(self, done: Done[KeyringStatus]) -> None:
        status = done.value
        if done.error is not None or status is None:  # status() reports problems itself
            log.error("opening the keyring failed", exc_info=done.error)
            name = type(done.error).__name__
            status = KeyringStatus(False, "the system keyring", f"It failed: {name}")
        self.opened.emit(status)
