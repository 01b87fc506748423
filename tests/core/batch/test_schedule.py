"""BatchSchedule: concurrency, pacing, pause/stop, 429s slowing the whole batch; any event order."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vessl_gui.core.batch import DEFAULT_BACKOFF, BatchSchedule
from vessl_gui.core.batch.schedule import COOLDOWN, MIN_RATE, RATE_WINDOW

T = 1000.0


def test_default_concurrency_is_four_and_answers_free_slots() -> None:
    s = BatchSchedule(10, T)
    assert s.ready(T) == 4 and s.next_time(T) == T
    for _ in range(4):
        s.started(T)
    assert (s.ready(T), s.in_flight, s.remaining) == (0, 4, 6)
    assert s.next_time(T) is None  # only an answer frees a slot
    with pytest.raises(ValueError, match="no item may start"):
        s.started(T)
    s.finished(True, T + 1)
    assert s.ready(T + 1) == 1
    s.finished(False, T + 1)
    assert s.ready(T + 1) == 2 and (s.sent, s.failed) == (1, 1)


def test_a_rate_paces_the_starts() -> None:
    s = BatchSchedule(10, T, concurrency=10, rate=2.0)
    assert s.ready(T) == 1
    s.started(T)
    assert s.ready(T) == 0 and s.next_time(T) == pytest.approx(T + 0.5)
    assert s.ready(T + 0.49) == 0 and s.ready(T + 0.5) == 1
    s.started(T + 0.5)
    assert s.ready(T + 10) == 1  # no burst after a quiet time: one token at most
    bursty = BatchSchedule(10, T, concurrency=10, rate=2.0, burst=3)
    assert bursty.ready(T) == 3


def test_pause_resume_stop() -> None:
    s = BatchSchedule(3, T)
    s.started(T)
    s.pause()
    assert (s.ready(T), s.next_time(T), s.state) == (0, None, "paused")
    s.finished(True, T + 1)  # in flight finishes while paused
    s.resume(T + 2)
    assert (s.ready(T + 2), s.state) == (2, "running")
    s.started(T + 2)
    s.stop()
    assert (s.ready(T + 3), s.next_time(T + 3), s.state) == (0, None, "stopped")
    s.resume(T + 4)  # a stopped batch stays stopped
    assert s.ready(T + 4) == 0 and s.remaining == 1
    s.finished(True, T + 5)
    assert s.state == "stopped"  # the rest is still queued
    done = BatchSchedule(1, T)
    done.started(T)
    done.finished(True, T)
    assert done.state == "done" and done.next_time(T) is None


def test_a_429_holds_the_whole_batch_and_halves_the_rate() -> None:
    s = BatchSchedule(20, T, concurrency=4, rate=4.0)
    s.started(T)
    s.rate_limited(3.0, T + 0.1)
    assert (s.in_flight, s.remaining) == (0, 20)  # the refused item is queued again
    assert s.ready(T + 3.0) == 0
    p = s.progress(T + 1)
    assert p.waiting_until == pytest.approx(T + 3.1) and p.limited_rate == 2.0
    # 0.4 of a start earned before the 429, none while waiting, then 2/s: 0.3 s more
    assert s.next_time(T + 1) == pytest.approx(T + 3.4)
    assert s.ready(T + 3.1) == 0 and s.ready(T + 3.4) == 1
    s.started(T + 3.4)
    assert s.next_time(T + 3.4) == pytest.approx(T + 3.9)  # paced at 2/s


def test_a_429_without_retry_after_waits_the_default() -> None:
    s = BatchSchedule(5, T)
    s.started(T)
    s.rate_limited(None, T)
    assert s.ready(T + DEFAULT_BACKOFF - 0.01) == 0
    assert s.next_time(T) == T + DEFAULT_BACKOFF
    assert s.ready(T + DEFAULT_BACKOFF + 1 / MIN_RATE) >= 1


def test_the_429s_of_one_burst_lower_the_rate_once() -> None:
    s = BatchSchedule(20, T, concurrency=4, rate=8.0, burst=4)
    for _ in range(4):
        s.started(T)
    for k in range(4):
        s.rate_limited(2.0, T + 0.01 * k)
    assert s.progress(T + 1).limited_rate == 4.0  # halved once, not 16 times
    assert s.progress(T + 1).waiting_until == pytest.approx(T + 2.03)


def test_the_rate_eases_back_after_the_cooldown() -> None:
    s = BatchSchedule(1000, T, concurrency=4, rate=8.0)
    s.started(T)
    s.rate_limited(1.0, T)
    end = T + 1.0
    assert s.progress(end).limited_rate == 4.0
    assert s.progress(end + COOLDOWN - 0.1).limited_rate == 4.0
    assert s.progress(end + COOLDOWN).limited_rate is None  # 8/s: back to the user's


def test_without_a_rate_a_429_limits_to_half_the_measured_one() -> None:
    s = BatchSchedule(1000, T, concurrency=4)
    t = T
    for _ in range(40):  # 4 starts every 0.5 s: 8/s
        for _ in range(s.ready(t)):
            s.started(t)
        t += 0.5
        for _ in range(s.in_flight):
            s.finished(True, t)
    measured = s.progress(t).rate
    assert measured == pytest.approx(8.0, rel=0.05)
    s.started(t)
    s.rate_limited(0.0, t)
    limited = s.progress(t).limited_rate
    assert limited is not None and limited == pytest.approx(measured / 2, rel=0.05)
    later = t + 4 * COOLDOWN  # doubled back up to the rate it was sending at: no limit
    assert s.progress(later).limited_rate is None and s.ready(later) == 4


def test_progress_rate_and_eta() -> None:
    s = BatchSchedule(100, T, concurrency=2, rate=2.0, sent=10, failed=2)
    p = s.progress(T)
    assert (p.total, p.sent, p.failed, p.remaining, p.in_flight) == (112, 10, 2, 100, 0)
    assert p.rate is None and p.eta is None and p.state == "running"
    t = T
    for _ in range(20):
        while s.ready(t):
            s.started(t)
        t += 0.5
        while s.in_flight:
            s.finished(True, t)
    p = s.progress(t)
    assert p.rate == pytest.approx(2.0, rel=0.1) and p.sent == 30
    assert p.eta == pytest.approx(p.remaining / p.rate)
    s.pause()
    assert s.progress(t).eta is None


def test_misuse_is_refused() -> None:
    with pytest.raises(ValueError):
        BatchSchedule(1, T, concurrency=0)
    for rate in (0.0, -1.0, math.inf, math.nan):
        with pytest.raises(ValueError):
            BatchSchedule(1, T, rate=rate)
    with pytest.raises(ValueError):
        BatchSchedule(-1, T)
    s = BatchSchedule(2, T)
    with pytest.raises(ValueError, match="in flight"):
        s.finished(True, T)
    with pytest.raises(ValueError, match="in flight"):
        s.rate_limited(1.0, T)
    with pytest.raises(ValueError, match="skip"):
        s.skipped(3)
    s.skipped(1)
    assert s.remaining == 1 and s.progress(T).total == 1
    with pytest.raises(ValueError):
        s.set_limits(T, 0, None)


def test_set_limits_applies_from_now() -> None:
    s = BatchSchedule(10, T, concurrency=2)
    s.started(T)
    s.started(T)
    s.set_limits(T, 1, 1.0)
    s.finished(True, T + 0.1)
    assert s.ready(T + 0.1) == 0  # still one in flight: at the new concurrency
    s.finished(True, T + 0.2)
    assert s.ready(T + 0.2) == 1
    s.started(T + 0.2)
    s.finished(True, T + 0.3)
    assert s.ready(T + 0.3) == 0 and s.next_time(T + 0.3) == pytest.approx(T + 1.2)
    assert RATE_WINDOW > 1


# -- any sequence of events --------------------------------------------------------
_EVENTS = st.lists(
    st.one_of(
        st.tuples(st.just("wait"), st.floats(0.0, 5.0)),
        st.tuples(st.just("start"), st.integers(0, 6)),
        st.tuples(st.just("finish"), st.booleans()),
        st.tuples(st.just("429"), st.one_of(st.none(), st.floats(0.0, 10.0))),
        st.tuples(st.just("pause"), st.none()),
        st.tuples(st.just("resume"), st.none()),
        st.tuples(st.just("stop"), st.none()),
        st.tuples(st.just("skip"), st.none()),
    ),
    max_size=60,
)


class _Run:
    """Drives a schedule as the UI would, checking every limit at each start."""

    def __init__(self, total: int, concurrency: int, rate: float | None, burst: float) -> None:
        self.s = BatchSchedule(total, 0.0, concurrency=concurrency, rate=rate, burst=burst)
        self.total, self.rate, self.burst = total, rate, burst
        self.t = 0.0
        self.starts: list[float] = []
        self.hold_until = -1.0
        self.paused = self.stopped = False
        self.skipped = 0
        # (first start after it, from, to, rate): the lowered rate after a 429
        self.limited: list[tuple[int, float, float, float]] = []

    def check(self) -> None:
        s = self.s
        assert s.sent + s.failed + s.in_flight + s.remaining + self.skipped == self.total
        assert min(s.sent, s.failed, s.in_flight, s.remaining) >= 0
        p = s.progress(self.t)
        assert p.remaining == s.remaining and p.in_flight == s.in_flight
        assert p.eta is None or p.eta >= 0
        if p.limited_rate is not None:
            assert p.limited_rate >= min(MIN_RATE, self.rate or MIN_RATE) or self.rate is None
            assert p.limited_rate > 0
            assert self.rate is None or p.limited_rate <= self.rate

    def start(self, n: int) -> None:
        s = self.s
        may = s.ready(self.t)
        for _ in range(min(n, may)):
            assert s.in_flight < s.concurrency
            assert not self.paused and not self.stopped and self.t >= self.hold_until
            s.started(self.t)
            self.starts.append(self.t)
        self.check_rate()

    def check_rate(self) -> None:
        for first, begin, end, lowered in self.limited:  # after a 429: at the lowered rate
            inside = [t for t in self.starts[first:] if begin <= t < end]
            for i in range(len(inside)):
                for j in range(i, len(inside)):
                    assert j - i + 1 <= self.burst + lowered * (inside[j] - inside[i]) + 1e-6
        if self.rate is None:
            return
        starts = self.starts
        for i in range(len(starts)):  # any window [a, b]: at most burst + rate * (b - a)
            for j in range(i, len(starts)):
                assert j - i + 1 <= self.burst + self.rate * (starts[j] - starts[i]) + 1e-6

    def event(self, kind: str, value: object) -> None:
        s = self.s
        if kind == "wait":
            assert isinstance(value, float)
            self.t += value
        elif kind == "start":
            assert isinstance(value, int)
            self.start(value)
        elif kind == "finish" and s.in_flight:
            s.finished(bool(value), self.t)
        elif kind == "429" and s.in_flight:
            wait = value if isinstance(value, float) else DEFAULT_BACKOFF
            holding = self.t < self.hold_until
            s.rate_limited(value if isinstance(value, float) else None, self.t)
            self.hold_until = max(self.hold_until, self.t + wait)
            assert s.ready(self.t) == 0 or self.hold_until <= self.t  # ("Retry-After: 0")
            lowered = s.progress(self.t).limited_rate
            assert lowered is not None
            if not holding:  # the lowered rate holds for a cooldown after the wait
                end = self.hold_until + COOLDOWN
                self.limited.append((len(self.starts), self.hold_until, end, lowered))
        elif kind == "pause":
            s.pause()
            self.paused = True
        elif kind == "resume":
            s.resume(self.t)
            self.paused = False
        elif kind == "stop":
            s.stop()
            self.stopped = True
        elif kind == "skip" and s.remaining:
            s.skipped()
            self.skipped += 1
        self.check()

    def drain(self) -> None:
        """Let the batch run to its end: it must end, within the limits, in bounded steps."""
        s = self.s
        if self.paused:
            s.resume(self.t)
            self.paused = False
        for _ in range(10 * self.total + 100):
            if s.state in ("done", "stopped") and not s.in_flight:
                break
            when = s.next_time(self.t)
            if when is None:
                assert s.in_flight, "nothing in flight and nothing will start: stuck"
                s.finished(True, self.t)
            else:
                assert when >= self.t
                self.t = when
                assert s.ready(self.t) >= 1, "next_time promised a start"
                self.start(s.concurrency)
            self.check()
        else:
            raise AssertionError("the batch did not end")
        if not self.stopped:
            assert s.state == "done" and s.remaining == 0


@settings(max_examples=300, deadline=None)
@given(
    total=st.integers(0, 25),
    concurrency=st.integers(1, 6),
    rate=st.one_of(st.none(), st.floats(0.2, 20.0)),
    burst=st.sampled_from([1.0, 2.0, 3.5]),
    events=_EVENTS,
)
def test_the_limits_hold_for_any_sequence_of_events(
    total: int,
    concurrency: int,
    rate: float | None,
    burst: float,
    events: list[tuple[str, object]],
) -> None:
    run = _Run(total, concurrency, rate, burst)
    for kind, value in events:
        run.event(kind, value)
    run.drain()


def test_withdrawn_starts_leave_the_batch_and_free_their_slots() -> None:
    s = BatchSchedule(3, 0.0, concurrency=2)
    s.started(0.0)
    s.started(0.0)
    assert s.ready(0.0) == 0
    s.withdrawn(1)  # no row was left for one of them
    p = s.progress(0.0)
    assert (p.total, p.in_flight, p.remaining) == (2, 1, 1)
    assert s.ready(0.0) == 1
    with pytest.raises(ValueError):
        s.withdrawn(2)


def test_returned_starts_are_queued_again_and_stay_in_the_batch() -> None:
    s = BatchSchedule(3, 0.0, concurrency=2)
    s.started(0.0)
    s.started(0.0)
    s.returned(2)  # their rows could not be read: not sent, not lost
    p = s.progress(0.0)
    assert (p.total, p.in_flight, p.remaining) == (3, 0, 3)
    assert s.ready(0.0) == 2
    with pytest.raises(ValueError):
        s.returned(1)
