"""TokenStore against the real Secret Service (gnome-keyring).

Run it inside ``tests/with-keyring.sh``, which starts a private D-Bus session
with an unlocked gnome-keyring::

    bash tests/with-keyring.sh .venv/bin/pytest tests/integration/test_real_keyring.py

Without a usable Secret Service these tests skip, except on CI (``CI=true``),
where they fail: CI must run them for real.  Entries are written under the
service name ``vessl-gui-test`` with random keys and removed afterwards.
"""

from __future__ import annotations

import gc
import os
import uuid
import warnings
from collections.abc import Iterator

import pytest
from keyring.backends import SecretService

from vessl_gui.core.credentials import TokenStore

pytestmark = pytest.mark.real_keyring

SERVICE = "vessl-gui-test"


def _unusable(reason: str) -> None:
    message = f"{reason.rstrip('.')}. Run this test under tests/with-keyring.sh."
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must test the real keyring: {message}")
    pytest.skip(message)


@pytest.fixture(scope="module")
def backend() -> SecretService.Keyring:
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        _unusable("No D-Bus session (DBUS_SESSION_BUS_ADDRESS is not set)")
    kr = SecretService.Keyring()
    try:
        kr.priority  # noqa: B018 - raises RuntimeError when no Secret Service answers
    except Exception as e:
        _unusable(f"No Secret Service on the session bus ({type(e).__name__}: {e})")
    status = TokenStore(kr, service=SERVICE).status()  # probes the default collection
    if not status.usable:
        # keyring's SecretService backend leaks its D-Bus connection when opening the
        # collection fails (InitError, KeyringLocked). Collect it here, quietly, or its
        # ResourceWarning surfaces in whatever test runs later (filterwarnings = error).
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            gc.collect()
        _unusable(f"The Secret Service is not usable: {status.reason}")
    return kr


@pytest.fixture
def store(backend: SecretService.Keyring) -> TokenStore:
    return TokenStore(backend, service=SERVICE)


@pytest.fixture
def key(store: TokenStore) -> Iterator[str]:
    """A key no one else uses; its entry is removed after the test."""
    key = f"https://serve-api.test.invalid/api/v1/services/{uuid.uuid4().hex}"
    yield key
    store.delete(key)


def test_status_is_usable_secret_service(store: TokenStore) -> None:
    status = store.status()
    assert status.usable, status.reason
    assert status.backend_name == "Secret Service"
    assert status.reason == ""


def test_round_trip(store: TokenStore, key: str) -> None:
    assert store.get(key) is None
    store.set(key, "tok_first")
    assert store.get(key) == "tok_first"
    store.set(key, "tok_second")  # replaces, does not add a second entry
    assert store.get(key) == "tok_second"
    assert store.delete(key) is True
    assert store.get(key) is None
    assert store.delete(key) is False


def test_one_entry_per_key(store: TokenStore, key: str) -> None:
    import secretstorage  # the library keyring's SecretService backend talks through

    store.set(key, "one")
    store.set(key, "two")
    conn = secretstorage.dbus_init()
    try:
        items = list(secretstorage.search_items(conn, {"service": SERVICE, "username": key}))
        assert len(items) == 1
        assert items[0].get_secret() == b"two"
        assert "two" not in items[0].get_label()
    finally:
        conn.close()


def test_unicode_token_survives(store: TokenStore, key: str) -> None:
    token = "ключ-🔑-秘密-ünïcödé-\t-end"
    store.set(key, token)
    assert store.get(key) == token
    assert TokenStore(SecretService.Keyring(), service=SERVICE).get(key) == token  # a new store


def test_delete_missing_key(store: TokenStore, key: str) -> None:
    assert store.delete(key) is False
