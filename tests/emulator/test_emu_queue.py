"""Queue timelines, cold starts and the demo model's paths."""

from __future__ import annotations

import json
import time

import pytest

from vessl_gui.emulator import Emulator, demo_model


def test_pending_in_progress_completed_on_a_fake_clock(clocked_api, clock, clocked):
    rid = clocked_api.create({"q": 1})
    assert clocked_api.output(rid) == {"status": "pending"}
    clock.advance(0.99)
    assert clocked_api.output(rid) == {"status": "pending"}
    clock.advance(0.02)
    assert clocked_api.output(rid) == {"status": "in_progress"}
    assert clocked.status_of(rid) == "in_progress"
    clock.advance(1.98)
    assert clocked_api.output(rid) == {"status": "in_progress"}
    clock.advance(0.02)
    body = clocked_api.output(rid)
    assert body["status"] == "completed"
    assert body["output"]["echo"] == {"q": 1}
    assert clocked.status_of("unknown") is None


def test_real_time_timeline_respects_the_durations(api_for, token):
    with Emulator(token=token, queue_delay=0.15, run_time=0.15) as emu:
        api = api_for(emu)
        t0 = time.monotonic()
        rid = api.create(1)
        _body, seen = api.wait_for(rid, "completed")
        assert time.monotonic() - t0 >= 0.3
        order = ["pending", "in_progress", "completed"]
        assert seen == [s for s in order if s in seen]
        assert seen[-1] == "completed"


def test_scaled_to_zero_keeps_requests_pending_for_the_cold_start(clocked_api, clocked, clock):
    clocked.set_scaled_to_zero(True)
    assert clocked.is_cold
    clock.advance(100)  # the cold start counts from the first request, not from going cold
    first = clocked_api.create(1)
    clock.advance(9.0)
    second = clocked_api.create(2)
    assert clocked_api.status(first) == "pending"
    clock.advance(0.9)  # t = 9.9 since the first request
    assert clocked_api.status(first) == "pending"
    assert clocked_api.status(second) == "pending"
    assert clocked.is_cold
    clock.advance(0.2)  # t = 10.1: warm
    assert clocked_api.status(first) == "in_progress"
    assert clocked_api.status(second) == "in_progress"
    assert not clocked.is_cold
    third = clocked_api.create(3)  # warm: the normal queue delay only
    clock.advance(1.01)
    assert clocked_api.status(third) == "in_progress"
    # going cold again starts a new cold start with the next request
    clocked.set_scaled_to_zero(True)
    fourth = clocked_api.create(4)
    clock.advance(5)
    assert clocked_api.status(fourth) == "pending"
    clocked.set_scaled_to_zero(False)
    assert not clocked.is_cold
    fifth = clocked_api.create(5)
    clock.advance(1.01)
    assert clocked_api.status(fifth) == "in_progress"


def test_cold_start_in_real_time(api_for, token):
    with Emulator(token=token, queue_delay=0, run_time=0, cold_start=0.4) as emu:
        emu.set_scaled_to_zero()
        api = api_for(emu)
        t0 = time.monotonic()
        rid = api.create(1)
        _body, seen = api.wait_for(rid, "completed")
        assert time.monotonic() - t0 >= 0.4
        assert seen[0] == "pending"  # always: created cold


def test_configure_changes_timings_for_new_requests(clocked_api, clocked, clock):
    old = clocked_api.create(1)
    clocked.configure(queue_delay=5.0, run_time=1.0)
    new = clocked_api.create(2)
    clock.advance(1.5)
    assert clocked_api.status(old) == "in_progress"
    assert clocked_api.status(new) == "pending"
    clock.advance(4.0)
    assert clocked_api.status(new) == "in_progress"
    clock.advance(1.0)
    assert clocked_api.status(new) == "completed"


def test_limited_concurrency_queues_requests(clocked_api, clocked, clock):
    clocked.set_concurrency(1)
    a = clocked_api.create(1)
    b = clocked_api.create(2)
    clock.advance(1.5)
    assert (clocked_api.status(a), clocked_api.status(b)) == ("in_progress", "pending")
    clock.advance(2.0)  # a done at 3.0, b runs 3.0 .. 5.0
    assert (clocked_api.status(a), clocked_api.status(b)) == ("completed", "in_progress")
    clock.advance(2.0)
    assert clocked_api.status(b) == "completed"


def test_sleep_path_runs_that_long(clocked_api, clock):
    rid = clocked_api.create(None, path="/sleep/5")
    clock.advance(5.5)
    assert clocked_api.status(rid) == "in_progress"
    clock.advance(0.6)
    body = clocked_api.output(rid)
    assert body["status"] == "completed"
    assert body["output"]["path"] == "/sleep/5"


def test_status_path_fails_with_that_code(api):
    body, _ = api.wait_for(api.create({"a": 1}, path="/status/503"))
    assert body["status"] == "failed"
    assert body["status_code"] == 503
    assert json.loads(body["raw_output"]) == body["output"]
    assert body["output"]["status_code"] == 503
    assert "503" in body["fail_reason"]


def test_status_text_path_fails_without_output(api):
    body, _ = api.wait_for(api.create(1, path="/status/500/text"))
    assert body["status"] == "failed"
    assert body["status_code"] == 500
    assert body["raw_output"].startswith("500 Internal Server Error")
    assert "output" not in body
    assert body["fail_reason"]


def test_2xx_status_path_completes(api):
    body, _ = api.wait_for(api.create(7, path="/status/201"))
    assert (body["status"], body["status_code"]) == ("completed", 201)
    assert body["output"]["echo"] == 7


def test_fail_path_is_an_internal_error(api):
    body, _ = api.wait_for(api.create(1, path="/fail"))
    assert body == {"status": "failed", "fail_reason": "internal error"}


def test_text_path_completes_without_output(api):
    body, _ = api.wait_for(api.create(1, path="/text"))
    assert body["status"] == "completed"
    assert body["status_code"] == 200
    assert "not JSON" in body["raw_output"]
    assert "output" not in body
    assert "fail_reason" not in body


def test_unicode_and_large_paths(api):
    body, _ = api.wait_for(api.create(1, path="/unicode"))
    assert body["output"]["text"] == "Grüße, 世界 👋"
    body, _ = api.wait_for(api.create(1, path="/large/100000"))
    assert body["output"] == {"blob": "a" * 100_000}


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/", "completed", 200),
        ("/status/404", "failed", 404),
        ("/status/404?x=1", "failed", 404),
        ("/status/abc", "completed", 200),
        ("/status/999", "completed", 200),
        ("/sleep/-1", "completed", 200),
        ("/fail", "failed", None),
        ("/predictions/my-model", "completed", 200),
    ],
)
def test_demo_model_table(path, status, code):
    result = demo_model("POST", path, {"x": 1})
    assert (result.status, result.status_code) == (status, code)


# -- demo answers for the output viewer: pictures, LLM completions, big arrays --------


def _png_size(data: bytes) -> tuple[int, int]:
    import struct

    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    return struct.unpack(">II", data[16:24])


def _decode_png_pixels(data: bytes) -> bytes:
    """The raw scanlines of a PNG written by the demo model (one IDAT)."""
    import struct
    import zlib

    pos, idat = 8, b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        crc = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])[0]
        assert zlib.crc32(kind + body) == crc, kind
        if kind == b"IDAT":
            idat += body
        pos += 12 + length
    return zlib.decompress(idat)


def test_image_answers_a_data_url_and_bare_base64_in_a_list(api):
    import base64

    body, _ = api.wait_for(api.create({"prompt": "A lighthouse at dusk"}, path="/image"))
    out = body["output"]
    assert body["status"] == "completed" and body["status_code"] == 200
    assert out["prompt"] == "A lighthouse at dusk"
    assert (out["width"], out["height"]) == (256, 192)
    head, _, payload = out["image"].partition(",")
    assert head == "data:image/png;base64"
    first = base64.b64decode(payload, validate=True)
    second = base64.b64decode(out["images"][0], validate=True)
    assert _png_size(first) == _png_size(second) == (256, 192)
    assert first != second  # two different pictures
    rows = _decode_png_pixels(first)
    assert len(rows) == 192 * (1 + 256 * 3)
    # the same prompt draws the same picture; another prompt other colours
    again = demo_model("POST", "/image", {"prompt": "A lighthouse at dusk"})
    other = demo_model("POST", "/image", {"prompt": "Something else"})
    assert json.loads(again.raw_output)["image"] == out["image"]
    assert json.loads(other.raw_output)["image"] != out["image"]


@pytest.mark.parametrize(
    ("path", "size"),
    [
        ("/image/64x32", (64, 32)),
        ("/image/1x1", (1, 1)),
        ("/image/0x5", (1, 5)),
        ("/image/99999x2", (4096, 2)),
    ],
)
def test_image_sizes_are_clamped(path, size):
    import base64

    out = json.loads(demo_model("POST", path, None).raw_output)
    assert (out["width"], out["height"]) == size
    assert _png_size(base64.b64decode(out["images"][0])) == size


def test_noise_picture_is_large_and_incompressible():
    import base64

    result = demo_model("POST", "/image/500x400/noise", {"prompt": "x"})
    out = json.loads(result.raw_output)
    assert "image" not in out and len(out["images"]) == 1
    png = base64.b64decode(out["images"][0])
    assert _png_size(png) == (500, 400)
    assert len(png) > 500 * 400 * 3  # stored, not compressed
    assert len(_decode_png_pixels(png)) == 400 * (1 + 500 * 3)
    capped = json.loads(demo_model("POST", "/image/4096x4096/noise", None).raw_output)
    assert capped["width"] * capped["height"] * 3 <= 24 * 1024 * 1024


@pytest.mark.parametrize("path", ["/image/abc", "/image/2x2/blur", "/image/2x2/noise/x"])
def test_bad_image_paths_echo(path):
    out = json.loads(demo_model("POST", path, {"q": 1}).raw_output)
    assert out["echo"] == {"q": 1}


@pytest.mark.parametrize("path", ["/llm", "/v1/completions", "/v1/completions?stream=false"])
def test_llm_completion_shape(api, path):
    body, _ = api.wait_for(api.create({"prompt": "Tell me about queues"}, path=path))
    out = body["output"]
    assert out["object"] == "text_completion"
    choice = out["choices"][0]
    assert choice["finish_reason"] == "stop"
    assert choice["text"].startswith("You asked: “Tell me about queues”")
    assert "\n\n" in choice["text"] and len(choice["text"]) > 400
    assert out["usage"]["completion_tokens"] == len(choice["text"].split())


def test_chat_completion_shape(api):
    data = {
        "messages": [{"role": "system", "content": "Be brief"}, {"role": "user", "content": "Hi!"}]
    }
    body, _ = api.wait_for(api.create(data, path="/v1/chat/completions"))
    message = body["output"]["choices"][0]["message"]
    assert message["role"] == "assistant"
    assert message["content"].startswith("Happy to help with “Hi!”")
    odd = json.loads(demo_model("POST", "/v1/chat/completions", [1, 2]).raw_output)
    assert odd["choices"][0]["message"]["content"].startswith("Happy to help with “”")


def test_big_array(api):
    body, _ = api.wait_for(api.create(None, path="/big-array/5000"))
    out = body["output"]
    assert out["count"] == 5000 and len(out["items"]) == 5000
    assert out["items"][0] == {"i": 0, "score": 0.0}
    assert out["items"][4999]["i"] == 4999
    assert all(0 <= item["score"] < 1 for item in out["items"])
    capped = demo_model("POST", "/big-array/99999999", None)
    assert json.loads(capped.raw_output)["count"] == 1_000_000


@pytest.mark.parametrize(
    ("data", "run_time"),
    [
        ({"steps": 30}, 3.0),
        ({"steps": 2.5}, 0.25),
        ({"steps": 10_000}, 60.0),
        ({"steps": True}, None),
        ({"steps": -3}, None),
        ({"steps": "30"}, None),
        ([1], None),
    ],
)
def test_image_steps_set_the_run_time(data, run_time):
    result = demo_model("POST", "/image/8x8", data)
    assert result.run_time == (None if run_time is None else pytest.approx(run_time))


def test_image_steps_run_on_the_queue(clocked_api, clock):
    rid = clocked_api.create({"steps": 30}, path="/image/4x4")
    clock.advance(1.01)  # queue delay 1 s
    assert clocked_api.status(rid) == "in_progress"
    clock.advance(2.9)
    assert clocked_api.status(rid) == "in_progress"
    clock.advance(0.2)
    assert clocked_api.status(rid) == "completed"
