"""Output reading rules: images, generated text, JSON paths, parsing, timings, saving."""

from __future__ import annotations

import base64
import json
import struct
import threading
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vessl_gui.core import outputs as o
from vessl_gui.core import timings
from vessl_gui.core.history import HistoryStore
from vessl_gui.core.models import AsyncRequest, OutputStatus, Submission
from vessl_gui.emulator.model import demo_model
from vessl_gui.emulator.pictures import demo_picture

PNG = demo_picture(8, 6)
PNG_B64 = base64.b64encode(PNG).decode()
# The classic 1×1 GIF, a JPEG start and a WebP header: enough for the signatures.
GIF_B64 = "R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + bytes(40)
WEBP = b"RIFF" + struct.pack("<I", 40) + b"WEBPVP8 " + bytes(40)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


# ---------------------------------------------------------------------- images


def test_signatures_of_the_four_formats() -> None:
    assert o.sniff_image(PNG) == "png"
    assert o.sniff_image(JPEG) == "jpeg"
    assert o.sniff_image(WEBP) == "webp"
    assert o.sniff_image(base64.b64decode(GIF_B64)) == "gif"
    assert o.sniff_image(b"RIFF\x00\x00\x00\x00WAVEfmt ") is None  # audio is not a picture
    assert o.sniff_image(b"%PDF-1.7") is None


@pytest.mark.parametrize(
    ("text", "fmt", "source"),
    [
        (PNG_B64, "png", "base64"),
        ("data:image/png;base64," + PNG_B64, "png", "data URL"),
        ("DATA:image/jpeg;name=x.jpg;base64," + b64(JPEG), "jpeg", "data URL"),
        ("data:image/webp;base64," + b64(WEBP), "webp", "data URL"),
        (GIF_B64, "gif", "base64"),
        (b64(JPEG), "jpeg", "base64"),
        ("\n  " + PNG_B64, "png", "base64"),  # leading whitespace
        (base64.urlsafe_b64encode(JPEG).decode(), "jpeg", "base64"),
    ],
)
def test_images_are_found_in_strings(text: str, fmt: str, source: str) -> None:
    found = o.image_in_string(text)
    assert found is not None
    assert (found.format, found.source) == (fmt, source)
    assert o.sniff_image(found.decode()[:16]) == fmt


@pytest.mark.parametrize(
    "text",
    [
        "",
        "hello world, this is a sentence that is long enough to be looked at",
        "a" * 100,  # base64 alphabet, but no known signature
        b64(b"just some bytes that are not a picture at all....."),
        "data:text/plain;base64," + b64(b"hello there, this is text not an image"),
        "data:image/png," + "x" * 60,  # not base64
        "data:image/png;base64," + b64(b"not a png but long enough to look at"),
        PNG_B64[:20],  # too short to be a picture
    ],
)
def test_non_images_are_not_taken_for_images(text: str) -> None:
    assert o.image_in_string(text) is None


def test_images_anywhere_in_the_output_with_their_paths() -> None:
    value = {
        "image": "data:image/png;base64," + PNG_B64,
        "images": [PNG_B64, {"b64_json": GIF_B64}],
        "data": [{"url": "https://example.com/x.png", "b64": b64(JPEG)}],
        "odd key": {"deep": [[b64(WEBP)]]},
        "caption": "a picture",
    }
    found = o.find_outputs(value)
    assert [(i.path, i.format) for i in found.images] == [
        ("image", "png"),
        ("images[0]", "png"),
        ("images[1].b64_json", "gif"),
        ("data[0].b64", "jpeg"),
        ('["odd key"].deep[0][0]', "webp"),
    ]
    assert found.complete
    # every path leads back to the string
    for image in found.images:
        assert o.value_at(value, o.parse_path(image.path)) is image.text


def test_the_whole_output_or_raw_output_may_be_the_image() -> None:
    found = o.find_outputs(PNG_B64)
    assert [(i.path, i.format) for i in found.images] == [("", "png")]
    analysis = o.analyze(None, "  data:image/png;base64," + PNG_B64 + "\n")
    assert [(i.path, i.source) for i in analysis.images] == [("raw_output", "data URL")]
    assert analysis.images[0].decode() == PNG


def test_decode_base64_variants_and_errors() -> None:
    data = bytes(range(256)) * 5000  # 1.28 MB: several slices
    text = b64(data)
    assert o.decode_base64(text) == data
    assert o.decode_base64("xx" + text, 2) == data
    assert o.decode_base64(base64.urlsafe_b64encode(data).decode()) == data
    assert o.decode_base64(base64.encodebytes(data).decode()) == data  # MIME line breaks
    assert o.decode_base64(text.rstrip("=")) == data  # padding left off
    with pytest.raises(ValueError, match="not base64"):
        o.decode_base64("abcde")
    with pytest.raises(ValueError, match="not base64"):
        o.decode_base64("ab€d")


@given(st.binary(max_size=2000), st.sampled_from(["std", "url", "mime", "nopad"]))
@settings(max_examples=150, deadline=None)
def test_decode_base64_round_trips(data: bytes, style: str) -> None:
    text = {
        "std": base64.b64encode(data),
        "url": base64.urlsafe_b64encode(data),
        "mime": base64.encodebytes(data),
        "nopad": base64.b64encode(data).rstrip(b"="),
    }[style].decode()
    assert o.decode_base64(text) == data


# ----------------------------------------------------------------- generated text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"text": "hello"}, [("text", "hello")]),
        ({"generated_text": "hi"}, [("generated_text", "hi")]),
        (
            [{"generated_text": "a"}, {"generated_text": "b"}],
            [("[0].generated_text", "a"), ("[1].generated_text", "b")],
        ),
        (
            {"choices": [{"text": "one"}, {"text": "two"}]},
            [("choices[0].text", "one"), ("choices[1].text", "two")],
        ),
        (
            {"choices": [{"message": {"role": "assistant", "content": "yes"}}]},
            [("choices[0].message.content", "yes")],
        ),
        ({"choices": [{"delta": {"content": "stream"}}]}, [("choices[0].delta.content", "stream")]),
        (
            {"choices": [{"message": {"content": [{"type": "text", "text": "part"}]}}]},
            [("choices[0].message.content[0].text", "part")],
        ),
        (
            {"outputs": [{"text": ["x", "y"]}]},
            [("outputs[0].text[0]", "x"), ("outputs[0].text[1]", "y")],
        ),
        ({"result": {"response": "ollama"}}, [("result.response", "ollama")]),
        ("just a string", [("", "just a string")]),
        ({"content": "not inside a message"}, []),
        ({"message": "a status message", "text": "  "}, []),
        ({"text": 3, "generated_text": None}, []),
    ],
)
def test_generated_text_shapes(value: object, expected: list[tuple[str, str]]) -> None:
    assert [(t.path, t.text) for t in o.find_outputs(value).texts] == expected


def test_an_image_under_a_text_key_is_an_image() -> None:
    found = o.find_outputs({"text": PNG_B64})
    assert [i.path for i in found.images] == ["text"]
    assert found.texts == ()


def test_the_search_stops_on_huge_outputs() -> None:
    value = {"items": [{"text": str(i)} for i in range(50_000)], "image": PNG_B64}
    found = o.find_outputs(value, max_values=1000, max_texts=10)
    assert not found.complete
    assert len(found.texts) == 10
    full = o.find_outputs(value, max_texts=10)
    assert full.complete and [i.path for i in full.images] == ["image"]


# ----------------------------------------------------------------------- paths


@pytest.mark.parametrize(
    ("parts", "path"),
    [
        ([], ""),
        (["choices", 0, "text"], "choices[0].text"),
        ([0, "a"], "[0].a"),
        (["a b", 2], '["a b"][2]'),
        (["x", "1st"], 'x["1st"]'),
        (["é"], '["é"]'),
        (['q"]', "\\"], '["q\\"]"]["\\\\"]'),
        (["_ok", "A9"], "_ok.A9"),
        ([""], '[""]'),
    ],
)
def test_paths_are_written_and_read_back(parts: list[o.PathPart], path: str) -> None:
    assert o.format_path(parts) == path
    assert o.parse_path(path) == parts


@given(st.lists(st.one_of(st.integers(0, 10**6), st.text(max_size=8)), max_size=6))
@settings(max_examples=200, deadline=None)
def test_any_path_round_trips(parts: list[o.PathPart]) -> None:
    assert o.parse_path(o.format_path(parts)) == parts


@pytest.mark.parametrize("bad", [".a", "a..b", "a[", "a[x]", "a b", '["a"', "[-1]", "a.[0]"])
def test_malformed_paths_are_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        o.parse_path(bad)


def test_value_at_says_what_is_wrong() -> None:
    value = {"a": [1, {"b": 2}]}
    assert o.value_at(value, ["a", 1, "b"]) == 2
    with pytest.raises(TypeError):
        o.value_at(value, ["a", "b"])
    with pytest.raises(IndexError):
        o.value_at(value, ["a", 5])


# ---------------------------------------------------------------------- parsing


def test_parse_json_equals_json_loads_on_big_outputs() -> None:
    for path in ("/image/300x200/noise", "/big-array/60000", "/image", "/llm"):
        raw = demo_model("POST", path, {"prompt": "p"}).raw_output
        assert raw is not None
        assert o.parse_json(raw, long_string=1024) == json.loads(raw)
    tricky = {
        "esc": 'a\\"b' * 30_000,  # escapes inside a long string
        "uni": "ü" * 70_000,
        "list": ["x" * 70_000, 1, {"k": "y" * 70_000}],
        "x" * 70_000: "a long key",
    }
    text = json.dumps(tricky, ensure_ascii=False)
    assert o.parse_json(text) == tricky
    spaced = json.dumps({"items": list(range(300_000)), "s": "z" * 70_000}, indent=3)
    assert o.parse_json(spaced) == json.loads(spaced)


@pytest.mark.parametrize(
    "bad",
    ['{"a": 1,}', "[1 2]", '{"a" 1}', "[1] x", '["unterminated', "{1: 2}", "[[1,]]", "nul"],
)
def test_parse_json_gives_json_loads_errors(bad: str) -> None:
    padded = bad + " " * (1 << 20) if not bad.startswith('["') else bad + "x" * (1 << 20)
    with pytest.raises(ValueError) as ours:
        o.parse_json(padded)
    with pytest.raises(ValueError) as theirs:
        json.loads(padded)
    assert str(ours.value) == str(theirs.value)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda kids: (
        st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=4), kids, max_size=4)
    ),
    max_leaves=30,
)


@given(json_values, st.integers(0, 3))
@settings(max_examples=150, deadline=None)
def test_parse_json_agrees_with_json_loads(value: object, indent: int) -> None:
    text = json.dumps({"pad": "p" * 64, "v": value, "w": [value, "q" * 80]}, indent=indent or None)
    assert o.parse_json(text, long_string=16) == json.loads(text)
    assert o._parse_shallow(text) == json.loads(text)


def test_parsing_a_20_mb_image_output_never_holds_the_interpreter_for_long() -> None:
    """Another Python thread (the GUI's) keeps getting turns while an output is parsed."""
    raw = demo_model("POST", "/image/2240x2240/noise", {}).raw_output
    assert raw is not None and len(raw) > 19_000_000
    gaps: list[float] = []
    done = threading.Event()

    def beat() -> None:
        last = time.perf_counter()
        while not done.is_set():
            time.sleep(0.001)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    t = threading.Thread(target=beat)
    t.start()
    try:
        value = o.parse_json(raw)
        found = o.find_outputs(value)
        data = found.images[0].decode()
    finally:
        done.set()
        t.join()
    assert data.startswith(b"\x89PNG")
    longest = max(gaps) * 1000
    print(f"longest gap of another thread while parsing + decoding 20 MB: {longest:.0f} ms")
    assert longest < 250  # one json.loads of it is ~100 ms on its own, base64 ~150 ms


# ---------------------------------------------------------------------- display


def test_display_shortens_long_strings_and_arrays() -> None:
    value = {"image": PNG_B64 * 100, "items": list(range(5000)), "ok": "short"}
    shown = o.display_json(value, max_string=100, max_items=10)
    assert shown.shortened
    parsed = json.loads(shown.text)
    assert parsed["ok"] == "short"
    assert "more characters" in parsed["image"] and len(parsed["image"]) < 300
    assert parsed["items"][:10] == list(range(10))
    assert "4,990 more items" in parsed["items"][10]
    small = o.display_json({"a": [1, 2]})
    assert not small.shortened and json.loads(small.text) == {"a": [1, 2]}
    capped = o.display_json(list(range(1000)), limit=100)
    assert capped.shortened and len(capped.text) < 200


def test_analyze_reports_what_it_found() -> None:
    raw = demo_model("POST", "/image", {"prompt": "a lighthouse"}).raw_output
    out = json.dumps(json.loads(raw or ""), ensure_ascii=False)
    a = o.analyze(out, raw)
    assert a.has_value and [i.path for i in a.images] == ["image", "images[0]"]
    assert json.loads(a.display.text)["prompt"] == "a lighthouse"
    later = o.analyze(out, raw, search=False)
    assert later.has_value and later.images == ()
    assert o.analyze(None, "plain words").texts[0].text == "plain words"
    assert not o.analyze("{bad", None).has_value
    assert "not valid JSON" in o.analyze("{bad", None).error
    assert "nested too deeply" in o.analyze("[" * 100_000 + "]" * 100_000, None).error
    assert o.analyze(None, None) == o.Analysis(False)


# ---------------------------------------------------------------------- timings


def test_timings_from_what_polling_saw() -> None:
    t = timings.observed_timings(100.0, 100.5, 101.0, 103.0, 110.0)
    assert (t.waited, t.ran, t.total, t.started_unseen) == (2.5, 7.0, 10.0, False)
    unseen = timings.observed_timings(100.0, 100.5, 101.0, None, 104.0)
    assert (unseen.waited, unseen.ran, unseen.total, unseen.started_unseen) == (
        None,
        None,
        4.0,
        True,
    )
    running = timings.observed_timings(100.0, 100.5, 101.0, 102.0, None)
    assert (running.waited, running.ran, running.total) == (1.5, None, None)
    never = timings.observed_timings(100.0, None, None, None, None)
    assert (never.waited, never.ran, never.total) == (None, None, None)


@pytest.mark.parametrize(
    ("secs", "text"),
    [
        (None, ""),
        (0.04, "0.0 s"),
        (0.44, "0.4 s"),
        (9.96, "10.0 s"),
        (12.4, "12 s"),
        (185, "3 min 05 s"),
        (7440, "2 h 04 min"),
    ],
)
def test_durations_read_well(secs: float | None, text: str) -> None:
    assert timings.format_duration(secs) == text


def test_history_summaries_carry_the_times_and_sort_by_durations(tmp_path: Path) -> None:
    with HistoryStore(tmp_path / "h.sqlite3") as store:
        req = AsyncRequest("http://127.0.0.1:1/s", "POST", "/", "{}")
        for i, (wait, run) in enumerate([(1.0, 5.0), (3.0, 1.0), (2.0, 1.5)]):
            t0 = 1000.0 + i
            e = store.add(req, now=t0)
            store.mark_sent(e.row_id, Submission(f"id{i}", 201, 0.1), now=t0 + 0.5)
            store.record_output(e.row_id, OutputStatus("pending"), now=t0 + 0.6)
            store.record_output(e.row_id, OutputStatus("in_progress"), now=t0 + 0.5 + wait)
            store.record_output(
                e.row_id, OutputStatus("completed", 200, "{}", "{}"), now=t0 + 0.5 + wait + run
            )
        summary = store.page(0, 10)[-1]
        assert (summary.sent_at, summary.pending_at) == (1000.5, 1000.6)
        assert (summary.in_progress_at, summary.finished_at) == (1001.5, 1006.5)
        assert summary == store.get(summary.row_id).summary()  # type: ignore[union-attr]
        by = {
            k: [s.request_id for s in store.page(0, 10, sort=k, descending=False)]
            for k in ("waited", "ran", "total")
        }
        assert by == {
            "waited": ["id0", "id2", "id1"],
            "ran": ["id1", "id2", "id0"],
            "total": ["id2", "id1", "id0"],
        }


# ----------------------------------------------------------------------- saving


def test_saving_output_raw_and_every_image(tmp_path: Path) -> None:
    out = o.save_output_json(tmp_path / "out.json", '{"a": "ü"}')
    assert out.read_bytes() == '{"a": "ü"}\n'.encode()
    raw = o.save_raw_output(tmp_path / "raw.txt", "line 1\r\nline 2")
    assert raw.read_bytes() == b"line 1\r\nline 2"
    found = o.find_outputs({"image": "data:image/png;base64," + PNG_B64, "g": [GIF_B64]})
    folder = tmp_path / "new" / "images"
    written = o.save_images(folder, found.images, "abc/..123")
    assert [p.name for p in written] == ["abc-..123-1-image.png", "abc-..123-2-g-0.gif"]
    assert written[0].read_bytes() == PNG
    again = o.save_images(folder, found.images, "abc/..123")  # never overwrites
    assert [p.name for p in again] == ["abc-..123-1-image-2.png", "abc-..123-2-g-0-2.gif"]
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        p.name for p in written + again
    )  # no temporary files left behind


def test_a_broken_image_is_named_and_disk_errors_surface(tmp_path: Path) -> None:
    broken = o.FoundImage("images[3]", "png", "base64", "iVBORw0KGgo=" + "A", 0)
    with pytest.raises(ValueError, match=r"images\[3\]"):
        o.save_images(tmp_path, [broken], "x")
    with pytest.raises(OSError):
        o.save_output_json(tmp_path / "missing" / "out.json", "{}")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OSError):
        o.save_images(blocker / "sub", [], "x")
    assert list(tmp_path.iterdir()) == [blocker]

