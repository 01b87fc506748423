"""Fixtures for every test folder: the real Secret Service (gnome-keyring), when there is one."""

from __future__ import annotations

import gc
import os
import warnings

import pytest
from keyring.backends import SecretService

from vessl_gui.core.credentials import TokenStore

#: Entries of the tests that use the real keyring are kept under this service name.
TEST_SERVICE = "vessl-gui-test"


def _unusable(reason: str) -> None:
    message = f"{reason.rstrip('.')}. Run this test under tests/with-keyring.sh."
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must test the real keyring: {message}")
    pytest.skip(message)


def real_secret_service() -> SecretService.Keyring:
    """The session's Secret Service, probed; skips without one (fails under ``CI=true``)."""
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        _unusable("No D-Bus session (DBUS_SESSION_BUS_ADDRESS is not set)")
    kr = SecretService.Keyring()
    try:
        kr.priority  # noqa: B018 - raises RuntimeError when no Secret Service answers
    except Exception as e:
        _unusable(f"No Secret Service on the session bus ({type(e).__name__}: {e})")
    status = TokenStore(kr, service=TEST_SERVICE).status()  # probes the default collection
    if not status.usable:
        # keyring's SecretService backend leaks its D-Bus connection when opening the
        # collection fails (InitError, KeyringLocked). Collect it here, quietly, or its
        # ResourceWarning surfaces in whatever test runs later (filterwarnings = error).
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            gc.collect()
        _unusable(f"The Secret Service is not usable: {status.reason}")
    return kr


@pytest.fixture(scope="session")
def secret_service() -> SecretService.Keyring:
    """The real Secret Service of ``tests/with-keyring.sh`` (see :func:`real_secret_service`)."""
    return real_secret_service()
