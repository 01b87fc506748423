"""The walk over an output: images and generated texts, with their paths."""

from __future__ import annotations

import pytest

from tests.core.outputs.samples import GIF_B64, JPEG, PNG, PNG_B64, WEBP, b64
from vessl_gui.core import outputs as o


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
