"""Fixtures of the services store tests: a store over tmp_path with a ticking clock."""

from __future__ import annotations

from pathlib import Path

import pytest

from vessl_gui.core.errors import ValidationError
from vessl_gui.core.profiles import ProfileStore

URL = "https://serve-api.vessl.ai/api/v1/services/my-svc"


class Clock:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        self.now += 1.0
        return self.now


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "cfg" / "profiles.json"


@pytest.fixture
def store(path: Path) -> ProfileStore:
    return ProfileStore(path, clock=Clock())


def reopen(store: ProfileStore) -> ProfileStore:
    return ProfileStore(store.path, clock=Clock())


def field_messages(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, str]:
    return {f.field: f.message for f in exc.value.fields}
