"""Fixtures shared by the core tests (no Qt here).

The fake keyring backends live in ``tests/fakes.py``.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest

from tests.fakes import MemoryKeyring


@pytest.fixture
def memory_keyring() -> MemoryKeyring:
    return MemoryKeyring()


@pytest.fixture
def silent_server() -> Iterator[tuple[int, list[socket.socket]]]:
    """A TCP server that accepts and reads, but never answers."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen()
    conns: list[socket.socket] = []
    stop = threading.Event()

    def run() -> None:
        srv.settimeout(0.1)
        while not stop.is_set():
            try:
                conn, _ = srv.accept()
            except OSError:
                continue
            conns.append(conn)

    t = threading.Thread(target=run, daemon=True)
    t.start()
    yield srv.getsockname()[1], conns
    stop.set()
    t.join()
    for c in conns:
        c.close()
    srv.close()
