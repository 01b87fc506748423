"""HTTP statuses and transport failures, as the errors ServeClient raises."""

from __future__ import annotations

import socket
import ssl

import httpx
import pytest

from tests.core.test_client import (
    BASE,
    TOKEN,
    Handler,
    answer,
    create_error,
    fetch_error,
)
from vessl_gui.core import errors
from vessl_gui.core.http_errors import parse_retry_after


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


def test_a_url_error_with_a_lone_surrogate_gives_a_message_that_can_be_stored() -> None:
    # Found by tests/reliability (Hypothesis): the exception's text went into the
    # message as it was, and sqlite refused to store it (UTF-8 has no lone surrogates).
    err = create_error(raising(httpx.UnsupportedProtocol("\ud800")))
    assert type(err) is errors.ConnectFailedError
    assert err.message == "Cannot use this URL: \ufffd"
    err.message.encode("utf-8")  # raised UnicodeEncodeError before
