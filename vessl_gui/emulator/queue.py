"""The request queue: stored requests with their timelines, bounded, scale-to-zero.

Timing is computed from timestamps when the request is created (no thread per
request): a request is ``pending`` for ``queue_delay`` seconds (longer when the
service is cold or all ``concurrency`` workers are busy), then ``in_progress``
for ``run_time`` seconds (or the ``/sleep`` time), then final.

Nothing here is thread-safe: the caller holds one lock around every call.
"""

from __future__ import annotations

import contextlib
import dataclasses
import heapq
import json
import random
import string
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from vessl_gui.emulator.model import ModelResult

#: Alphabet and length of generated request ids (the API promises ``^[a-z0-9]{1,16}$``).
ID_ALPHABET: Final = string.ascii_lowercase + string.digits
ID_LENGTH: Final = 12


@dataclass(frozen=True)
class StoredRequest:
    """One queued request with its precomputed timeline."""

    request_id: str
    slug: str
    method: str
    path: str
    created_at: float
    start_at: float
    """When it turns ``in_progress``."""
    end_at: float
    """When it turns final."""
    result: ModelResult

    @property
    def size(self) -> int:
        return len(self.raw_output or "") + len(self.path) + 64

    @property
    def raw_output(self) -> str | None:
        return self.result.raw_output

    def status_at(self, now: float) -> str:
        if now < self.start_at:
            return "pending"
        if now < self.end_at:
            return "in_progress"
        return self.result.status

    def output_at(self, now: float) -> dict[str, Any]:
        """The body of ``GET …/async/{id}/output`` at time ``now``."""
        status = self.status_at(now)
        answer: dict[str, Any] = {"status": status}
        if status in ("pending", "in_progress"):
            return answer
        res = self.result
        if res.status_code is not None:
            answer["status_code"] = res.status_code
        if res.raw_output is not None:
            answer["raw_output"] = res.raw_output
            with contextlib.suppress(ValueError):
                answer["output"] = json.loads(res.raw_output, parse_constant=_reject_constant)
        if res.status == "failed":
            answer["fail_reason"] = res.fail_reason or "failed"
        return answer


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


class RequestQueue:
    """Stores requests (bounded, oldest evicted) and decides their timelines."""

    def __init__(
        self,
        *,
        clock: Callable[[], float],
        queue_delay: float,
        run_time: float,
        cold_start: float,
        scaled_to_zero: bool,
        concurrency: int | None,
        max_requests: int,
        max_stored_bytes: int,
        seed: int | None = None,
    ) -> None:
        if max_requests < 1 or max_stored_bytes < 1:
            raise ValueError("max_requests and max_stored_bytes must be positive")
        self.clock = clock
        self.queue_delay = queue_delay
        self.run_time = run_time
        self.cold_start = cold_start
        self.max_requests = max_requests
        self.max_stored_bytes = max_stored_bytes
        self._rng = random.Random(seed) if seed is not None else random.SystemRandom()
        self._store: OrderedDict[str, StoredRequest] = OrderedDict()
        self._bytes = 0
        self._cold = scaled_to_zero
        self._warm_at: float | None = None
        self._workers: list[float] = []
        self.concurrency = concurrency
        self.evicted = 0

    # -- settings -------------------------------------------------------------
    @property
    def concurrency(self) -> int | None:
        return self._concurrency

    @concurrency.setter
    def concurrency(self, value: int | None) -> None:
        if value is not None and value < 1:
            raise ValueError("concurrency must be positive or None")
        self._concurrency = value
        self._workers = [0.0] * value if value else []

    def set_scaled_to_zero(self, cold: bool) -> None:
        """Scale the service to zero (``True``) or wake it at once (``False``).

        Waking starts the requests that were held by the cold start right away
        (as a service that came up would); other timelines are kept.
        """
        now = self.clock()
        if self._cold and not cold:
            for rid, req in self._store.items():
                ready = max(now, req.created_at + self.queue_delay)
                if req.start_at > ready:
                    shift = req.start_at - ready
                    self._store[rid] = dataclasses.replace(
                        req, start_at=ready, end_at=req.end_at - shift
                    )
        self._cold = cold
        self._warm_at = None

    def is_cold(self) -> bool:
        self._refresh(self.clock())
        return self._cold

    def _refresh(self, now: float) -> None:
        if self._cold and self._warm_at is not None and now >= self._warm_at:
            self._cold = False
            self._warm_at = None

    # -- requests -------------------------------------------------------------
    def new_id(self) -> str:
        while True:
            rid = "".join(self._rng.choice(ID_ALPHABET) for _ in range(ID_LENGTH))
            if rid not in self._store:
                return rid

    def create(self, slug: str, method: str, path: str, result: ModelResult) -> StoredRequest:
        """Queue a request whose answer is ``result`` (see :func:`demo_model`)."""
        now = self.clock()
        self._refresh(now)
        ready = now + self.queue_delay
        if self._cold:
            if self._warm_at is None:
                self._warm_at = now + self.cold_start
            ready = max(ready, self._warm_at)
        run = self.run_time if result.run_time is None else result.run_time
        start = ready
        if self._workers:
            start = max(ready, self._workers[0])
            heapq.heapreplace(self._workers, start + run)
        req = StoredRequest(self.new_id(), slug, method, path, now, start, start + run, result)
        self._store[req.request_id] = req
        self._bytes += req.size
        while len(self._store) > self.max_requests or (
            self._bytes > self.max_stored_bytes and len(self._store) > 1
        ):
            _, old = self._store.popitem(last=False)
            self._bytes -= old.size
            self.evicted += 1
        return req

    def get(self, request_id: str) -> StoredRequest | None:
        return self._store.get(request_id)

    def __len__(self) -> int:
        return len(self._store)
