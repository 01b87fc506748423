"""Errors of the wire, made readable: HTTP statuses and transport failures.

:func:`status_error` maps a non-2xx answer and :func:`transport_error` an
``httpx`` exception to one error of :mod:`vessl_gui.core.errors`, with a
message a person can act on.  :func:`server_message` is the service's own
explanation and :func:`snippet` any text of the service shortened for a
message, the token masked; :func:`parse_retry_after` reads ``Retry-After``.
"""

from __future__ import annotations

import email.utils
import json
import re
import socket
import ssl
import time
from collections.abc import Callable
from typing import Any, Final

import httpx

from vessl_gui.core import errors
from vessl_gui.core.models import Timeouts

_SNIPPET: Final = 300
_TAG_RE: Final = re.compile(r"<[^>]+>")
_SPACE_RE: Final = re.compile(r"\s+")
#: JSON may escape half a surrogate pair ("\ud83d"); such text cannot be stored as UTF-8.
_LONE_SURROGATE_RE: Final = re.compile("[\ud800-\udfff]")
#: Control characters (binary junk) do not belong in a message: shown as U+FFFD.
_CONTROL_RE: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_DNS_HINTS: Final = (
    "Name or service not known",
    "nodename nor servname",
    "getaddrinfo failed",
    "No address associated",
    "Temporary failure in name resolution",
)


def valid_text(text: str) -> str:
    """``text`` with unpaired surrogates (from JSON escapes) replaced by U+FFFD."""
    return _LONE_SURROGATE_RE.sub("\ufffd", text)


def snippet(text: str, token: str = "") -> str:
    """Text of the service, fit for a message: markup and runs of space made one
    space, control characters U+FFFD, the token masked, at most 300 characters."""
    text = _SPACE_RE.sub(" ", _TAG_RE.sub(" ", valid_text(text))).strip()
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
        return snippet(response.text, token) if response.content else ""
    if isinstance(body, dict):
        for key in ("message", "detail", "error", "msg", "title"):
            value = body.get(key)
            if isinstance(value, str) and value.strip():
                return snippet(value, token)
            if value is not None and not isinstance(value, str):
                return snippet(json.dumps(value, ensure_ascii=False), token)
    return snippet(json.dumps(body, ensure_ascii=False), token)


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


def status_error(
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


def transport_error(
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
            f"Could not connect to {host} ({snippet(text)}). Nothing was sent."
        )
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return of(errors.ConnectFailedError)(f"Cannot use this URL: {snippet(str(exc))}")
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
