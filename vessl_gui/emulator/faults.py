"""Fault injection for the emulator's two endpoints.

A :class:`Fault` is queued per endpoint (``"create"`` or ``"output"``) and
consumed by the next matching call (``POST …/async`` or ``GET …/async/{id}/output``,
whatever the slug, token or id): once by default, ``times=N`` calls, or for
every call when sticky (``times=None``).

There are two families:

* replacing faults (``status`` set): the real endpoint does not run; the client
  gets that status with ``body`` (default a JSON ``{"message": …}``);
* modifying faults: the real endpoint runs and its answer is changed
  (``real_status``, ``extra_fields``, ``headers``, ``truncate``) or never sent
  (``drop="after"``).

``delay`` (sleep before answering) and ``drop="before"`` (close the connection
after reading the request, without doing anything) apply to both.
"""

from __future__ import annotations

import dataclasses
import json
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal

Endpoint = Literal["create", "output"]
ENDPOINTS: Final[tuple[Endpoint, ...]] = ("create", "output")
MALFORMED_JSON: Final = b'{"id": "abc123", "status": '


@dataclass(frozen=True)
class Fault:
    """One injected misbehaviour of an endpoint (see the module docstring)."""

    status: int | None = None
    """Answer with this status instead of running the endpoint."""
    body: bytes | None = None
    """Body for ``status`` (default: JSON ``{"message": "injected fault"}``)."""
    content_type: str = "application/json"
    """Content-Type of ``body``."""
    headers: tuple[tuple[str, str], ...] = ()
    """Extra headers on the answer (replaced or real), e.g. Location, Retry-After."""
    delay: float = 0.0
    """Seconds to sleep before answering (added to the global latency)."""
    drop: Literal["before", "after"] | None = None
    """Close the connection without answering: before or after running the endpoint."""
    truncate: bool = False
    """Send the headers and only half the body, then close the connection."""
    extra_fields: Mapping[str, Any] | None = None
    """Merged into the real JSON answer (overriding keys, e.g. ``status``)."""
    real_status: int | None = None
    """Run the endpoint, then send its body with this status instead."""
    times: int | None = 1
    """How many calls it applies to; ``None`` = every call until cleared."""

    def __post_init__(self) -> None:
        if isinstance(self.headers, Mapping):  # be lenient: accept a dict too
            object.__setattr__(self, "headers", tuple(self.headers.items()))
        for code in (self.status, self.real_status):
            if code is not None and not 200 <= code <= 599:
                raise ValueError(f"fault status must be 200-599, not {code}")
        if self.times is not None and self.times < 1:
            raise ValueError("times must be >= 1 or None (sticky)")
        if self.delay < 0:
            raise ValueError("delay must be >= 0")
        if self.drop not in (None, "before", "after"):
            raise ValueError("drop must be None, 'before' or 'after'")

    # -- derived copies -----------------------------------------------------
    def sticky(self) -> Fault:
        """This fault for every call until cleared."""
        return dataclasses.replace(self, times=None)

    def repeat(self, times: int) -> Fault:
        """This fault for the next ``times`` calls."""
        return dataclasses.replace(self, times=times)

    @property
    def replaces(self) -> bool:
        return self.status is not None

    def replacement_body(self) -> bytes:
        if self.body is not None:
            return self.body
        return b'{"message": "injected fault"}'

    # -- factories ----------------------------------------------------------
    @classmethod
    def error(
        cls,
        status: int,
        message: str = "injected fault",
        *,
        retry_after: str | float | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Fault:
        """``status`` with JSON ``{"message": message}`` (and ``Retry-After``)."""
        hdrs = dict(headers or {})
        if retry_after is not None:
            hdrs["Retry-After"] = _retry_after_text(retry_after)
        body = json.dumps({"message": message}).encode()
        return cls(status=status, body=body, headers=tuple(hdrs.items()))

    @classmethod
    def text(
        cls,
        status: int,
        text: str = "<html><body><h1>502 Bad Gateway</h1></body></html>",
        *,
        content_type: str = "text/html",
        headers: Mapping[str, str] | None = None,
    ) -> Fault:
        """``status`` with a non-JSON body (e.g. a proxy's HTML error page)."""
        return cls(
            status=status,
            body=text.encode(),
            content_type=content_type,
            headers=tuple((headers or {}).items()),
        )

    @classmethod
    def json(cls, status: int, payload: Any) -> Fault:
        """``status`` with ``payload`` as its JSON body (anything, valid or not for the API)."""
        return cls(status=status, body=json.dumps(payload).encode())

    @classmethod
    def rate_limited(cls, retry_after: str | float = 1) -> Fault:
        return cls.error(429, "too many requests", retry_after=retry_after)

    @classmethod
    def redirect(cls, status: int = 307, location: str = "https://example.invalid/") -> Fault:
        return cls.error(status, "moved", headers={"Location": location})

    @classmethod
    def slow(cls, seconds: float) -> Fault:
        """Answer normally after ``seconds``."""
        return cls(delay=seconds)

    @classmethod
    def malformed_json(cls, status: int = 201) -> Fault:
        """A 2xx (by default) whose JSON body is cut off."""
        return cls(status=status, body=MALFORMED_JSON)

    @classmethod
    def bad_id(cls, request_id: str = "NOT-AN-ID!") -> Fault:
        """201 ``{"id": request_id}`` without creating anything."""
        return cls.json(201, {"id": request_id})

    @classmethod
    def missing_id(cls) -> Fault:
        """201 ``{}`` without creating anything."""
        return cls.json(201, {})

    @classmethod
    def extra(cls, **fields: Any) -> Fault:
        """The real answer with ``fields`` merged into its JSON object."""
        return cls(extra_fields=fields)

    @classmethod
    def unknown_status(cls, status: str = "exploded") -> Fault:
        """The real output answer with its ``status`` replaced."""
        return cls(extra_fields={"status": status})

    @classmethod
    def wrong_status(cls, status: int = 200) -> Fault:
        """The real answer sent with another status (e.g. 200 instead of 201)."""
        return cls(real_status=status)

    @classmethod
    def dropped(cls, *, after: bool = False) -> Fault:
        """Close the connection without answering (``after``: once the call has run)."""
        return cls(drop="after" if after else "before")

    @classmethod
    def truncated(cls) -> Fault:
        """The real answer, cut off in the middle of its body."""
        return cls(truncate=True)


def _retry_after_text(value: str | float) -> str:
    if isinstance(value, str):
        return value
    return str(int(value)) if float(value).is_integer() else str(value)


class FaultQueues:
    """One FIFO of faults per endpoint. Not thread-safe: the caller holds the lock."""

    def __init__(self) -> None:
        self._queues: dict[str, deque[list[Any]]] = {e: deque() for e in ENDPOINTS}

    def add(self, endpoint: Endpoint, fault: Fault) -> None:
        self._queue(endpoint).append([fault, fault.times])

    def take(self, endpoint: Endpoint) -> Fault | None:
        queue = self._queue(endpoint)
        if not queue:
            return None
        entry = queue[0]
        fault: Fault = entry[0]
        if entry[1] is not None:
            entry[1] -= 1
            if entry[1] <= 0:
                queue.popleft()
        return fault

    def clear(self, endpoint: Endpoint | None = None) -> None:
        for name, queue in self._queues.items():
            if endpoint is None or endpoint == name:
                queue.clear()

    def pending(self, endpoint: Endpoint) -> int:
        """Faults still queued (a sticky one counts once)."""
        return len(self._queue(endpoint))

    def _queue(self, endpoint: str) -> deque[list[Any]]:
        try:
            return self._queues[endpoint]
        except KeyError:
            raise ValueError(f"unknown endpoint {endpoint!r}; use 'create' or 'output'") from None
