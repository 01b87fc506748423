"""Shared fixtures for the emulator tests: every test talks to a real socket on 127.0.0.1."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from vessl_gui.emulator import Emulator

TOKEN = "test-token-123"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


class FakeClock:
    """A hand-driven clock for the emulator's timelines (no sleeping in tests)."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class Api:
    """A thin test client of the emulated API."""

    def __init__(self, client: httpx.Client) -> None:
        self.client = client

    def create(self, data: Any = None, **fields: Any) -> str:
        r = self.client.post("/async", json={"data": data, **fields})
        assert r.status_code == 201, r.text
        rid = r.json()["id"]
        assert isinstance(rid, str)
        return rid

    def output(self, rid: str) -> dict[str, Any]:
        r = self.client.get(f"/async/{rid}/output")
        assert r.status_code == 200, r.text
        body = r.json()
        assert isinstance(body, dict)
        return body

    def status(self, rid: str) -> str:
        return str(self.output(rid)["status"])

    def wait_for(
        self, rid: str, *wanted: str, timeout: float = 10.0
    ) -> tuple[dict[str, Any], list[str]]:
        """Poll until the status is one of ``wanted``; return the body and the statuses seen."""
        wanted = wanted or ("completed", "failed")
        seen: list[str] = []
        deadline = time.monotonic() + timeout
        while True:
            body = self.output(rid)
            if not seen or seen[-1] != body["status"]:
                seen.append(body["status"])
            if body["status"] in wanted:
                return body, seen
            if time.monotonic() > deadline:
                raise AssertionError(f"{rid} still {seen[-1]!r} after {timeout} s (saw {seen})")
            time.sleep(0.01)


def make_client(emu: Emulator, **kw: Any) -> httpx.Client:
    kw.setdefault("headers", AUTH)
    kw.setdefault("timeout", 10.0)
    kw.setdefault("trust_env", False)  # never via a proxy
    kw.setdefault("base_url", emu.base_url)
    return httpx.Client(**kw)


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    """A fast emulator: 50 ms pending, 50 ms in progress."""
    with Emulator(token=TOKEN, queue_delay=0.05, run_time=0.05) as emu:
        yield emu
    assert emu.internal_errors == []


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def clocked(clock: FakeClock) -> Iterator[Emulator]:
    """An emulator on a fake clock: 1 s pending, 2 s in progress, 10 s cold start."""
    with Emulator(token=TOKEN, queue_delay=1.0, run_time=2.0, cold_start=10.0, clock=clock) as emu:
        yield emu
    assert emu.internal_errors == []


@pytest.fixture
def client(emulator: Emulator) -> Iterator[httpx.Client]:
    with make_client(emulator) as c:
        yield c


@pytest.fixture
def api(client: httpx.Client) -> Api:
    return Api(client)


@pytest.fixture
def clocked_api(clocked: Emulator) -> Iterator[Api]:
    with make_client(clocked) as c:
        yield Api(c)


@pytest.fixture
def token() -> str:
    return TOKEN


@pytest.fixture
def client_for() -> Iterator[Any]:
    """``client_for(emu, **httpx_kwargs)``: an authorised client, closed after the test."""
    made: list[httpx.Client] = []

    def factory(emu: Emulator, **kw: Any) -> httpx.Client:
        c = make_client(emu, **kw)
        made.append(c)
        return c

    yield factory
    for c in made:
        c.close()


@pytest.fixture
def api_for(client_for: Any) -> Any:
    """``api_for(emu)``: an :class:`Api` on another emulator, closed after the test."""

    def factory(emu: Emulator, **kw: Any) -> Api:
        return Api(client_for(emu, **kw))

    return factory
