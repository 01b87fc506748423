"""The Aborter: open connections cut on shutdown; small requests sent in one write."""

from __future__ import annotations

import json
import socket
import threading
import time

import httpcore
import pytest

from tests.core.test_client import TOKEN
from vessl_gui.core import errors
from vessl_gui.core.abort import Aborter
from vessl_gui.core.client import ServeClient
from vessl_gui.core.models import AsyncRequest, Timeouts


def test_aborter_unblocks_a_hung_create(silent_server: tuple[int, list[socket.socket]]) -> None:
    port, conns = silent_server
    req = AsyncRequest(f"http://127.0.0.1:{port}/api/v1/services/s", "POST", "/", "{}")
    aborter = Aborter()
    client = ServeClient(timeouts=Timeouts(connect=2, read=60))
    assert aborter.install(client.http)
    outcome: list[BaseException] = []
    done = threading.Event()

    def run() -> None:
        try:
            client.create(req, TOKEN)
        except errors.ServeError as exc:
            outcome.append(exc)
        done.set()

    t = threading.Thread(target=run)
    t.start()
    deadline = time.monotonic() + 5
    while not conns and time.monotonic() < deadline:
        time.sleep(0.01)  # wait until the request is on the wire, then cut it
    # The server has accepted: the client registers the stream right after connect().
    while aborter.abort() == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert done.wait(5), "abort did not unblock the read"
    t.join()
    client.close()
    assert isinstance(outcome[0], errors.OutcomeUnknownError)
    # After abort, no new connection is made.
    with pytest.raises(errors.ConnectFailedError):
        client2 = ServeClient(timeouts=Timeouts(connect=2, read=1))
        aborter.install(client2.http)
        try:
            client2.create(req, TOKEN)
        finally:
            client2.close()


class _Recorder(httpcore.NetworkStream):
    """A network stream that records what is written to it."""

    def __init__(self) -> None:
        self.writes: list[bytes] = []

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return b"HTTP/1.1 201 Created\r\n"

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.writes.append(buffer)

    def close(self) -> None:
        pass


def test_a_small_request_goes_out_in_one_write_a_large_body_on_its_own() -> None:
    from vessl_gui.core.abort import HOLD, AbortableStream

    inner = _Recorder()
    stream = AbortableStream(inner, Aborter())
    head, body = b"POST /async HTTP/1.1\r\nHost: h\r\n\r\n", b'{"data": 1}'
    for chunk in (head, body, b""):  # what httpcore writes for a small request
        stream.write(chunk, timeout=5)
    assert inner.writes == []  # held back until the answer is awaited
    assert stream.read(100) == b"HTTP/1.1 201 Created\r\n"
    assert inner.writes == [head + body]
    big = b"x" * (HOLD + 1)
    for chunk in (head, big, b""):
        stream.write(chunk, timeout=5)
    stream.read(100)
    assert inner.writes == [head + body, head, big]  # the large body is not copied
    stream.write(head)
    stream.close()  # a closing connection sends nothing more
    assert inner.writes == [head + body, head, big]


def test_requests_through_an_aborter_arrive_whole() -> None:
    from vessl_gui.emulator import Emulator

    with Emulator(token=TOKEN, queue_delay=0, run_time=0) as emu:
        req = AsyncRequest(emu.base_url, "POST", "/echo", '{"big": "' + "y" * 70000 + '"}')
        small = AsyncRequest(emu.base_url, "POST", "/echo", '{"small": 1}')
        with ServeClient() as client:
            assert Aborter().install(client.http)
            ids = [client.create(r, TOKEN).request_id for r in (small, req, small)]
            assert client.fetch_output(emu.base_url, ids[0], TOKEN).status in (
                "pending",
                "completed",
            )
        bodies = [json.loads(r.body) for r in emu.received() if r.method == "POST"]
        assert [b["data"] for b in bodies] == [{"small": 1}, {"big": "y" * 70000}, {"small": 1}]
        assert emu.stats().connections == 1
