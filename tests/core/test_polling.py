"""The polling backoff schedule: from the first interval, half as long again each time,
up to the maximum; a new status starts over; a rate limit is waited out."""

from __future__ import annotations

import pytest

from vessl_gui.core import polling
from vessl_gui.core.polling import POLL_FIRST, POLL_GROWTH, POLL_MAX, Backoff


def test_the_defaults_start_at_about_a_second_and_cap_at_30_s() -> None:
    assert (POLL_FIRST, POLL_GROWTH, POLL_MAX) == (1.0, 1.5, 30.0)
    assert Backoff.default() == Backoff(1.0, 30.0)


def test_default_reads_the_values_when_called(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(polling, "POLL_FIRST", 0.2)
    monkeypatch.setattr(polling, "POLL_MAX", 5.0)
    assert Backoff.default() == Backoff(0.2, 5.0)


def test_intervals_grow_by_half_up_to_the_maximum() -> None:
    b = Backoff.default()
    seen = [b.first]
    while seen[-1] < b.maximum:
        seen.append(b.grown(seen[-1]))
    assert seen[:5] == [1.0, 1.5, 2.25, 3.375, 5.0625]
    assert seen[-1] == 30.0 and len(seen) == 10  # ~8 checks until the cap
    assert b.grown(30.0) == 30.0


def test_a_new_status_starts_over_the_same_one_grows() -> None:
    b = Backoff(1.0, 4.0)
    assert b.after_status(3.0, changed=True) == 1.0
    assert b.after_status(3.0, changed=False) == 4.0  # 4.5, capped
    assert b.after_status(2.0, changed=False) == 3.0


def test_an_error_waits_the_interval_or_the_rate_limit_and_grows_it() -> None:
    b = Backoff(1.0, 30.0)
    assert b.after_error(2.0, None) == (2.0, 3.0)
    assert b.after_error(2.0, 10.0) == (10.0, 3.0)  # Retry-After: wait at least that
    assert b.after_error(2.0, 0.5) == (2.0, 3.0)  # never sooner than the interval
    assert b.after_error(2.0, 0.0) == (2.0, 3.0)
    assert b.after_error(30.0, None) == (30.0, 30.0)


def test_settings_are_limited_to_sensible_intervals() -> None:
    assert Backoff.limited(2.0, 60.0) == Backoff(2.0, 60.0)
    assert Backoff.limited(0.0, 10.0) == Backoff(0.05, 10.0)  # at least 50 ms
    assert Backoff.limited(5.0, 1.0) == Backoff(5.0, 5.0)  # the maximum is at least the first
    assert Backoff.limited(-1.0, -1.0) == Backoff(0.05, 0.05)
