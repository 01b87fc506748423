"""Every outcome of ServeClient, through httpx.MockTransport and real local sockets."""

from __future__ import annotations

import json
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator

import httpcore
import httpx
import pytest

from vessl_gui import __version__
from vessl_gui.core import errors
from vessl_gui.core.client import Aborter, ServeClient, parse_retry_after
from vessl_gui.core.models import AsyncRequest, OutputStatus, Timeouts

BASE = "https://serve-api.dev2.vssl.ai/api/v1/services/abc"
TOKEN = "canary-token-7f3a9"
REQ = AsyncRequest(BASE, "POST", "/predictions/my-model", '{"question": "How are you?"}')

Handler = Callable[[httpx.Request], httpx.Response]


def client_for(handler: Handler, **kw: object) -> ServeClient:
    return ServeClient(transport=httpx.MockTransport(handler), **kw)  # type: ignore[arg-type]


def answer(
    status: int,
    body: object = None,
    *,
    text: str | None = None,
    headers: dict[str, str] | None = None,
) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        if text is not None:
            return httpx.Response(status, text=text, headers=headers)
        return httpx.Response(status, json=body, headers=headers)

    return handler


def create_error(handler: Handler) -> errors.VesslGuiError:
    with client_for(handler) as c, pytest.raises(errors.ServeError) as exc:
        c.create(REQ, TOKEN)
    assert TOKEN not in str(exc.value)
    return exc.value


def fetch_error(handler: Handler) -> errors.VesslGuiError:
    with client_for(handler) as c, pytest.raises(errors.ServeError) as exc:
        c.fetch_output(BASE, "98nlux8b0eu6", TOKEN)
    assert TOKEN not in str(exc.value)
    return exc.value


def test_create_sends_the_documented_request() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(201, json={"id": "98nlux8b0eu6"})

    with client_for(handler) as c:
        sub = c.create(REQ, TOKEN)
    assert sub.request_id == "98nlux8b0eu6" and sub.http_status == 201 and sub.elapsed >= 0
    (req,) = seen
    assert req.method == "POST"
    assert str(req.url) == BASE + "/async"
    assert req.headers["authorization"] == f"Bearer {TOKEN}"
    assert req.headers["user-agent"] == f"vessl-gui/{__version__}"
    assert req.headers["content-type"] == "application/json"
    assert json.loads(req.content) == {
        "method": "POST",
        "path": "/predictions/my-model",
        "data": {"question": "How are you?"},
    }


def test_create_accepts_extra_fields() -> None:
    with client_for(answer(201, {"id": "a1", "extra": [1], "eta": None})) as c:
        assert c.create(REQ, TOKEN).request_id == "a1"


@pytest.mark.parametrize(
    ("handler", "needle"),
    [
        (answer(201, text="<html>ok</html>"), "not JSON"),
        (answer(201, {"request_id": "abc"}), "without a request id"),
        (answer(201, {"id": "NOT-AN-ID!"}), "not a valid request id"),
        (answer(201, {"id": "a" * 17}), "not a valid request id"),
        (answer(201, {"id": 12345}), "not a valid request id"),
        (answer(200, ["abc"]), "without a request id"),
        (answer(201, text=""), "not JSON"),
    ],
)
def test_create_protocol_errors(handler: Handler, needle: str) -> None:
    err = create_error(handler)
    assert isinstance(err, errors.ProtocolError)
    assert needle in err.message


@pytest.mark.parametrize(
    ("status", "cls", "needle"),
    [
        (400, errors.ClientError, "refused the request (400 Bad Request)"),
        (401, errors.AuthError, "token was rejected (401"),
        (403, errors.AuthError, "token was rejected (403"),
        (404, errors.NotFoundError, "Check the base URL"),
        (409, errors.ClientError, "409 Conflict"),
        (413, errors.PayloadTooLargeError, "too large"),
        (422, errors.ClientError, "422 Unprocessable"),
        (429, errors.RateLimitedError, "Too many requests"),
        (500, errors.ServerError, "500 Internal Server Error"),
        (502, errors.ServerError, "502 Bad Gateway"),
        (503, errors.ServerError, "503 Service Unavailable"),
        (504, errors.ServerError, "504 Gateway Timeout"),
    ],
)
def test_create_status_errors(status: int, cls: type[errors.HTTPStatusError], needle: str) -> None:
    err = create_error(answer(status, {"message": f"server says {status}"}))
    assert type(err) is cls
    assert isinstance(err, errors.HTTPStatusError)
    assert err.status_code == status
    assert needle in err.message
    assert f"server says {status}" in err.message
    assert err.server_message == f"server says {status}"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"detail": "field required"}, "field required"),
        ({"error": "bad"}, "bad"),
        ({"detail": [{"loc": ["data"], "msg": "missing"}]}, '"msg": "missing"'),
    ],
)
def test_server_message_from_json(body: object, expected: str) -> None:
    err = create_error(answer(422, body))
    assert isinstance(err, errors.HTTPStatusError)
    assert expected in err.server_message


def test_server_message_from_html_text() -> None:
    err = create_error(answer(502, text="<html><body><h1>502 Bad  Gateway</h1>\n nginx</body>"))
    assert isinstance(err, errors.ServerError)
    assert err.server_message == "502 Bad Gateway nginx"


def test_server_echoing_the_token_is_redacted() -> None:
    err = create_error(answer(401, {"message": f"bad token {TOKEN}"}))
    assert TOKEN not in err.message and "••••" in err.message


@pytest.mark.parametrize(("header", "seconds"), [("7", 7.0), (None, None), ("soon", None)])
def test_rate_limited_retry_after(header: str | None, seconds: float | None) -> None:
    headers = {"Retry-After": header} if header else None
    err = create_error(answer(429, {"message": "slow down"}, headers=headers))
    assert isinstance(err, errors.RateLimitedError)
    assert err.retry_after == seconds
    if seconds:
        assert "wait 7 s" in err.message


def test_retry_after_http_date() -> None:
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412480 - 60) == 60.0


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_redirect_is_reported_never_followed(status: int) -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(str(request.url))
        return httpx.Response(status, headers={"Location": "https://evil.example/steal"})

    err = create_error(handler)
    assert isinstance(err, errors.RedirectError)
    assert err.location == "https://evil.example/steal"
    assert "https://evil.example/steal" in err.message
    assert calls == [BASE + "/async"]


# -- transport failures ------------------------------------------------------------


def raising(exc: Exception) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc

    return handler


def connect_error(cause: BaseException, text: str = "boom") -> Exception:
    err = httpx.ConnectError(text)
    err.__cause__ = cause
    return err


@pytest.mark.parametrize(
    ("exc", "cls", "needle"),
    [
        (
            connect_error(socket.gaierror(-2, "Name or service not known")),
            errors.DNSError,
            "Cannot find the host serve-api.dev2.vssl.ai",
        ),
        (
            connect_error(ssl.SSLCertVerificationError(1, "CERTIFICATE_VERIFY_FAILED")),
            errors.TLSError,
            "CA bundle",
        ),
        (
            connect_error(ConnectionRefusedError(111, "Connection refused")),
            errors.ConnectFailedError,
            "refused",
        ),
        (httpx.ConnectTimeout("timed out"), errors.ConnectTimeoutError, "within 10 s"),
        (httpx.ReadTimeout("timed out"), errors.OutcomeUnknownError, "may or may not"),
        (
            httpx.RemoteProtocolError("Server disconnected"),
            errors.OutcomeUnknownError,
            "connection was lost",
        ),
        (httpx.ReadError("reset"), errors.OutcomeUnknownError, "not sent again"),
        (httpx.WriteError("broken pipe"), errors.OutcomeUnknownError, "may or may not"),
    ],
)
def test_create_transport_errors(exc: Exception, cls: type[Exception], needle: str) -> None:
    err = create_error(raising(exc))
    assert type(err) is cls
    assert needle in err.message


@pytest.mark.parametrize(
    ("exc", "cls"),
    [
        (httpx.ReadTimeout("timed out"), errors.ReadTimeoutError),
        (httpx.RemoteProtocolError("Server disconnected"), errors.ConnectionLostError),
        (connect_error(ConnectionRefusedError(111, "refused")), errors.ConnectFailedError),
    ],
)
def test_fetch_transport_errors_are_retryable_kinds(exc: Exception, cls: type[Exception]) -> None:
    assert type(fetch_error(raising(exc))) is cls


# -- fetch_output ------------------------------------------------------------------


def test_fetch_pending() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"status": "pending"})

    with client_for(handler) as c:
        out = c.fetch_output(BASE, "98nlux8b0eu6", TOKEN)
    assert out == OutputStatus("pending")
    assert not out.is_final
    assert str(seen[0].url) == BASE + "/async/98nlux8b0eu6/output"
    assert seen[0].method == "GET"
    assert seen[0].headers["authorization"] == f"Bearer {TOKEN}"


def test_fetch_completed_example_from_the_api_sheet() -> None:
    body = {
        "status": "completed",
        "status_code": 200,
        "raw_output": '{"text": "Hello!"}',
        "output": {"text": "Hello!"},
        "unknown_extra": 1,
    }
    with client_for(answer(200, body)) as c:
        out = c.fetch_output(BASE, "x1", TOKEN)
    assert out.is_final
    assert out.status_code == 200
    assert out.raw_output == '{"text": "Hello!"}'
    assert out.output_json is not None and json.loads(out.output_json) == {"text": "Hello!"}
    assert out.fail_reason is None


def test_fetch_failed_without_output() -> None:
    body = {
        "status": "failed",
        "status_code": 503,
        "raw_output": "upstream down",
        "fail_reason": "service answered 503",
    }
    with client_for(answer(200, body)) as c:
        out = c.fetch_output(BASE, "x1", TOKEN)
    assert out == OutputStatus("failed", 503, "upstream down", None, "service answered 503")


def test_fetch_output_null_is_kept() -> None:
    body = {"status": "completed", "status_code": 200, "raw_output": "null", "output": None}
    with client_for(answer(200, body)) as c:
        assert c.fetch_output(BASE, "x1", TOKEN).output_json == "null"


@pytest.mark.parametrize(
    ("handler", "cls", "needle"),
    [
        (answer(200, {"status": "exploded"}), errors.ProtocolError, "unknown status"),
        (answer(200, {"state": "pending"}), errors.ProtocolError, "no 'status'"),
        (answer(200, text="garbage{"), errors.ProtocolError, "not JSON"),
        (
            answer(404, {"message": "no such request"}),
            errors.NotFoundError,
            "No request with id 98nlux8b0eu6",
        ),
        (answer(500, text="oops"), errors.ServerError, "oops"),
        (answer(401, None), errors.AuthError, "token was rejected"),
    ],
)
def test_fetch_errors(handler: Handler, cls: type[Exception], needle: str) -> None:
    err = fetch_error(handler)
    assert type(err) is cls
    assert needle in err.message


# -- real sockets on 127.0.0.1 -----------------------------------------------------------


@pytest.fixture
def silent_server() -> Iterator[tuple[int, list[socket.socket]]]:
    """A TCP server that accepts and reads, but never answers."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen()
    conns: list[socket.socket] = []
    stop = threading.Event()

    def run() -> None:
        srv.settimeout(0.1)
        while not stop.is_set():
            try:
                conn, _ = srv.accept()
            except OSError:
                continue
            conns.append(conn)

    t = threading.Thread(target=run, daemon=True)
    t.start()
    yield srv.getsockname()[1], conns
    stop.set()
    t.join()
    for c in conns:
        c.close()
    srv.close()


def test_real_read_timeout_on_create_is_unknown(
    silent_server: tuple[int, list[socket.socket]],
) -> None:
    port, _ = silent_server
    req = AsyncRequest(f"http://127.0.0.1:{port}/api/v1/services/s", "POST", "/", "{}")
    with (
        ServeClient(timeouts=Timeouts(connect=2, read=0.3)) as c,
        pytest.raises(errors.OutcomeUnknownError) as exc,
    ):
        c.create(req, TOKEN)
    assert "0.3 s" in exc.value.message


def test_real_dropped_connection_on_create_is_unknown() -> None:
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen()

    def drop() -> None:
        conn, _ = srv.accept()
        conn.recv(65536)
        conn.close()

    t = threading.Thread(target=drop, daemon=True)
    t.start()
    req = AsyncRequest(f"http://127.0.0.1:{srv.getsockname()[1]}/s", "POST", "/", "{}")
    try:
        with ServeClient() as c, pytest.raises(errors.OutcomeUnknownError):
            c.create(req, TOKEN)
    finally:
        t.join()
        srv.close()


def test_real_connection_refused() -> None:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    req = AsyncRequest(f"http://127.0.0.1:{port}/s", "POST", "/", "{}")
    with ServeClient() as c, pytest.raises(errors.ConnectFailedError) as exc:
        c.create(req, TOKEN)
    assert "refused" in exc.value.message and "Nothing was sent" in exc.value.message


def test_injected_client_is_not_closed() -> None:
    http = httpx.Client(transport=httpx.MockTransport(answer(201, {"id": "a"})))
    with ServeClient(http) as c:
        c.create(REQ, TOKEN)
    assert not http.is_closed
    http.close()


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


def test_headers_follow_the_token_and_the_clients_own_settings() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        body = {"status": "pending"} if request.method == "GET" else {"id": "a1"}
        return httpx.Response(201, json=body, headers={"set-cookie": "lb=node7; Path=/"})

    http = httpx.Client(
        transport=httpx.MockTransport(handler), headers={"X-Team": "ml", "Accept": "text/plain"}
    )
    with ServeClient(http) as c:
        c.create(REQ, TOKEN)
        c.create(REQ, "other-token-1234")
        http.headers["X-Team"] = "infra"  # changed after the first requests
        c.fetch_output(BASE, "a1", "other-token-1234")
    first, second, third = seen
    assert first.headers["authorization"] == f"Bearer {TOKEN}"
    assert second.headers["authorization"] == "Bearer other-token-1234"
    assert first.headers["x-team"] == "ml" and third.headers["x-team"] == "infra"
    assert first.headers["content-type"] == "application/json"
    assert "content-type" not in third.headers  # a GET has no body
    assert first.headers["accept"] == "text/plain"  # the client's own value is kept
    assert "cookie" not in first.headers
    assert second.headers["cookie"] == "lb=node7"  # cookies the service set go back to it
    assert str(third.url) == f"{BASE}/async/a1/output"
    assert first.extensions["timeout"] == http.timeout.as_dict()
    http.close()


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
    from vessl_gui.core.client import _HOLD, _AbortableStream

    inner = _Recorder()
    stream = _AbortableStream(inner, Aborter())
    head, body = b"POST /async HTTP/1.1\r\nHost: h\r\n\r\n", b'{"data": 1}'
    for chunk in (head, body, b""):  # what httpcore writes for a small request
        stream.write(chunk, timeout=5)
    assert inner.writes == []  # held back until the answer is awaited
    assert stream.read(100) == b"HTTP/1.1 201 Created\r\n"
    assert inner.writes == [head + body]
    big = b"x" * (_HOLD + 1)
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


def test_the_apps_own_client_keeps_cookies_a_service_sets() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        headers = {"set-cookie": "lb=node3; Path=/"} if len(seen) == 2 else {}
        return httpx.Response(201, json={"id": f"a{len(seen)}"}, headers=headers)

    with client_for(handler) as c:
        for _ in range(3):
            c.create(REQ, TOKEN)
        assert dict(c.http.cookies) == {"lb": "node3"}
    assert ["cookie" in r.headers for r in seen] == [False, False, True]
    assert seen[2].headers["cookie"] == "lb=node3"
