"""Each worker's clients: one ServeClient per ClientConfig, its aborter installed on
each, all closed together."""

from __future__ import annotations

from typing import Any

from vessl_gui.core.abort import Aborter
from vessl_gui.core.client import ServeClient
from vessl_gui.core.models import ClientConfig, Timeouts
from vessl_gui.ui.workers import Clients, make_client


class Made:
    """A factory that keeps what it made."""

    def __init__(self) -> None:
        self.made: list[ServeClient] = []

    def __call__(self, config: ClientConfig) -> ServeClient:
        client = make_client(config)
        self.made.append(client)
        return client


class CountingAborter(Aborter):
    def __init__(self) -> None:
        super().__init__()
        self.installed: list[Any] = []

    def install(self, client: Any) -> bool:
        self.installed.append(client)
        return super().install(client)


def test_one_client_per_config_with_the_aborter_installed() -> None:
    factory, aborter = Made(), CountingAborter()
    clients = Clients(factory, aborter)
    default = ClientConfig()
    first = clients.get(default)
    assert clients.get(default) is first  # the same settings object: the last client
    assert clients.get(ClientConfig()) is first  # equal settings: the same client
    slow = clients.get(ClientConfig(timeouts=Timeouts(read=99.0)))
    assert slow is not first
    assert clients.get(default) is first
    assert factory.made == [first, slow]
    assert aborter.installed == [first.http, slow.http]


def test_close_closes_every_client_and_forgets_them() -> None:
    factory = Made()
    clients = Clients(factory, Aborter())
    a = clients.get(ClientConfig())
    b = clients.get(ClientConfig(verify=False))
    clients.close()
    assert a.http.is_closed and b.http.is_closed
    assert clients.get(ClientConfig()) is not a  # a new one after close
    assert len(factory.made) == 3
    clients.close()
