"""Every outcome of ServeClient, through httpx.MockTransport and real local sockets."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable

import httpx
import pytest

from vessl_gui import __version__
from vessl_gui.core import errors
from vessl_gui.core.client import ServeClient
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
        (answer(201, {"id": "98nlux8b0eu6\n"}), "not a valid request id"),  # $ matches before \n
        (answer(200, ["abc"]), "without a request id"),
        (answer(201, text=""), "not JSON"),
    ],
)
def test_create_protocol_errors(handler: Handler, needle: str) -> None:
    err = create_error(handler)
    assert isinstance(err, errors.ProtocolError)
    assert needle in err.message


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


# -- real sockets on 127.0.0.1 (the silent_server fixture is in conftest.py) ------------


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
