"""What the HistoryStore tests share: a request, a second connection to a file."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from vessl_gui.core.models import AsyncRequest

BASE = "https://serve-api.vessl.ai/api/v1/services/demo"
T0 = 1_700_000_000.0


def req(data: str = '{"prompt": "hi"}', *, path: str = "/", method: str = "POST") -> AsyncRequest:
    return AsyncRequest(BASE, method, path, data)


def raw(path: Path) -> closing[sqlite3.Connection]:
    """A second, independent connection to the file."""
    return closing(sqlite3.connect(path))
