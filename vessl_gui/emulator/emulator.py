"""The in-process emulator: start it, point the app at ``base_url``, steer it.

::

    with Emulator(token="demo-token", slug="demo", queue_delay=0.1) as emu:
        emu.inject("create", Fault.error(503))
        ...  # talk to emu.base_url with "Authorization: Bearer demo-token"
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Final

from vessl_gui.emulator.api import PREFIX, EmulatorStats, RecordedRequest, ServiceState
from vessl_gui.emulator.faults import Endpoint, Fault
from vessl_gui.emulator.queue import RequestQueue
from vessl_gui.emulator.ratelimit import CreateLimiter
from vessl_gui.emulator.server import EmulatorHTTPServer

DEFAULT_TOKEN: Final = "demo-token"
DEFAULT_SLUG: Final = "demo"
MIB: Final = 1024 * 1024


@dataclass(frozen=True)
class EmulatorConfig:
    """Everything an :class:`Emulator` is started with."""

    token: str = DEFAULT_TOKEN
    slug: str = DEFAULT_SLUG
    """The main service: ``base_url`` points at it."""
    extra_slugs: tuple[str, ...] = ()
    """More services on the same server (same token)."""
    host: str = "127.0.0.1"
    port: int = 0
    """0 picks a free port."""
    queue_delay: float = 0.3
    """Seconds a request stays ``pending``."""
    run_time: float = 0.5
    """Seconds a request stays ``in_progress``."""
    cold_start: float = 5.0
    """Seconds a scaled-to-zero service takes to wake, from the first request."""
    scaled_to_zero: bool = False
    """Start cold."""
    concurrency: int | None = None
    """Requests running at once (None: unlimited); the rest wait ``pending``."""
    latency: float = 0.0
    """Seconds added before every answer."""
    max_requests: int = 100_000
    """Stored requests; the oldest are forgotten (their ids then answer 404)."""
    max_stored_bytes: int = 512 * MIB
    """Total stored output size; the oldest are forgotten past it."""
    max_body_bytes: int = 64 * MIB
    """Larger request bodies get 413."""
    record_limit: int = 1000
    """Received HTTP requests kept for :meth:`Emulator.received`."""
    seed: int | None = None
    """Seed for the ids (None: random)."""
    create_rate: int | None = None
    """At most this many creates a second (a sliding window of 1 s); the others answer
    429 with ``Retry-After`` and create nothing.  None: no limit."""


class Emulator:
    """A local VESSL async API on 127.0.0.1, served from a daemon thread.

    Safe to steer from any thread while it serves.
    """

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        slug: str = DEFAULT_SLUG,
        *,
        extra_slugs: Sequence[str] = (),
        host: str = "127.0.0.1",
        port: int = 0,
        queue_delay: float = 0.3,
        run_time: float = 0.5,
        cold_start: float = 5.0,
        scaled_to_zero: bool = False,
        concurrency: int | None = None,
        latency: float = 0.0,
        max_requests: int = 100_000,
        max_stored_bytes: int = 512 * MIB,
        max_body_bytes: int = 64 * MIB,
        record_limit: int = 1000,
        seed: int | None = None,
        create_rate: int | None = None,
        clock: Callable[[], float] | None = None,
        access_log: Callable[[str], None] | None = None,
    ) -> None:
        config = EmulatorConfig(
            token=token,
            slug=slug,
            extra_slugs=tuple(extra_slugs),
            host=host,
            port=port,
            queue_delay=queue_delay,
            run_time=run_time,
            cold_start=cold_start,
            scaled_to_zero=scaled_to_zero,
            concurrency=concurrency,
            latency=latency,
            max_requests=max_requests,
            max_stored_bytes=max_stored_bytes,
            max_body_bytes=max_body_bytes,
            record_limit=record_limit,
            seed=seed,
            create_rate=create_rate,
        )
        self.config = config
        self._clock = clock or time.monotonic
        self._access_log = access_log
        queue = RequestQueue(
            clock=self._clock,
            queue_delay=config.queue_delay,
            run_time=config.run_time,
            cold_start=config.cold_start,
            scaled_to_zero=config.scaled_to_zero,
            concurrency=config.concurrency,
            max_requests=config.max_requests,
            max_stored_bytes=config.max_stored_bytes,
            seed=config.seed,
        )
        self._state = ServiceState(
            token=config.token,
            slugs=(config.slug, *config.extra_slugs),
            queue=queue,
            latency=config.latency,
            max_body_bytes=config.max_body_bytes,
            record_limit=config.record_limit,
            clock=self._clock,
            create_rate=config.create_rate,
        )
        self._server: EmulatorHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._port: int | None = None
        self._life = threading.Lock()

    @classmethod
    def from_config(
        cls,
        config: EmulatorConfig,
        *,
        clock: Callable[[], float] | None = None,
        access_log: Callable[[str], None] | None = None,
    ) -> Emulator:
        fields = {f.name: getattr(config, f.name) for f in dataclasses.fields(config)}
        return cls(**fields, clock=clock, access_log=access_log)

    # -- life cycle -------------------------------------------------------------
    def start(self) -> Emulator:
        """Bind and serve (no-op when running). Returns self."""
        with self._life:
            if self._server is not None:
                return self
            port = self._port if self._port is not None else self.config.port
            server = EmulatorHTTPServer((self.config.host, port), self._state, self._access_log)
            self._port = server.server_port
            thread = threading.Thread(
                target=server.serve,
                name=f"vessl-emulator:{self._port}",
                daemon=True,
            )
            self._server, self._thread = server, thread
            thread.start()
            return self

    def stop(self, timeout: float = 2.0) -> None:
        """Stop serving and close every connection (no-op when stopped).

        Stored requests are kept: :meth:`start` serves them again on the same port.
        """
        with self._life:
            server, thread = self._server, self._thread
            if server is None or thread is None:
                return
            self._server = self._thread = None
            state = self._state
            state.stopping.set()
            try:
                server.stop_serving()
                thread.join(timeout)
                server.wake_connections()
                state.wait_all_closed(timeout)
            finally:
                server.server_close()
                state.stopping.clear()

    close = stop

    @property
    def running(self) -> bool:
        return self._server is not None

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- addresses -------------------------------------------------------------
    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("the emulator has not been started")
        return self._port

    @property
    def root_url(self) -> str:
        """``http://127.0.0.1:<port>``."""
        return f"http://{self.config.host}:{self.port}"

    @property
    def base_url(self) -> str:
        """The main service's base URL (no trailing slash)."""
        return self.url_for(self.config.slug)

    def url_for(self, slug: str) -> str:
        return f"{self.root_url}{PREFIX}{slug}"

    @property
    def slugs(self) -> tuple[str, ...]:
        return self._state.slugs

    # -- steering ----------------------------------------------------------------
    @property
    def token(self) -> str:
        with self._state.lock:
            return self._state.token

    def set_token(self, token: str) -> None:
        with self._state.lock:
            self._state.token = token

    def inject(self, endpoint: Endpoint, *faults: Fault) -> None:
        """Queue faults for ``"create"`` or ``"output"``, consumed in order."""
        with self._state.lock:
            for fault in faults:
                self._state.faults.add(endpoint, fault)

    def clear_faults(self, endpoint: Endpoint | None = None) -> None:
        with self._state.lock:
            self._state.faults.clear(endpoint)

    def pending_faults(self, endpoint: Endpoint) -> int:
        with self._state.lock:
            return self._state.faults.pending(endpoint)

    def set_latency(self, seconds: float) -> None:
        """Seconds added before every answer, from now on."""
        if seconds < 0:
            raise ValueError("latency must be >= 0")
        with self._state.lock:
            self._state.latency = seconds

    def configure(
        self,
        *,
        queue_delay: float | None = None,
        run_time: float | None = None,
        cold_start: float | None = None,
        create_rate: int | None = None,
    ) -> None:
        """Change timings for requests created from now on (None: keep), and the rate
        limit of creates (``create_rate``: N a second; 0 lifts it; None: keep)."""
        if create_rate is not None:
            self.set_create_rate(create_rate or None)
        with self._state.lock:
            queue = self._state.queue
            if queue_delay is not None:
                queue.queue_delay = queue_delay
            if run_time is not None:
                queue.run_time = run_time
            if cold_start is not None:
                queue.cold_start = cold_start

    def set_create_rate(self, per_second: int | None) -> None:
        """At most ``per_second`` creates a second from now on (None: no limit); the
        others answer 429 with ``Retry-After`` and create nothing."""
        limiter = None if per_second is None else CreateLimiter(per_second)
        with self._state.lock:
            self._state.limiter = limiter

    def seed_request(self, method: str, path: str, data: Any, slug: str | None = None) -> str:
        """Create a request on the server's side, as a colleague's curl would (no HTTP:
        not in :meth:`received`, not counted as ``created``, no fault, no rate limit),
        for tests that follow ids the app never sent; returns its id.  ``data`` is the
        JSON value; ``slug`` the service (default: the main one)."""
        return self._state.seed(slug or self.config.slug, method, path, data)

    def set_concurrency(self, concurrency: int | None) -> None:
        with self._state.lock:
            self._state.queue.concurrency = concurrency

    def set_scaled_to_zero(self, cold: bool = True) -> None:
        """Go cold (the next request starts a ``cold_start`` wait) or wake at once."""
        with self._state.lock:
            self._state.queue.set_scaled_to_zero(cold)

    @property
    def is_cold(self) -> bool:
        with self._state.lock:
            return self._state.queue.is_cold()

    # -- inspection -------------------------------------------------------------
    def received(self) -> list[RecordedRequest]:
        """The last ``record_limit`` HTTP requests received, oldest first."""
        with self._state.lock:
            return list(self._state.records)

    def clear_received(self) -> None:
        with self._state.lock:
            self._state.records.clear()

    def stats(self) -> EmulatorStats:
        return self._state.stats()

    def status_of(self, request_id: str) -> str | None:
        """The request's status now, or None if unknown."""
        with self._state.lock:
            req = self._state.queue.get(request_id)
            return None if req is None else req.status_at(self._clock())

    @property
    def internal_errors(self) -> list[str]:
        """Exceptions the emulator's own code raised while answering (should be empty)."""
        with self._state.lock:
            return list(self._state.internal_errors)
