"""The demo pictures: PNGs encoded with zlib and struct."""

from __future__ import annotations

import struct
import zlib

import pytest

from vessl_gui.emulator.pictures import noise_picture, png_bytes


def test_png_bytes_is_a_valid_png() -> None:
    data = png_bytes(2, 1, bytes([255, 0, 0, 0, 0, 255]))
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    length, kind = struct.unpack(">I4s", data[8:16])
    assert (length, kind) == (13, b"IHDR")
    assert struct.unpack(">II", data[16:24]) == (2, 1)
    idat_len = struct.unpack(">I", data[33:37])[0]
    assert zlib.decompress(data[41 : 41 + idat_len]) == b"\x00\xff\x00\x00\x00\x00\xff"
    with pytest.raises(ValueError):
        png_bytes(2, 2, b"short")
    assert noise_picture(4, 4, 1) == noise_picture(4, 4, 1) != noise_picture(4, 4, 2)
