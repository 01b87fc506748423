"""The create rate limit (429 with Retry-After, nothing created) and requests seeded server-side."""

from __future__ import annotations

import time

import httpx
import pytest

from tests.emulator.conftest import TOKEN, Api, FakeClock, make_client
from vessl_gui.emulator import Emulator
from vessl_gui.emulator.__main__ import build_parser
from vessl_gui.emulator.ratelimit import CreateLimiter, retry_after_header


def test_more_creates_than_the_rate_answer_429_and_create_nothing(clock: FakeClock) -> None:
    with Emulator(token=TOKEN, create_rate=3, clock=clock, queue_delay=0, run_time=0) as emu:
        with make_client(emu) as client:
            answers = [client.post("/async", json={"data": i}) for i in range(5)]
            assert [r.status_code for r in answers] == [201, 201, 201, 429, 429]
            refused = answers[3]
            assert refused.headers["retry-after"] == "1"
            assert refused.json() == {"message": "too many requests"}
            stats = emu.stats()
            assert (stats.created, stats.rate_limited, stats.stored) == (3, 2, 3)
            assert len(emu.received()) == 5  # every HTTP request is still recorded
            clock.advance(0.5)
            assert client.post("/async", json={"data": 5}).status_code == 429
            clock.advance(0.5)  # the first three leave the window
            again = [client.post("/async", json={"data": i}).status_code for i in range(4)]
            assert again == [201, 201, 201, 429]
            ids = [r.json()["id"] for r in answers[:3]]
            assert all(emu.status_of(i) == "completed" for i in ids)
        assert emu.internal_errors == []


def test_the_rate_can_be_changed_and_lifted(clock: FakeClock) -> None:
    with Emulator(token=TOKEN, clock=clock) as emu, make_client(emu) as client:
        assert [client.post("/async", json={"data": 1}).status_code for _ in range(3)] == [201] * 3
        emu.configure(create_rate=1)
        statuses = [client.post("/async", json={"data": 1}).status_code for _ in range(2)]
        assert statuses == [201, 429]
        emu.configure(queue_delay=0.1)  # None: the limit is kept
        assert client.post("/async", json={"data": 1}).status_code == 429
        emu.configure(create_rate=0)  # 0 lifts it
        assert [client.post("/async", json={"data": 1}).status_code for _ in range(3)] == [201] * 3
        emu.set_create_rate(2)
        assert [client.post("/async", json={"data": 1}).status_code for _ in range(3)] == [
            201,
            201,
            429,
        ]
        emu.set_create_rate(None)
        assert client.post("/async", json={"data": 1}).status_code == 201
        assert client.get("/async/nope0/output").status_code == 404  # polls are not limited


def test_the_limit_applies_only_to_authorised_creates(clock: FakeClock) -> None:
    with Emulator(token=TOKEN, create_rate=1, clock=clock) as emu:
        with httpx.Client(base_url=emu.base_url, trust_env=False) as anonymous:
            assert anonymous.post("/async", json={"data": 1}).status_code == 401
        with make_client(emu) as client:
            assert client.post("/async", json={"data": 1}).status_code == 201
            assert emu.stats().rate_limited == 0


def test_a_client_that_waits_as_told_goes_through() -> None:
    with (
        Emulator(token=TOKEN, create_rate=2, queue_delay=0, run_time=0) as emu,
        make_client(emu) as client,
    ):
        answers = [client.post("/async", json={"data": i}) for i in range(3)]
        assert [r.status_code for r in answers] == [201, 201, 429]
        time.sleep(float(answers[2].headers["retry-after"]))  # real time: ~1 s
        assert client.post("/async", json={"data": 9}).status_code == 201


def test_a_seeded_request_exists_only_server_side(api: Api, emulator: Emulator) -> None:
    rid = emulator.seed_request("POST", "/v1/x", {"prompt": "from a colleague"})
    assert emulator.received() == []  # no HTTP request was made
    stats = emulator.stats()
    assert (stats.created, stats.seeded, stats.stored) == (0, 1, 1)
    body, _ = api.wait_for(rid, "completed")
    assert body["output"] == {
        "echo": {"prompt": "from a colleague"},
        "method": "POST",
        "path": "/v1/x",
    }
    failing = emulator.seed_request("POST", "/status/500", None)
    assert api.wait_for(failing)[0]["status"] == "failed"


def test_seed_request_on_another_slug(token: str, api_for: object) -> None:
    with Emulator(token=token, extra_slugs=["other"], queue_delay=0, run_time=0) as emu:
        rid = emu.seed_request("GET", "/", [1, 2], slug="other")
        other = make_client(emu, base_url=emu.url_for("other"))
        main = make_client(emu)
        with other, main:
            assert other.get(f"/async/{rid}/output").json()["output"]["echo"] == [1, 2]
            assert main.get(f"/async/{rid}/output").status_code == 404  # not this service's
        with pytest.raises(ValueError, match="unknown slug"):
            emu.seed_request("POST", "/", 1, slug="nope")


def test_seeding_ignores_the_limit_and_the_faults(clock: FakeClock) -> None:
    from vessl_gui.emulator import Fault

    with Emulator(token=TOKEN, create_rate=1, clock=clock) as emu:
        emu.inject("create", Fault.error(503))
        ids = {emu.seed_request("POST", "/", i) for i in range(5)}
        assert len(ids) == 5 and emu.pending_faults("create") == 1
        with make_client(emu) as client:
            assert client.post("/async", json={"data": 1}).status_code == 503  # the fault
            assert client.post("/async", json={"data": 1}).status_code == 201  # the limit's one


def test_limiter_and_header_units() -> None:
    limiter = CreateLimiter(2)
    assert limiter.admit(10.0) is None and limiter.admit(10.2) is None
    assert limiter.admit(10.5) == pytest.approx(0.5)
    assert limiter.admit(11.0) is None  # 10.0 left the window
    assert limiter.admit(11.1) == pytest.approx(0.1)
    with pytest.raises(ValueError):
        CreateLimiter(0)
    assert [retry_after_header(s) for s in (0.0, 0.2, 1.0, 1.01, 7.5)] == ["1", "1", "1", "2", "8"]
    assert build_parser().parse_args(["--create-rate", "5"]).create_rate == 5
    assert build_parser().parse_args([]).create_rate is None
