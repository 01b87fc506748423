"""What ``app.py`` hands the window: the core objects it works with (tests build their own)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings

from vessl_gui.core.credentials import TokenStore
from vessl_gui.core.history import HistoryStore
from vessl_gui.core.models import Timeouts
from vessl_gui.core.profiles import ProfileStore
from vessl_gui.core.records import record

if TYPE_CHECKING:
    from vessl_gui.core.client import ServeClient


@record(frozen=False)
class DemoService:
    """The in-process emulator the demo talks to."""

    base_url: str
    token: str = field(repr=False)


@record(frozen=False)
class AppContext:
    """Everything the window needs, built by ``app.py`` (tests build their own)."""

    store: HistoryStore
    tokens: TokenStore
    settings: QSettings
    data_dir: Path
    timeouts: Timeouts = field(default_factory=Timeouts)
    demo: DemoService | None = None
    client_factory: Callable[[], ServeClient] | None = None
    quarantined: Path | None = None
    """A corrupt history file that was moved aside at start, to tell the user about."""
    send_workers: int = 4
    profiles: ProfileStore | None = None
    """Saved services and requests; None: ``<data dir>/services.json``."""
    follow_ids: tuple[str, ...] = ()
    """``--follow``: ids to follow at the last service once the window is up."""
