"""Base64 images: signatures, data URLs and bare base64, decoding."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.core.outputs.samples import GIF_B64, JPEG, PNG, PNG_B64, WEBP, b64
from vessl_gui.core import outputs as o


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
