"""The HTTP clients of the worker threads: one ServeClient per ClientConfig, per worker.

Each worker owns its :class:`Clients` (created and used on its own thread), so its
connections are reused from one request to the next; its
:class:`~vessl_gui.core.client.Aborter` is installed on each client it makes, so
that stopping the workers cuts their connections.
"""

from __future__ import annotations

from collections.abc import Callable

from vessl_gui.core.abort import Aborter
from vessl_gui.core.client import ServeClient
from vessl_gui.core.models import ClientConfig

ClientFactory = Callable[[ClientConfig], ServeClient]


def make_client(config: ClientConfig) -> ServeClient:
    """The default factory: a ServeClient set up from a ClientConfig."""
    return ServeClient(timeouts=config.timeouts, verify=config.verify, ca_bundle=config.ca_bundle)


class Clients:
    """One ServeClient per ClientConfig, owned by one worker thread."""

    def __init__(self, factory: ClientFactory, aborter: Aborter) -> None:
        self._factory = factory
        self._aborter = aborter
        self._clients: dict[ClientConfig, ServeClient] = {}
        self._last: tuple[ClientConfig, ServeClient] | None = None

    def get(self, config: ClientConfig) -> ServeClient:
        last = self._last
        if last is not None and last[0] is config:  # the same settings object as last time
            return last[1]
        client = self._clients.get(config)
        if client is None:
            client = self._clients[config] = self._factory(config)
            self._aborter.install(client.http)
        self._last = (config, client)
        return client

    def close(self) -> None:
        for client in self._clients.values():
            client.close()
        self._clients.clear()
        self._last = None
