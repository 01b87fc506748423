"""Every kind of injected fault, seen from a real client."""

from __future__ import annotations

import http.client
import json
import re
import time

import httpx
import pytest

from vessl_gui.emulator import Fault


def _create(client):
    return client.post("/async", json={"data": {"q": 1}})


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 413, 422, 429, 500, 502, 503, 504])
def test_forced_status_with_json_body(emulator, client, status):
    emulator.inject("create", Fault.error(status, "nope"))
    r = _create(client)
    assert r.status_code == status
    assert r.json() == {"message": "nope"}
    assert emulator.stats().created == 0  # the endpoint did not run
    assert _create(client).status_code == 201  # consumed once


def test_forced_status_with_non_json_body(emulator, client):
    emulator.inject("create", Fault.text(502))
    r = _create(client)
    assert r.status_code == 502
    assert r.headers["content-type"] == "text/html"
    assert "Bad Gateway" in r.text
    with pytest.raises(json.JSONDecodeError):
        r.json()


def test_retry_after_header(emulator, client):
    emulator.inject("create", Fault.rate_limited(retry_after=3))
    emulator.inject("create", Fault.error(503, retry_after="Wed, 21 Oct 2015 07:28:00 GMT"))
    r = _create(client)
    assert (r.status_code, r.headers["retry-after"]) == (429, "3")
    r = _create(client)
    assert (r.status_code, r.headers["retry-after"]) == (503, "Wed, 21 Oct 2015 07:28:00 GMT")


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_redirect_with_location_is_not_followed_by_default(emulator, client, status):
    emulator.inject("create", Fault.redirect(status, "https://elsewhere.invalid/async"))
    r = _create(client)
    assert r.status_code == status
    assert r.headers["location"] == "https://elsewhere.invalid/async"


def test_extra_headers_on_the_real_answer(emulator, client):
    emulator.inject("output", Fault(headers=(("X-Debug", "yes"),)))
    rid = _create(client).json()["id"]
    r = client.get(f"/async/{rid}/output")
    assert r.status_code == 200 and r.headers["x-debug"] == "yes"
    assert r.json()["status"] in ("pending", "in_progress", "completed")


def test_added_latency_per_fault(emulator, client):
    emulator.inject("create", Fault.slow(0.3))
    t0 = time.monotonic()
    r = _create(client)
    assert time.monotonic() - t0 >= 0.3
    assert r.status_code == 201  # slow but real


def test_read_timeout_from_a_slow_answer(emulator, client):
    emulator.inject("output", Fault.slow(2.0))
    rid = _create(client).json()["id"]
    with pytest.raises(httpx.ReadTimeout):
        client.get(f"/async/{rid}/output", timeout=0.2)


def test_global_latency(emulator, client):
    emulator.set_latency(0.2)
    t0 = time.monotonic()
    _create(client)
    client.get("/async/abc/output")
    assert time.monotonic() - t0 >= 0.4
    emulator.set_latency(0)
    with pytest.raises(ValueError):
        emulator.set_latency(-1)


@pytest.mark.parametrize("endpoint", ["create", "output"])
def test_malformed_json_with_2xx(emulator, client, endpoint):
    emulator.inject(endpoint, Fault.malformed_json(200))
    r = _create(client) if endpoint == "create" else client.get("/async/abc/output")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    with pytest.raises(json.JSONDecodeError):
        r.json()


def test_2xx_with_a_bad_id(emulator, client):
    emulator.inject("create", Fault.bad_id())
    r = _create(client)
    assert (r.status_code, r.json()) == (201, {"id": "NOT-AN-ID!"})
    assert emulator.stats().created == 0


def test_2xx_without_id(emulator, client):
    emulator.inject("create", Fault.missing_id(), Fault.json(201, {"request_id": "abc"}))
    assert _create(client).json() == {}
    assert _create(client).json() == {"request_id": "abc"}


def test_2xx_with_extra_fields(emulator, client):
    emulator.inject("create", Fault.extra(status="queued", eta=3))
    r = _create(client)
    body = r.json()
    assert r.status_code == 201
    assert re.match(r"^[a-z0-9]{12}$", body["id"])
    assert body["status"] == "queued" and body["eta"] == 3
    assert emulator.status_of(body["id"]) is not None  # really created


def test_wrong_2xx_status_with_a_real_id(emulator, client):
    emulator.inject("create", Fault.wrong_status(200))
    r = _create(client)
    assert r.status_code == 200
    assert emulator.status_of(r.json()["id"]) is not None


def test_unknown_output_status(emulator, client, api):
    rid = api.create(1)
    api.wait_for(rid, "completed")
    emulator.inject("output", Fault.unknown_status("exploded"))
    body = client.get(f"/async/{rid}/output").json()
    assert body["status"] == "exploded"
    assert body["status_code"] == 200  # the rest of the real answer is kept
    assert api.status(rid) == "completed"


def test_dropped_connection_before_processing(emulator, client):
    emulator.inject("create", Fault.dropped())
    with pytest.raises(httpx.RemoteProtocolError):
        _create(client)
    assert emulator.stats().created == 0
    assert emulator.received()[-1].json() == {"data": {"q": 1}}  # it was read
    assert _create(client).status_code == 201  # a new connection works


def test_dropped_connection_after_processing_creates_the_request(emulator, client):
    emulator.inject("create", Fault.dropped(after=True))
    with pytest.raises(httpx.RemoteProtocolError):
        _create(client)
    assert emulator.stats().created == 1  # the outcome is unknown to the client


def test_dropped_connection_with_http_client(emulator, token):
    emulator.inject("output", Fault.dropped())
    conn = http.client.HTTPConnection("127.0.0.1", emulator.port, timeout=5)
    try:
        conn.request(
            "GET",
            "/api/v1/services/demo/async/abc/output",
            headers={"Authorization": f"Bearer {token}"},
        )
        with pytest.raises(http.client.RemoteDisconnected):
            conn.getresponse()
    finally:
        conn.close()


def test_truncated_body(emulator, client):
    emulator.inject("create", Fault.truncated())
    with pytest.raises(httpx.RemoteProtocolError):
        _create(client)


def test_faults_per_endpoint_are_independent(emulator, client):
    emulator.inject("output", Fault.error(500))
    assert _create(client).status_code == 201
    assert emulator.pending_faults("output") == 1
    assert emulator.pending_faults("create") == 0
    assert client.get("/async/abc/output").status_code == 500
    assert emulator.pending_faults("output") == 0


def test_fault_times_and_order(emulator, client):
    emulator.inject("create", Fault.error(503).repeat(2), Fault.error(429))
    assert [_create(client).status_code for _ in range(4)] == [503, 503, 429, 201]


def test_sticky_fault_until_cleared(emulator, client):
    emulator.inject("create", Fault.error(500).sticky())
    assert [_create(client).status_code for _ in range(3)] == [500] * 3
    assert emulator.pending_faults("create") == 1
    emulator.clear_faults("create")
    assert _create(client).status_code == 201
    assert emulator.stats().faults_applied == 3


def test_faults_apply_before_auth(emulator):
    emulator.inject("create", Fault.error(503))
    with httpx.Client(trust_env=False, base_url=emulator.base_url) as anonymous:
        assert _create(anonymous).status_code == 503
        assert _create(anonymous).status_code == 401


def test_fault_validation(emulator):
    with pytest.raises(ValueError):
        Fault(status=99)
    with pytest.raises(ValueError):
        Fault(times=0)
    with pytest.raises(ValueError):
        Fault(delay=-1)
    with pytest.raises(ValueError):
        emulator.inject("delete", Fault.error(500))  # type: ignore[arg-type]


def test_fault_headers_may_be_a_dict(emulator, client):
    emulator.inject("create", Fault(status=503, headers={"Retry-After": "5"}))  # type: ignore[arg-type]
    r = _create(client)
    assert (r.status_code, r.headers["retry-after"]) == (503, "5")
    assert r.json() == {"message": "injected fault"}
