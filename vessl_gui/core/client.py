"""``ServeClient``: the two calls of the VESSL async API over httpx.

``create(request, token) -> Submission`` and
``fetch_output(base_url, request_id, token) -> OutputStatus``.  Every other
outcome is one error of :mod:`vessl_gui.core.errors`, with a message a person
can act on.  Redirects are never followed (the token must not travel to
another host), TLS is verified by default, proxies and ``SSL_CERT_FILE`` come
from the environment.

The client takes an ``httpx.Client`` (or a transport) in its constructor so
tests can inject ``httpx.MockTransport``; a worker thread owns one and
reuses its connections.

Requests are built the way ``httpx.Client.build_request`` builds them (the
client's headers, then ours; its timeout), but from parts made once: parsed
URLs are kept per base URL and the headers per token, so a create costs about
what a bare ``httpx.Client.send`` does (tests/benchmarks B3).
"""

from __future__ import annotations

import contextlib
import email.utils
import json
import re
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, Final

import httpcore
import httpx

from vessl_gui import __version__
from vessl_gui.core import errors
from vessl_gui.core.models import (
    OUTPUT_STATUSES,
    REQUEST_ID_RE,
    AsyncRequest,
    OutputStatus,
    Submission,
    Timeouts,
    output_url,
)

USER_AGENT: Final = f"vessl-gui/{__version__}"
_JSON: Final = "application/json"
_SNIPPET: Final = 300
_TAG_RE: Final = re.compile(r"<[^>]+>")
_SPACE_RE: Final = re.compile(r"\s+")
#: JSON may escape half a surrogate pair ("\ud83d"); such text cannot be stored as UTF-8.
_LONE_SURROGATE_RE: Final = re.compile("[\ud800-\udfff]")
#: Control characters (binary junk) do not belong in a message: shown as U+FFFD.
_CONTROL_RE: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MAYBE_CREATED: Final = (
    "The service accepted the request, so it may have been created: check the service "
    "before using Send again."
)
#: Parsed URLs kept per ServeClient (base URLs in use; cleared when it grows past this).
_URL_CACHE: Final = 64
_DNS_HINTS: Final = (
    "Name or service not known",
    "nodename nor servname",
    "getaddrinfo failed",
    "No address associated",
    "Temporary failure in name resolution",
)


def make_http_client(
    *,
    timeouts: Timeouts | None = None,
    verify: bool = True,
    ca_bundle: str | None = None,
    transport: httpx.BaseTransport | None = None,
) -> httpx.Client:
    """An ``httpx.Client`` set up the way the app needs it."""
    t = timeouts or Timeouts()
    verify_arg: bool | ssl.SSLContext = verify
    if verify and ca_bundle:
        verify_arg = ssl.create_default_context(cafile=ca_bundle)
    client = httpx.Client(
        timeout=httpx.Timeout(connect=t.connect, read=t.read, write=t.write, pool=t.pool),
        follow_redirects=False,
        verify=verify_arg,
        trust_env=True,
        transport=transport,
        headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
    )
    # (best effort: if httpx renames the attribute, cookies are simply handled as usual)
    client._cookies = _Cookies()
    return client


class _Cookies(httpx.Cookies):
    """A cookie jar that skips looking at answers without cookies (~20 µs each:
    httpx builds urllib request/response adapters for every answer)."""

    def extract_cookies(self, response: httpx.Response) -> None:
        headers = response.headers
        if "set-cookie" in headers or "set-cookie2" in headers:
            super().extract_cookies(response)


class ServeClient:
    """Talks to one or more VESSL services through one ``httpx.Client``."""

    def __init__(
        self,
        http: httpx.Client | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        timeouts: Timeouts | None = None,
        verify: bool = True,
        ca_bundle: str | None = None,
    ) -> None:
        self._owns_http = http is None
        self._timeouts = timeouts or Timeouts()
        self._http = http or make_http_client(
            timeouts=self._timeouts, verify=verify, ca_bundle=ca_bundle, transport=transport
        )
        self._urls: dict[str, httpx.URL] = {}
        # The last headers built: (client headers, token, content type) -> headers.
        self._headers_key: tuple[list[tuple[bytes, bytes]], str, str | None] | None = None
        self._headers = httpx.Headers()

    @property
    def http(self) -> httpx.Client:
        return self._http

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> ServeClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the two calls -------------------------------------------------------

    def create(self, request: AsyncRequest, token: str) -> Submission:
        """``POST {base}/async``; never retried (create is not idempotent)."""
        url = request.create_url
        started = time.monotonic()
        response = self._send(
            "POST", url, token, content=request.body(), content_type=_JSON, is_create=True
        )
        elapsed = time.monotonic() - started
        try:
            body = self._json_body(response, "POST", url, token)
        except errors.ProtocolError as exc:
            raise errors.ProtocolError(
                f"{exc.message}. {_MAYBE_CREATED}", method="POST", url=url
            ) from None
        request_id = body.get("id") if isinstance(body, dict) else None
        if request_id is None:
            raise errors.ProtocolError(
                f"The service answered {response.status_code} without a request id "
                f"(body: {_snippet(response.text, token)}). Is the base URL a VESSL service? "
                f"{_MAYBE_CREATED}",
                method="POST",
                url=url,
            )
        if not isinstance(request_id, str) or not REQUEST_ID_RE.match(request_id):
            raise errors.ProtocolError(
                f"The service answered {response.status_code} with an id that is not a valid "
                f"request id ({_snippet(json.dumps(request_id), token)}); "
                f"expected 1 to 16 lowercase letters and digits. {_MAYBE_CREATED}",
                method="POST",
                url=url,
            )
        return Submission(request_id, response.status_code, elapsed)

    def fetch_output(self, base_url: str, request_id: str, token: str) -> OutputStatus:
        """``GET {base}/async/{id}/output``; safe to retry."""
        url = output_url(base_url, request_id)
        response = self._send("GET", url, token, is_create=False, request_id=request_id)
        body = self._json_body(response, "GET", url, token)
        if not isinstance(body, dict) or "status" not in body:
            raise errors.ProtocolError(
                f"The status answer has no 'status' field (body: {_snippet(response.text, token)})",
                method="GET",
                url=url,
            )
        status = body["status"]
        if status not in OUTPUT_STATUSES:
            raise errors.ProtocolError(
                f"The service reported an unknown status {_snippet(json.dumps(status), token)} "
                f"(known: {', '.join(OUTPUT_STATUSES)}); the app may need an update",
                method="GET",
                url=url,
            )
        status_code = body.get("status_code")
        if (
            not isinstance(status_code, int)
            or isinstance(status_code, bool)
            or not 0 <= status_code <= 999  # not an HTTP status (and may not fit in SQLite)
        ):
            status_code = None
        raw = body.get("raw_output")
        if raw is not None and not isinstance(raw, str):
            raw = json.dumps(raw, ensure_ascii=False)
        output_json = None
        if "output" in body:
            output_json = _valid_text(json.dumps(body["output"], ensure_ascii=False))
        reason = body.get("fail_reason")
        if reason is not None and not isinstance(reason, str):
            reason = json.dumps(reason, ensure_ascii=False)
        return OutputStatus(
            str(status),
            status_code,
            None if raw is None else _valid_text(raw),
            output_json,
            None if reason is None else _valid_text(reason),
        )

    # -- plumbing ------------------------------------------------------------

    def _send(
        self,
        method: str,
        url: str,
        token: str,
        *,
        is_create: bool,
        content: bytes | None = None,
        content_type: str | None = None,
        request_id: str | None = None,
    ) -> httpx.Response:
        try:
            response = self._http.send(self._request(method, url, token, content, content_type))
        except httpx.HTTPError as exc:
            raise _transport_error(exc, method, url, is_create, self._timeouts) from None
        if 200 <= response.status_code < 300:
            return response
        raise _status_error(response, method, url, token, request_id)

    def _request(
        self, method: str, url: str, token: str, content: bytes | None, content_type: str | None
    ) -> httpx.Request:
        """What ``self._http.build_request`` makes, from parts kept between calls."""
        http = self._http
        extra = {"Authorization": f"Bearer {token}"}
        if content_type is not None:
            extra["Content-Type"] = content_type
        if http.cookies or http.params:  # (never set by the app) merged the usual way
            return http.build_request(method, url, content=content, headers=extra)
        parsed = self._urls.get(url)
        if parsed is None:
            parsed = httpx.URL(url)
            if parsed.is_relative_url:  # merged with the client's base_url
                return http.build_request(method, url, content=content, headers=extra)
            if len(self._urls) >= _URL_CACHE:
                self._urls.clear()
            if method == "POST":  # create URLs repeat; a status URL is used once or twice
                self._urls[url] = parsed
        own = http.headers.raw
        key = (own, token, content_type)
        if key != self._headers_key:  # merged as build_request merges them
            headers = httpx.Headers(http.headers)
            headers.update(extra)
            self._headers, self._headers_key = headers, key
        return httpx.Request(method, parsed, content=content, headers=self._headers)

    @staticmethod
    def _json_body(response: httpx.Response, method: str, url: str, token: str) -> Any:
        try:
            return json.loads(response.content)
        except (ValueError, UnicodeDecodeError, RecursionError):
            kind = response.headers.get("content-type", "no content type")
            raise errors.ProtocolError(
                f"The service answered {response.status_code} but the body is not JSON "
                f"({kind}: {_snippet(response.text, token)})",
                method=method,
                url=url,
            ) from None


def _valid_text(text: str) -> str:
    """``text`` with unpaired surrogates (from JSON escapes) replaced by U+FFFD."""
    return _LONE_SURROGATE_RE.sub("\ufffd", text)


def _snippet(text: str, token: str = "") -> str:
    text = _SPACE_RE.sub(" ", _TAG_RE.sub(" ", _valid_text(text))).strip()
    text = _CONTROL_RE.sub("\ufffd", text)
    if token and len(token) >= 4:
        text = text.replace(token, "••••")
    if len(text) > _SNIPPET:
        text = text[:_SNIPPET] + "…"
    return text or "empty"


def server_message(response: httpx.Response, token: str = "") -> str:
    """The server's own explanation: JSON ``message``/``detail``/``error`` or the text."""
    try:
        body = json.loads(response.content)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return _snippet(response.text, token) if response.content else ""
    if isinstance(body, dict):
        for key in ("message", "detail", "error", "msg", "title"):
            value = body.get(key)
            if isinstance(value, str) and value.strip():
                return _snippet(value, token)
            if value is not None and not isinstance(value, str):
                return _snippet(json.dumps(value, ensure_ascii=False), token)
    return _snippet(json.dumps(body, ensure_ascii=False), token)


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP-date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def _status_error(
    response: httpx.Response, method: str, url: str, token: str, request_id: str | None
) -> errors.HTTPStatusError:
    code = response.status_code
    phrase = f"{code} {response.reason_phrase}".strip()
    said = server_message(response, token)
    tail = f" The service said: {said}" if said else ""
    kw: dict[str, Any] = {"status_code": code, "server_message": said, "method": method, "url": url}
    if 300 <= code < 400:
        location = response.headers.get("location", "")
        where = f" to {location}" if location else ""
        return errors.RedirectError(
            f"The service redirected ({phrase}){where}. The app does not follow redirects, so the "
            "token is never sent elsewhere: check the base URL (https, host, path) and use the "
            "address the service's Request dialog shows.",
            location=location,
            **kw,
        )
    if code in (401, 403):
        return errors.AuthError(
            f"The token was rejected ({phrase}). Copy the token again from the service's "
            f"Request dialog, and check it belongs to this service.{tail}",
            **kw,
        )
    if code == 404:
        what = (
            f"No request with id {request_id} at this service, or no service at this base URL"
            if request_id
            else "No service at this base URL"
        )
        return errors.NotFoundError(f"{what} ({phrase}). Check the base URL.{tail}", **kw)
    if code == 413:
        return errors.PayloadTooLargeError(
            f"The request is too large for the service ({phrase}). Make data smaller.{tail}", **kw
        )
    if code == 429:
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        wait = f" It asks to wait {retry_after:.0f} s." if retry_after is not None else ""
        return errors.RateLimitedError(
            f"Too many requests ({phrase}).{wait} Try again later.{tail}",
            retry_after=retry_after,
            **kw,
        )
    if 400 <= code < 500:
        return errors.ClientError(f"The service refused the request ({phrase}).{tail}", **kw)
    if 500 <= code < 600:
        return errors.ServerError(
            f"The service failed ({phrase}). Try again in a moment.{tail}", **kw
        )
    return errors.HTTPStatusError(f"Unexpected answer from the service ({phrase}).{tail}", **kw)


def _causes(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    cur: BaseException | None = exc
    while cur is not None and cur not in seen:
        seen.append(cur)
        cur = cur.__cause__ or cur.__context__
    return seen


def _transport_error(
    exc: httpx.HTTPError, method: str, url: str, is_create: bool, timeouts: Timeouts
) -> errors.TransportError:
    host = httpx.URL(url).host if url else "the host"
    chain = _causes(exc)
    text = " ".join(str(e) for e in chain)

    def of(cls: type[errors.TransportError]) -> Callable[[str], errors.TransportError]:
        return lambda msg: cls(msg, method=method, url=url)

    if isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout):
        return of(errors.ConnectTimeoutError)(
            f"Could not connect to {host} within {timeouts.connect:g} s. "
            "Check your network, VPN or proxy, and the base URL. Nothing was sent."
        )
    if isinstance(exc, httpx.ConnectError):
        if any(isinstance(e, ssl.SSLError) for e in chain) or "SSL" in text or "TLS" in text:
            reason = "the certificate could not be verified" if "CERTIFICATE" in text else text
            return of(errors.TLSError)(
                f"Secure connection to {host} failed: {reason}. If the service uses a private "
                "certificate authority, set the CA bundle in Settings. Nothing was sent."
            )
        if any(isinstance(e, socket.gaierror) for e in chain) or any(s in text for s in _DNS_HINTS):
            return of(errors.DNSError)(
                f"Cannot find the host {host} (DNS lookup failed). Check the base URL "
                "and your network. Nothing was sent."
            )
        if any(isinstance(e, ConnectionRefusedError) for e in chain) or "refused" in text.lower():
            return of(errors.ConnectFailedError)(
                f"Connection refused by {host}: is the service running and is the base URL "
                "right? Nothing was sent."
            )
        return of(errors.ConnectFailedError)(
            f"Could not connect to {host} ({_snippet(text)}). Nothing was sent."
        )
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return of(errors.ConnectFailedError)(f"Cannot use this URL: {exc}")
    # The request may have reached the server.
    if is_create:
        why = (
            f"no answer within {timeouts.read:g} s"
            if isinstance(exc, httpx.TimeoutException)
            else "the connection was lost before the answer"
        )
        return of(errors.OutcomeUnknownError)(
            f"The request was sent but {why}: it may or may not have been created. "
            "It was not sent again automatically; check the service before using Send again."
        )
    if isinstance(exc, httpx.TimeoutException):
        return of(errors.ReadTimeoutError)(
            f"No answer from {host} within {timeouts.read:g} s; will check again."
        )
    return of(errors.ConnectionLostError)(
        f"The connection to {host} was lost before the answer ({type(exc).__name__}); "
        "will check again."
    )


class Aborter:
    """Lets another thread cut the connections of a client that may be blocked reading.

    Used on shutdown: the GUI thread calls :meth:`abort`, a worker blocked in a
    read gets an error at once and its thread can finish.  Thread-safe.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._streams: set[_AbortableStream] = set()
        self.aborted = False

    def _add(self, stream: _AbortableStream) -> None:
        with self._lock:
            self._streams.add(stream)

    def _discard(self, stream: _AbortableStream) -> None:
        with self._lock:
            self._streams.discard(stream)

    def abort(self) -> int:
        """Shut down every open connection; return how many were cut."""
        with self._lock:
            self.aborted = True
            streams = list(self._streams)
        for stream in streams:
            stream.abort()
        return len(streams)

    def install(self, client: httpx.Client) -> bool:
        """Route ``client``'s new connections through this aborter (best effort)."""
        transport = getattr(client, "_transport", None)
        pool = getattr(transport, "_pool", None)
        if pool is None or not hasattr(pool, "_network_backend"):
            return False
        pool._network_backend = _AbortableBackend(pool._network_backend, self)
        return True


#: Writes up to this size are held back and go out together (see ``_AbortableStream``).
_HOLD: Final = 16 * 1024


class _AbortableStream(httpcore.NetworkStream):
    """A connection :class:`Aborter` can cut, and which sends a small request in one write.

    httpcore writes a request's head, then its body (then an empty end): two
    TCP segments, each waking the server.  Small writes are held back here until
    a larger write, a read (the request is complete: the answer is awaited) or
    close, so a small request goes out in one write (tests/benchmarks B3).  A
    large body is written on its own, as before.
    """

    def __init__(self, inner: httpcore.NetworkStream, aborter: Aborter) -> None:
        self._inner = inner
        self._aborter = aborter
        self._held = b""
        self._held_timeout: float | None = None
        aborter._add(self)

    def _flush(self) -> None:
        held, self._held = self._held, b""
        self._inner.write(held, self._held_timeout)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        if self._held:
            self._flush()
        return self._inner.read(max_bytes, timeout)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if len(self._held) + len(buffer) <= _HOLD:
            self._held += buffer
            self._held_timeout = timeout
            return
        if self._held:
            self._flush()
        self._inner.write(buffer, timeout)

    def close(self) -> None:
        self._held = b""
        self._aborter._discard(self)
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        if self._held:
            self._flush()
        self._inner = self._inner.start_tls(ssl_context, server_hostname, timeout)
        return self

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)

    def abort(self) -> None:
        sock = self._inner.get_extra_info("socket")
        if isinstance(sock, socket.socket):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


class _AbortableBackend(httpcore.NetworkBackend):
    def __init__(self, inner: httpcore.NetworkBackend, aborter: Aborter) -> None:
        self._inner = inner
        self._aborter = aborter

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        if self._aborter.aborted:
            raise httpcore.ConnectError("the app is closing")
        stream = self._inner.connect_tcp(host, port, timeout, local_address, socket_options)
        return _AbortableStream(stream, self._aborter)

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        return self._inner.connect_unix_socket(path, timeout, socket_options)

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)
