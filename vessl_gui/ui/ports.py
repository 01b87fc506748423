"""What the window's controllers need from each other, as narrow interfaces.

A controller (history actions, services, sending) is handed the few things it
uses, typed by these protocols, never the main window: the window assembles
the controllers and implements nothing they import back.  Tests can hand a
controller a small fake instead of a whole window.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from vessl_gui.core.models import AsyncRequest, HistoryEntry, HistorySummary
from vessl_gui.core.variables import Variable


class StatusLine(Protocol):
    """The window's status bar."""

    def say(self, text: str, timeout_ms: int = 0) -> None:
        """Show ``text`` (for ``timeout_ms``; 0: until the next message)."""


class Clipboard(Protocol):
    """The system clipboard, with a word in the status bar about what was copied."""

    def set_text(self, text: str) -> None: ...

    def copy(self, what: str, text: str) -> None:
        """Copy ``text`` and say so: ``what`` is "id", "output", "curl command" …"""


class Tokens(Protocol):
    """The tokens of the services: the keyring, or this session's memory."""

    def ready(self, name: str | None, then: Callable[[], object]) -> bool:
        """True when the keyring can be asked now; else ``then`` runs once it has opened
        (one per ``name``; every one when ``name`` is None)."""

    def lookup(self, base_url: str) -> str | None:
        """The token known for ``base_url`` (keyring or session), if any."""

    def remember(self, base_url: str, token: str) -> None:
        """Keep ``token`` for polling, and in the keyring when there is one."""

    def fill_saved(self) -> bool:
        """Put the saved token into an empty token field; True when the field has one."""


class Selection(Protocol):
    """The history rows the user selected."""

    def selected_summaries(self) -> list[HistorySummary]: ...

    def selected_entries(self) -> list[HistoryEntry]: ...

    def selected_row_ids(self) -> list[int]: ...


class Sender(Protocol):
    """Records a request in the history and sends it on a worker."""

    def send_request(self, request: AsyncRequest, token: str | None = None) -> bool: ...


class Variables(Protocol):
    """The variables of the saved services (``{{name}}`` in a request)."""

    def names_for(self, base_url: str) -> frozenset[str]:
        """The names ``base_url``'s service defines."""

    def values_for(self, base_url: str, names: set[str]) -> tuple[Variable, ...]:
        """Those variables with their values (secrets read from the keyring)."""
