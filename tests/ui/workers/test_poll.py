"""The poll worker on the test's thread, with a clock of its own and scripted answers:
when each status check happens (the backoff schedule, applied), what stops it, and
what a missing token or a rate limit does."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from vessl_gui.core import errors
from vessl_gui.core.history import HistoryStore
from vessl_gui.core.models import AsyncRequest, ClientConfig, OutputStatus, Submission
from vessl_gui.ui.workers import PollWorker, make_client

BASE = "http://127.0.0.1:9/api/v1/services/demo"
TICK = 0.05


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class Service:
    """Answers status checks from a script (an OutputStatus or an error each), and
    notes when each came (by the worker's clock)."""

    def __init__(self, clock: Clock, answers: list[OutputStatus | errors.ServeError]) -> None:
        self.clock = clock
        self.answers = answers
        self.asked: list[float] = []

    def fetch_output(self, base_url: str, request_id: str, token: str) -> OutputStatus:
        self.asked.append(round(self.clock.now, 2))
        answer = self.answers.pop(0)
        if isinstance(answer, errors.ServeError):
            raise answer
        return answer


@pytest.fixture
def store(tmp_path: Path) -> Iterator[HistoryStore]:
    with HistoryStore(tmp_path / "history.db") as s:
        yield s


def poller(
    store: HistoryStore, clock: Clock, service: Service, token: str = "t"
) -> tuple[PollWorker, int]:
    def factory(config: ClientConfig):  # type: ignore[no-untyped-def]
        client = make_client(config)
        client.fetch_output = service.fetch_output  # type: ignore[method-assign]
        return client

    worker = PollWorker(store, factory, clock=clock)
    worker.set_intervals(1.0, 4.0)
    if token:
        worker.set_token(BASE, token)
    row_id = store.add(AsyncRequest(BASE, "POST", "/", "{}")).row_id
    store.mark_sent(row_id, Submission("req-1", 201, 0.1))
    worker.track(row_id, BASE, "req-1")
    return worker, row_id


def run(worker: PollWorker, clock: Clock, until: float) -> None:
    """Tick every 50 ms of the worker's clock up to ``until``."""
    while clock.now < until:
        clock.now = round(clock.now + TICK, 2)
        worker._tick()


def gaps(asked: list[float]) -> list[float]:
    """The waits between checks (the first from 0), each one tick late at most."""
    return [b - a for a, b in zip([0.0, *asked[:-1]], asked, strict=True)]


def waited(intervals: list[float]) -> object:
    """``gaps`` equal to ``intervals`` but for the ticks (each check comes on a tick)."""
    return pytest.approx([i + TICK / 2 for i in intervals], abs=TICK / 2 + 1e-6)


def test_checks_back_off_while_the_status_stays_and_start_over_when_it_changes(
    qapp: object, store: HistoryStore
) -> None:
    clock = Clock()
    pending, running = OutputStatus("pending"), OutputStatus("in_progress")
    done = OutputStatus("completed", 200, '{"ok": true}', '{"ok": true}')
    service = Service(clock, [*[pending] * 6, running, running, done])
    worker, row_id = poller(store, clock, service)
    finished: list[int] = []
    worker.finished.connect(lambda e: finished.append(e.row_id))
    run(worker, clock, 30.0)
    # The first after 1 s; a new status: 1 s; the same: 1.5, 2.25, 3.375, then the
    # maximum (4 s, twice); in_progress is new: 1 s again, then 1.5; completed: no more.
    assert gaps(service.asked) == waited([1.0, 1.0, 1.5, 2.25, 3.375, 4.0, 4.0, 1.0, 1.5])
    assert finished == [row_id] and worker.tracked_count() == 0
    entry = store.get(row_id)
    assert entry is not None and entry.state == "completed"


def test_a_rate_limit_is_waited_out_and_grows_the_interval(
    qapp: object, store: HistoryStore
) -> None:
    clock = Clock()
    limited = errors.RateLimitedError("slow down", retry_after=3.0, status_code=429)
    pending = OutputStatus("pending")
    service = Service(clock, [pending, limited, pending, OutputStatus("failed")])
    worker, _ = poller(store, clock, service)
    run(worker, clock, 10.0)
    # 1 s, then 1 s (a new status); the rate limit asks 3 s (more than the 1 s interval)
    # and grows the interval to 1.5 s: the same status again, 2.25 s.
    assert gaps(service.asked) == waited([1.0, 1.0, 3.0, 2.25])


def test_no_token_waits_the_longest_interval_and_says_why(
    qapp: object, store: HistoryStore
) -> None:
    clock = Clock()
    service = Service(clock, [])
    worker, _ = poller(store, clock, service, token="")
    updated: list[str] = []
    worker.row_updated.connect(lambda e: updated.append(e.message))
    run(worker, clock, 5.5)
    assert service.asked == []  # never asked without a token
    assert len(updated) == 2  # at 1 s, then 4 s (the maximum) later
    assert "no token for this service" in updated[0]


def test_a_refused_token_stops_the_checks(qapp: object, store: HistoryStore) -> None:
    clock = Clock()
    service = Service(clock, [errors.AuthError("The token was rejected (401).", status_code=401)])
    worker, _ = poller(store, clock, service)
    run(worker, clock, 10.0)
    assert service.asked == [1.0] and worker.tracked_count() == 0
