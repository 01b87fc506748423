"""When a token would travel unencrypted (core/plain_http.py)."""

from __future__ import annotations

import pytest

from vessl_gui.core.plain_http import consent_key, is_loopback, sends_token_in_clear


@pytest.mark.parametrize(
    "host", ["localhost", "app.localhost", "127.0.0.1", "127.8.9.10", "::1", "[::1]"]
)
def test_loopback_hosts(host: str) -> None:
    assert is_loopback(host)


@pytest.mark.parametrize("host", ["example.com", "10.0.0.1", "localhost.example.com", "", "::2"])
def test_other_hosts(host: str) -> None:
    assert not is_loopback(host)


@pytest.mark.parametrize(
    ("url", "clear"),
    [
        ("http://serve.example.com/api/v1/services/x", True),
        ("https://serve.example.com/api/v1/services/x", False),
        ("http://127.0.0.1:8765/api/v1/services/demo", False),
        ("http://[::1]:8765/s", False),
        ("HTTP://serve.example.com/s", True),
    ],
)
def test_sends_token_in_clear(url: str, clear: bool) -> None:
    assert sends_token_in_clear(url) is clear


def test_consent_key_is_one_settings_key_per_service() -> None:
    a = consent_key("http://h.example/api/v1/services/a")
    b = consent_key("http://h.example/api/v1/services/b")
    assert a != b and a.startswith("insecure/") and "/" not in a.removeprefix("insecure/")
