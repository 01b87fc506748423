"""``ServeClient``: the two calls of the VESSL async API over httpx.

``create(request, token) -> Submission`` and
``fetch_output(base_url, request_id, token) -> OutputStatus``.  Every other
outcome is one error of :mod:`vessl_gui.core.errors`, with a message a person
can act on (made in :mod:`vessl_gui.core.http_errors`).  Redirects are never
followed (the token must not travel to another host), TLS is verified by
default, proxies and ``SSL_CERT_FILE`` come from the environment.

The client takes an ``httpx.Client`` (or a transport) in its constructor so
tests can inject ``httpx.MockTransport``; a worker thread owns one and
reuses its connections (:class:`vessl_gui.core.abort.Aborter` cuts them on
shutdown).

Requests are built the way ``httpx.Client.build_request`` builds them (the
client's headers, then ours; its timeout), but from parts made once: parsed
URLs are kept per base URL and the headers per token, so a create costs about
what a bare ``httpx.Client.send`` does (tests/benchmarks B3).
"""

from __future__ import annotations

import json
import ssl
import time
from typing import Any, Final

import httpx

from vessl_gui import __version__
from vessl_gui.core import errors
from vessl_gui.core.http_errors import snippet, status_error, transport_error, valid_text
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
_MAYBE_CREATED: Final = (
    "The service accepted the request, so it may have been created: check the service "
    "before using Send again."
)
#: Parsed URLs kept per ServeClient (base URLs in use; cleared when it grows past this).
_URL_CACHE: Final = 64


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
                f"(body: {snippet(response.text, token)}). Is the base URL a VESSL service? "
                f"{_MAYBE_CREATED}",
                method="POST",
                url=url,
            )
        if not isinstance(request_id, str) or not REQUEST_ID_RE.fullmatch(request_id):
            raise errors.ProtocolError(
                f"The service answered {response.status_code} with an id that is not a valid "
                f"request id ({snippet(json.dumps(request_id), token)}); "
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
                f"The status answer has no 'status' field (body: {snippet(response.text, token)})",
                method="GET",
                url=url,
            )
        status = body["status"]
        if status not in OUTPUT_STATUSES:
            raise errors.ProtocolError(
                f"The service reported an unknown status {snippet(json.dumps(status), token)} "
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
            output_json = valid_text(json.dumps(body["output"], ensure_ascii=False))
        reason = body.get("fail_reason")
        if reason is not None and not isinstance(reason, str):
            reason = json.dumps(reason, ensure_ascii=False)
        return OutputStatus(
            str(status),
            status_code,
            None if raw is None else valid_text(raw),
            output_json,
            None if reason is None else valid_text(reason),
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
            raise transport_error(exc, method, url, is_create, self._timeouts) from None
        if 200 <= response.status_code < 300:
            return response
        raise status_error(response, method, url, token, request_id)

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
                f"({kind}: {snippet(response.text, token)})",
                method=method,
                url=url,
            ) from None
