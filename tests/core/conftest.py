"""Fixtures shared by the core tests (no Qt here).

The fake keyring backends live in ``tests/fakes.py``.
"""

from __future__ import annotations

import pytest

from tests.fakes import MemoryKeyring


@pytest.fixture
def memory_keyring() -> MemoryKeyring:
    return MemoryKeyring()
