"""ui/background.py: jobs off the GUI thread, answers on it, in order, stale ones dropped."""

from __future__ import annotations

import threading

import pytest
from pytestqt.qtbot import QtBot

from vessl_gui.ui.background import Done, Runner


def test_answer_comes_on_the_gui_thread_from_a_named_worker(qtbot: QtBot) -> None:
    runner = Runner("vessl-test")
    got: list[tuple[str, object, bool]] = []
    ran_on: list[str] = []

    def job() -> int:
        ran_on.append(threading.current_thread().name)
        return 42

    def then(done: Done[int]) -> None:
        got.append(("then", done.value, threading.current_thread() is threading.main_thread()))

    assert runner.submit(job, then) is False  # wait_ms=0: always answered later
    qtbot.waitUntil(lambda: bool(got))
    assert got == [("then", 42, True)]
    assert ran_on[0].startswith("vessl-test")
    runner.shutdown()


def test_a_quick_job_is_answered_before_submit_returns(qtbot: QtBot) -> None:
    runner = Runner("vessl-test")
    got: list[object] = []
    assert runner.submit(lambda: "fast", lambda d: got.append(d.value), wait_ms=500) is True
    assert got == ["fast"]
    assert runner.pending() == 0
    runner.shutdown()


def test_answers_keep_the_order_jobs_were_submitted_in(qtbot: QtBot) -> None:
    runner = Runner("vessl-test", threads=3)
    release = threading.Event()
    got: list[int] = []

    def slow() -> int:
        release.wait(5)
        return 1

    runner.submit(slow, lambda d: got.append(d.value))  # type: ignore[arg-type]
    runner.submit(lambda: 2, lambda d: got.append(d.value))  # type: ignore[arg-type]
    qtbot.wait(100)
    assert got == []  # 2 ended first but waits for 1
    release.set()
    qtbot.waitUntil(lambda: len(got) == 2)
    assert got == [1, 2]
    runner.shutdown()


def test_latest_drops_older_answers_and_skips_jobs_not_started(qtbot: QtBot) -> None:
    runner = Runner("vessl-test")
    release = threading.Event()
    started: list[str] = []
    got: list[str] = []

    def job(name: str) -> str:
        started.append(name)
        if name == "first":
            release.wait(5)
        return name

    runner.submit(lambda: job("first"), lambda d: got.append(str(d.value)), latest=True)
    qtbot.waitUntil(lambda: started == ["first"])
    runner.submit(lambda: job("second"), lambda d: got.append(str(d.value)), latest=True)
    runner.submit(lambda: job("third"), lambda d: got.append(str(d.value)), latest=True)
    release.set()
    qtbot.waitUntil(lambda: bool(got))
    qtbot.wait(50)
    assert got == ["third"]
    assert started == ["first", "third"]  # "second" was never run
    runner.shutdown()


def test_an_error_is_handed_to_then_not_raised(qtbot: QtBot) -> None:
    runner = Runner("vessl-test")
    got: list[Done[object]] = []

    def boom() -> object:
        raise ValueError("no")

    runner.submit(boom, got.append)
    qtbot.waitUntil(lambda: bool(got))
    assert isinstance(got[0].error, ValueError)
    with pytest.raises(ValueError):
        got[0].unwrap()
    runner.shutdown()


def test_drain_answers_what_ends_within_the_bound(qtbot: QtBot) -> None:
    runner = Runner("vessl-test")
    release = threading.Event()
    got: list[object] = []
    runner.submit(lambda: "a", lambda d: got.append(d.value))
    runner.submit(lambda: release.wait(5) and "never", lambda d: got.append(d.value))
    runner.drain(timeout=0.3)
    assert got == ["a"]
    release.set()
    qtbot.wait(50)
    assert got == ["a"]  # the job still running at close is not answered later


def test_threads_are_named_daemons_and_a_stuck_job_does_not_hold_shutdown(qtbot: QtBot) -> None:
    runner = Runner("vessl-stuck")
    stuck = threading.Event()
    names: list[tuple[str, bool]] = []

    def job() -> None:
        me = threading.current_thread()
        names.append((me.name, me.daemon))
        stuck.wait(10)

    runner.submit(job, lambda d: None)
    qtbot.waitUntil(lambda: bool(names))
    assert names == [("vessl-stuck", True)]  # daemon: an unlock prompt cannot block exit
    assert runner.wait_done(0.05) is False
    runner.shutdown(timeout=0.2)  # returns though the job is still running
    stuck.set()
