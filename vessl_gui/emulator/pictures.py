"""The demo pictures: drawn and PNG-encoded here with ``zlib`` and ``struct``.

:func:`png_bytes` encodes RGB pixels, :func:`demo_picture` draws a lighthouse
at dusk and :func:`noise_picture` random pixels (a large, incompressible
output).  The demo model (:mod:`vessl_gui.emulator.model`) picks their colours
from the prompt, so the same prompt gives the same picture.
"""

from __future__ import annotations

import math
import random
import struct
import zlib
from typing import Final

PNG_MAGIC: Final = b"\x89PNG\r\n\x1a\n"


#: Dusk palettes: sky top, horizon glow, sun, sea, land.
_PALETTES: Final = (
    ((22, 30, 78), (250, 152, 92), (255, 226, 150), (24, 52, 96), (30, 28, 40)),
    ((46, 20, 84), (242, 110, 120), (255, 210, 170), (40, 30, 86), (26, 20, 36)),
    ((10, 60, 110), (255, 196, 110), (255, 244, 200), (12, 78, 110), (20, 40, 40)),
    ((70, 40, 90), (255, 170, 60), (255, 236, 170), (52, 44, 90), (34, 26, 30)),
)


def _chunk(kind: bytes, body: bytes) -> bytes:
    crc = zlib.crc32(kind + body)
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)


def png_bytes(width: int, height: int, rgb: bytes | bytearray, level: int = 6) -> bytes:
    """Encode ``width × height`` RGB pixels (rows top to bottom, 3 bytes each) as a PNG."""
    stride = width * 3
    if width < 1 or height < 1 or len(rgb) != stride * height:
        raise ValueError("rgb must hold width * height * 3 bytes")
    view = memoryview(rgb)
    raw = b"".join(b"\x00" + view[y * stride : (y + 1) * stride] for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    idat = zlib.compress(raw, level)
    return PNG_MAGIC + _chunk(b"IHDR", header) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")


def _mix(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> bytes:
    return bytes(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def demo_picture(width: int, height: int, seed: int = 0) -> bytes:
    """A PNG of a lighthouse at dusk: sky, sun, sea with its reflection; ``seed`` sets colours."""
    sky, glow, sun, sea, land = _PALETTES[seed % len(_PALETTES)]
    px = bytearray(width * height * 3)
    horizon = max(1, int(height * 0.62))
    sun_x = int(width * (0.55 + 0.25 * ((seed // 7) % 5) / 4))
    sun_r = max(1.0, min(width, height) * 0.09)
    sun_y = horizon - sun_r * 0.6
    tower_x, tower_w = int(width * 0.2), max(1, width // 22)
    tower_top = int(horizon - height * 0.34)
    band = max(1, (horizon - tower_top) // 6)

    def fill(y: int, x0: int, x1: int, color: bytes) -> None:
        x0, x1 = max(0, x0), min(width, x1)
        if x1 > x0:
            px[(y * width + x0) * 3 : (y * width + x1) * 3] = color * (x1 - x0)

    for y in range(height):
        if y < horizon:
            fill(y, 0, width, _mix(sky, glow, (y / horizon) ** 1.6))
            dy = y - sun_y
            if abs(dy) < sun_r:
                dx = int(math.sqrt(sun_r * sun_r - dy * dy))
                fill(y, sun_x - dx, sun_x + dx + 1, bytes(sun))
        else:
            depth = (y - horizon) / max(1, height - horizon)
            fill(y, 0, width, _mix(sea, (6, 10, 24), depth))
            if (y // max(1, height // 96)) % 2 == 0:  # the sun's shimmering reflection
                half = int(sun_r * (1.2 - 0.8 * depth) * (0.6 + 0.4 * math.sin(y * 0.9)))
                fill(y, sun_x - half, sun_x + half, _mix(glow, sun, 0.5 - 0.4 * depth))
        if y >= horizon - max(2, height // 40) and y < horizon + max(2, height // 30):
            fill(y, 0, int(width * 0.34), bytes(land))  # the headland
        if tower_top <= y < horizon:
            stripe = ((y - tower_top) // band) % 2
            fill(y, tower_x, tower_x + tower_w, b"\xc8\x28\x28" if stripe else b"\xf0\xf0\xf0")
        lamp = max(1, tower_w // 2)
        if tower_top - lamp <= y < tower_top:
            fill(y, tower_x, tower_x + tower_w, b"\xff\xe8\x80")
    return png_bytes(width, height, px)


def noise_picture(width: int, height: int, seed: int = 0) -> bytes:
    """A PNG of random pixels: incompressible, stored uncompressed (large outputs)."""
    rgb = random.Random(seed).randbytes(width * height * 3)
    return png_bytes(width, height, rgb, level=0)
