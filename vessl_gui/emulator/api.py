"""The emulated HTTP API, without sockets: routing, auth, validation, answers.

:class:`ServiceState` holds everything mutable behind one lock; the HTTP layer
(:mod:`.server`) reads a request, asks :meth:`ServiceState.handle` for an
:class:`Answer` and writes it.
"""

from __future__ import annotations

import hmac
import json
import re
import threading
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from vessl_gui.emulator.faults import Endpoint, Fault, FaultQueues
from vessl_gui.emulator.model import demo_model
from vessl_gui.emulator.queue import RequestQueue
from vessl_gui.emulator.ratelimit import CreateLimiter, retry_after_header

PREFIX: Final = "/api/v1/services/"
_ROUTE: Final = re.compile(r"^/api/v1/services/([^/]+)/async(?:/([^/]*)/output)?$")
_ID_RE: Final = re.compile(r"^[a-z0-9]{1,16}$")


@dataclass(frozen=True)
class Answer:
    """One HTTP answer to write."""

    status: int
    body: bytes = b""
    content_type: str = "application/json"
    headers: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of_json(cls, status: int, payload: Any, *headers: tuple[str, str]) -> Answer:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        return cls(status, body, "application/json", headers)

    @classmethod
    def message(cls, status: int, text: str, *headers: tuple[str, str]) -> Answer:
        return cls.of_json(status, {"message": text}, *headers)

    def modified_by(self, fault: Fault) -> Answer:
        """Apply a modifying fault (real_status, extra_fields, headers)."""
        body = self.body
        if fault.extra_fields:
            try:
                payload = json.loads(body)
            except ValueError:
                payload = None
            if isinstance(payload, dict):
                payload.update(fault.extra_fields)
                body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        status = fault.real_status if fault.real_status is not None else self.status
        return Answer(status, body, self.content_type, self.headers + fault.headers)


@dataclass(frozen=True)
class RecordedRequest:
    """One HTTP request as the emulator received it."""

    method: str
    target: str
    """The request target as sent (path and query)."""
    headers: tuple[tuple[str, str], ...]
    body: bytes
    connection: int
    """Number of the TCP connection it came on (1 = first accepted)."""
    received_at: float

    @property
    def path(self) -> str:
        return self.target.split("?", 1)[0]

    def header(self, name: str) -> str | None:
        """The first header called ``name`` (case-insensitive), or None."""
        low = name.lower()
        for key, value in self.headers:
            if key.lower() == low:
                return value
        return None

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass(frozen=True)
class EmulatorStats:
    """Counters since start (a snapshot)."""

    connections: int
    """TCP connections accepted."""
    open_connections: int
    http_requests: int
    created: int
    """Async requests actually created (201)."""
    polls: int
    """Output answers with a known id."""
    faults_applied: int
    stored: int
    evicted: int
    rate_limited: int = 0
    """Creates refused with 429 by the rate limit (``create_rate``): not created."""
    seeded: int = 0
    """Requests made on the server's side (:meth:`Emulator.seed_request`)."""


def endpoint_of(method: str, path: str) -> Endpoint | None:
    """Which fault queue a request consumes from, if any."""
    match = _ROUTE.match(path)
    if match is None:
        return None
    if match.group(2) is None:
        return "create" if method == "POST" else None
    return "output" if method == "GET" else None


class _BadBody(ValueError):
    pass


def _reject_constant(name: str) -> Any:
    raise _BadBody(f"{name} is not valid JSON")


def parse_create_body(body: bytes) -> tuple[Any, str, str]:
    """``(data, method, path)`` from a create body, or raise ValueError with a message."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise _BadBody("request body is not UTF-8") from None
    try:
        payload = json.loads(text, parse_constant=_reject_constant)
    except _BadBody:
        raise
    except ValueError as exc:
        raise _BadBody(f"request body is not valid JSON: {exc}") from None
    if not isinstance(payload, dict):
        raise _BadBody("request body must be a JSON object")
    if "data" not in payload:
        raise _BadBody("field 'data' is required")
    method = payload.get("method", "POST")
    path = payload.get("path", "/")
    if not isinstance(method, str) or not method:
        raise _BadBody("field 'method' must be a non-empty string")
    if not isinstance(path, str):
        raise _BadBody("field 'path' must be a string")
    return payload["data"], method, path


@dataclass
class _Counters:
    connections: int = 0
    http_requests: int = 0
    created: int = 0
    polls: int = 0
    faults_applied: int = 0
    rate_limited: int = 0
    seeded: int = 0
    open_sockets: dict[Any, int] = field(default_factory=dict)


class ServiceState:
    """Everything mutable, behind one lock."""

    def __init__(
        self,
        *,
        token: str,
        slugs: Sequence[str],
        queue: RequestQueue,
        latency: float,
        max_body_bytes: int,
        record_limit: int,
        clock: Callable[[], float],
        create_rate: int | None = None,
    ) -> None:
        if not slugs:
            raise ValueError("at least one slug is needed")
        for slug in slugs:
            if not slug or "/" in slug or "?" in slug:
                raise ValueError(f"bad slug {slug!r}")
        self.lock = threading.Condition(threading.Lock())
        self.token = token
        self.slugs = tuple(dict.fromkeys(slugs))
        self.queue = queue
        self.latency = latency
        self.max_body_bytes = max_body_bytes
        self.clock = clock
        self.faults = FaultQueues()
        self.records: deque[RecordedRequest] = deque(maxlen=record_limit)
        self.counters = _Counters()
        self.internal_errors: deque[str] = deque(maxlen=100)
        self.stopping = threading.Event()
        """Set while shutting down: wakes handlers sleeping on latency."""
        self.limiter = CreateLimiter(create_rate) if create_rate else None
        """At most this many creates a second, or None."""

    # -- bookkeeping called by the HTTP layer -------------------------------
    def connection_opened(self, sock: Any) -> int:
        with self.lock:
            self.counters.connections += 1
            self.counters.open_sockets[sock] = self.counters.connections
            return self.counters.connections

    def connection_closed(self, sock: Any) -> None:
        with self.lock:
            self.counters.open_sockets.pop(sock, None)
            self.lock.notify_all()

    def connection_number(self, sock: Any) -> int:
        with self.lock:
            return self.counters.open_sockets.get(sock, 0)

    def open_connections(self) -> list[Any]:
        with self.lock:
            return list(self.counters.open_sockets)

    def wait_all_closed(self, timeout: float) -> bool:
        with self.lock:
            return self.lock.wait_for(lambda: not self.counters.open_sockets, timeout)

    def record(self, rec: RecordedRequest) -> None:
        with self.lock:
            self.counters.http_requests += 1
            self.records.append(rec)

    def note_error(self, text: str) -> None:
        with self.lock:
            self.internal_errors.append(text)

    def take_fault(self, endpoint: Endpoint | None) -> Fault | None:
        if endpoint is None:
            return None
        with self.lock:
            fault = self.faults.take(endpoint)
            if fault is not None:
                self.counters.faults_applied += 1
            return fault

    def stats(self) -> EmulatorStats:
        with self.lock:
            c = self.counters
            return EmulatorStats(
                connections=c.connections,
                open_connections=len(c.open_sockets),
                http_requests=c.http_requests,
                created=c.created,
                polls=c.polls,
                faults_applied=c.faults_applied,
                stored=len(self.queue),
                evicted=self.queue.evicted,
                rate_limited=c.rate_limited,
                seeded=c.seeded,
            )

    # -- the API --------------------------------------------------------------
    def handle(
        self, method: str, path: str, headers: Sequence[tuple[str, str]], body: bytes
    ) -> Answer:
        match = _ROUTE.match(path)
        if match is None:
            return Answer.message(404, f"not found: {path}")
        slug, request_id = match.group(1), match.group(2)
        wanted = "POST" if request_id is None else "GET"
        if method != wanted:
            return Answer.message(405, f"method {method} not allowed", ("Allow", wanted))
        denied = self._check_auth(headers)
        if denied is not None:
            return denied
        if slug not in self.slugs:
            return Answer.message(404, f"service {slug!r} not found")
        if request_id is None:
            return self._create(slug, body)
        return self._output(slug, request_id)

    def _check_auth(self, headers: Sequence[tuple[str, str]]) -> Answer | None:
        values = [v for k, v in headers if k.lower() == "authorization"]
        challenge = ("WWW-Authenticate", "Bearer")
        if not values:
            return Answer.message(401, "missing Authorization header", challenge)
        scheme, _, given = values[0].strip().partition(" ")
        if scheme.lower() != "bearer" or not given.strip():
            return Answer.message(401, "Authorization must use the Bearer scheme", challenge)
        with self.lock:
            token = self.token
        if not hmac.compare_digest(given.strip().encode(), token.encode()):
            return Answer.message(401, "invalid token", challenge)
        return None

    def _create(self, slug: str, body: bytes) -> Answer:
        with self.lock:  # a gateway's limit: before the body is looked at
            wait = None if self.limiter is None else self.limiter.admit(self.clock())
            if wait is not None:
                self.counters.rate_limited += 1
        if wait is not None:
            header = ("Retry-After", retry_after_header(wait))
            return Answer.message(429, "too many requests", header)
        try:
            data, method, path = parse_create_body(body)
        except _BadBody as exc:
            return Answer.message(400, str(exc))
        result = demo_model(method, path, data)  # outside the lock: may be large
        with self.lock:
            req = self.queue.create(slug, method, path, result)
            self.counters.created += 1
        return Answer.of_json(201, {"id": req.request_id})

    def seed(self, slug: str, method: str, path: str, data: Any) -> str:
        """Create a request on the server's side (no HTTP, no limit, no fault); its id."""
        if slug not in self.slugs:
            raise ValueError(f"unknown slug {slug!r}; the emulator serves {', '.join(self.slugs)}")
        result = demo_model(method, path, data)
        with self.lock:
            req = self.queue.create(slug, method, path, result)
            self.counters.seeded += 1
        return req.request_id

    def _output(self, slug: str, request_id: str) -> Answer:
        if not _ID_RE.match(request_id):
            return Answer.message(404, "request not found")
        with self.lock:
            req = self.queue.get(request_id)
            if req is None or req.slug != slug:
                return Answer.message(404, "request not found")
            self.counters.polls += 1
            now = self.clock()
        return Answer.of_json(200, req.output_at(now))
