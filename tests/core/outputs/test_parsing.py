"""Parsing large outputs in short steps: the same answers and errors as json.loads."""

from __future__ import annotations

import json
import threading
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vessl_gui.core import outputs as o
from vessl_gui.core.outputs import parsing
from vessl_gui.emulator.model import demo_model


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
    assert parsing._parse_shallow(text) == json.loads(text)


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
