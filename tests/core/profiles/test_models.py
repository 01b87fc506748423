"""Profiles, saved requests, drafts: the records, and no token in any of them."""

from __future__ import annotations

import inspect
import json

from tests.core.profiles.conftest import URL
from vessl_gui.core.profiles import Draft, Profile, ProfileStore, SavedRequest, token_key


def test_token_key_and_no_token_anywhere(store, path):
    a = store.add_profile("a", URL)
    assert token_key(a) == f"profile:{a.id}" == token_key(a.id)
    for cls in (Profile, SavedRequest, Draft):
        assert not any("token" in f for f in cls.__dataclass_fields__)
    for _, method in inspect.getmembers(ProfileStore, inspect.isfunction):
        assert "token" not in inspect.signature(method).parameters
    doc = json.loads(path.read_text("utf-8"))
    assert set(doc["profiles"][0]) == {
        "id", "name", "base_url", "ca_bundle", "verify_tls", "connect_timeout", "read_timeout",
        "variables",
    }  # fmt: skip
    assert doc["profiles"][0]["variables"] == []
