"""The two endpoints as the API sheet describes them, over real sockets."""

from __future__ import annotations

import json
import re
import time

import httpx
import pytest

from vessl_gui.emulator import Emulator

ID_RE = re.compile(r"^[a-z0-9]{1,16}$")


def test_create_then_poll_to_completed_with_echo(api, emulator):
    data = {"question": "How are you?"}
    t0 = time.monotonic()
    rid = api.create(data, method="POST", path="/predictions/my-model")
    assert ID_RE.match(rid) and len(rid) == 12
    body, seen = api.wait_for(rid, "completed")
    assert time.monotonic() - t0 >= 0.1  # queue_delay + run_time
    expected = {"echo": data, "method": "POST", "path": "/predictions/my-model"}
    assert body["status"] == "completed"
    assert body["status_code"] == 200
    assert json.loads(body["raw_output"]) == expected
    assert body["output"] == expected
    assert "fail_reason" not in body
    assert set(body) == {"status", "status_code", "raw_output", "output"}
    # statuses only ever move forward
    order = ["pending", "in_progress", "completed"]
    assert seen == sorted(seen, key=order.index) and len(set(seen)) == len(seen)


def test_create_answer_is_exactly_201_with_id_only(client):
    r = client.post("/async", json={"data": 1})
    assert r.status_code == 201
    assert r.headers["content-type"] == "application/json"
    assert int(r.headers["content-length"]) == len(r.content)
    assert list(r.json()) == ["id"]
    assert r.text == json.dumps({"id": r.json()["id"]})


def test_defaults_for_method_and_path(api):
    rid = api.create({"x": 1})
    body, _ = api.wait_for(rid)
    assert body["output"] == {"echo": {"x": 1}, "method": "POST", "path": "/"}


@pytest.mark.parametrize(
    "data",
    [{"a": [1, {"b": None}]}, [1, "two", 3.5], "text", 42, -1.25e-3, True, False, None, {}, []],
    ids=["object", "array", "string", "int", "float", "true", "false", "null", "empty-obj", "[]"],
)
def test_every_json_kind_of_data_is_echoed(api, data):
    rid = api.create(data, method="PUT", path="/v1/x")
    body, _ = api.wait_for(rid, "completed")
    assert body["output"]["echo"] == data
    assert type(body["output"]["echo"]) is type(data)
    assert body["output"]["method"] == "PUT"


def test_non_ascii_data_round_trips(api):
    data = {"text": "Grüße 世界 👋", "rtl": "שלום"}
    body, _ = api.wait_for(api.create(data))
    assert body["output"]["echo"] == data


def test_ids_are_unique_and_match_pattern(api):
    ids = [api.create(i) for i in range(40)]
    assert len(set(ids)) == 40
    assert all(ID_RE.match(i) for i in ids)


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong"},
        {"Authorization": "Bearer"},
        {"Authorization": "Basic dGVzdDp0ZXN0"},
        {"Authorization": "test-token-123"},
    ],
    ids=["missing", "wrong", "empty", "basic", "no-scheme"],
)
def test_401_without_the_right_bearer_token(emulator, headers):
    with httpx.Client(trust_env=False, base_url=emulator.base_url, headers=headers) as c:
        for r in (c.post("/async", json={"data": 1}), c.get("/async/abc/output")):
            assert r.status_code == 401
            assert isinstance(r.json()["message"], str) and r.json()["message"]
            assert r.headers["www-authenticate"] == "Bearer"
    assert emulator.stats().created == 0


def test_bearer_scheme_is_case_insensitive(emulator, token):
    with httpx.Client(trust_env=False, base_url=emulator.base_url) as c:
        r = c.post("/async", json={"data": 1}, headers={"Authorization": f"bearer {token}"})
        assert r.status_code == 201


def test_token_can_be_changed_at_runtime(emulator, client, token):
    emulator.set_token("rotated")
    assert client.post("/async", json={"data": 1}).status_code == 401
    r = client.post("/async", json={"data": 1}, headers={"Authorization": "Bearer rotated"})
    assert r.status_code == 201
    assert emulator.token == "rotated"


def test_404_unknown_slug(emulator, client_for):
    c = client_for(emulator)
    for url in (
        f"{emulator.root_url}/api/v1/services/nope/async",
        f"{emulator.root_url}/api/v1/services/nope/async/abc123/output",
    ):
        r = c.post(url, json={"data": 1}) if url.endswith("async") else c.get(url)
        assert r.status_code == 404
        assert "nope" in r.json()["message"]


@pytest.mark.parametrize("rid", ["abc123", "zzzzzzzzzzzz", "NOT-AN-ID", "a" * 17, "%20"])
def test_404_unknown_id(client, rid):
    r = client.get(f"/async/{rid}/output")
    assert r.status_code == 404
    assert r.json()["message"]


def test_404_other_paths_and_405_wrong_method(emulator, client):
    assert client.get(f"{emulator.root_url}/").status_code == 404
    assert client.post("/async/", json={"data": 1}).status_code == 404
    assert client.post("/sync", json={"data": 1}).status_code == 404
    r = client.get("/async")
    assert r.status_code == 405 and r.headers["allow"] == "POST"
    r = client.delete("/async/abc/output")
    assert r.status_code == 405 and r.headers["allow"] == "GET"


def test_query_string_is_ignored_for_routing(client):
    r = client.post("/async?source=test", json={"data": 1})
    assert r.status_code == 201


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not json",
        b"[1, 2]",
        b'"data"',
        b"null",
        b"{}",
        b'{"method": "POST", "path": "/"}',
        b'{"data": 1, "method": 5}',
        b'{"data": 1, "method": ""}',
        b'{"data": 1, "path": null}',
        b'{"data": NaN}',
        b'{"data": "\xff"}',
    ],
    ids=[
        "empty",
        "not-json",
        "array",
        "string",
        "null",
        "no-data",
        "no-data-2",
        "method-int",
        "method-empty",
        "path-null",
        "nan",
        "not-utf8",
    ],
)
def test_400_on_bad_create_body(emulator, client, content):
    r = client.post("/async", content=content, headers={"Content-Type": "application/json"})
    assert r.status_code == 400
    assert isinstance(r.json()["message"], str)
    assert emulator.stats().created == 0


def test_413_on_too_large_body(client_for, token):
    with Emulator(token=token, max_body_bytes=1000) as emu:
        c = client_for(emu)
        r = c.post("/async", json={"data": "x" * 2000})
        assert r.status_code == 413
        assert r.json()["message"]
        assert r.headers["connection"] == "close"
        assert c.post("/async", json={"data": "x" * 900}).status_code == 201


def test_chunked_request_body_is_accepted(emulator, client):
    r = client.post("/async", content=iter([b'{"data": ', b"[1, 2]", b"}"]))
    assert r.status_code == 201
    last = emulator.received()[-1]
    assert last.header("Transfer-Encoding") == "chunked"
    assert last.json() == {"data": [1, 2]}


def test_several_slugs_on_one_server(client_for, token):
    with Emulator(token=token, extra_slugs=["other"], queue_delay=0, run_time=0) as emu:
        assert emu.slugs == ("demo", "other")
        demo = client_for(emu)
        other = client_for(emu, base_url=emu.url_for("other"))
        rid = other.post("/async", json={"data": 1}).json()["id"]
        assert other.get(f"/async/{rid}/output").status_code == 200
        assert demo.get(f"/async/{rid}/output").status_code == 404


def test_oldest_requests_are_evicted(client_for, token):
    with Emulator(token=token, max_requests=3) as emu:
        c = client_for(emu)
        ids = [c.post("/async", json={"data": i}).json()["id"] for i in range(4)]
        assert c.get(f"/async/{ids[0]}/output").status_code == 404
        for rid in ids[1:]:
            assert c.get(f"/async/{rid}/output").status_code == 200
        stats = emu.stats()
        assert (stats.stored, stats.evicted) == (3, 1)


def test_requests_are_recorded_with_headers_and_body(emulator, client, token):
    client.post("/async", json={"data": 1}, headers={"User-Agent": "vessl-gui-test/1"})
    rec = emulator.received()[-1]
    assert (rec.method, rec.path) == ("POST", "/api/v1/services/demo/async")
    assert rec.header("authorization") == f"Bearer {token}"
    assert rec.header("User-Agent") == "vessl-gui-test/1"
    assert rec.json() == {"data": 1}
    assert rec.connection == 1
    emulator.clear_received()
    assert emulator.received() == []


def test_record_is_bounded(client_for, token):
    with Emulator(token=token, record_limit=5) as emu:
        c = client_for(emu)
        for i in range(8):
            c.post("/async", json={"data": i})
        got = emu.received()
        assert [r.json()["data"] for r in got] == [3, 4, 5, 6, 7]
        assert emu.stats().http_requests == 8
