"""When a token would travel unencrypted: plain ``http://`` to a host that is not this computer.

The window asks once per service before sending (and remembers the answer under
:func:`consent_key`); loopback hosts (the demo, a port-forward) never ask.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit


def is_loopback(host: str) -> bool:
    """``localhost``, ``*.localhost`` and loopback addresses (``127.0.0.0/8``, ``::1``)."""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def sends_token_in_clear(base_url: str) -> bool:
    """True when a request to ``base_url`` would carry the token unencrypted off this host."""
    parts = urlsplit(base_url)
    return parts.scheme == "http" and not is_loopback(parts.hostname or "")


def consent_key(base_url: str) -> str:
    """The settings key that records the user's "send anyway" for ``base_url``."""
    return "insecure/" + base_url.replace("/", "|")
