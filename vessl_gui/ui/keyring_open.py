"""Opening the system keyring off the GUI thread.

The first use of the keyring imports its library and backends (~100 ms, ~13 MB)
and asks the backend over D-Bus; a locked keyring answers only once the user has
unlocked it in the desktop's own prompt.  :class:`KeyringOpener` does that
(:meth:`~vessl_gui.core.credentials.TokenStore.status`) on a daemon thread and
reports on the GUI thread, so the window keeps painting meanwhile.  Once open,
asking the keyring is a short D-Bus call.
"""

from __future__ import annotations

import contextlib
import logging
import threading

from PySide6.QtCore import QObject, Signal

from vessl_gui.core.credentials import TokenStore
from vessl_gui.core.models import KeyringStatus

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
        self.open_thread: threading.Thread | None = None

    def start(self) -> None:
        if self.open_thread is not None:
            return
        self.open_thread = threading.Thread(target=self._run, name="keyring-open", daemon=True)
        self.open_thread.start()

    def _run(self) -> None:
        try:
            status = self._tokens.status()
        except Exception as exc:  # status() reports problems itself; this is a bug
            log.exception("opening the keyring failed")
            status = KeyringStatus(False, "the system keyring", f"It failed: {type(exc).__name__}")
        with contextlib.suppress(RuntimeError):  # RuntimeError: the window is gone
            self.opened.emit(status)  # queued to the GUI thread
