"""Sample pictures shared by the output tests: a PNG, a GIF, a JPEG start, a WebP header."""

from __future__ import annotations

import base64
import struct

from vessl_gui.emulator.pictures import demo_picture

PNG = demo_picture(8, 6)
PNG_B64 = base64.b64encode(PNG).decode()
# The classic 1×1 GIF, a JPEG start and a WebP header: enough for the signatures.
GIF_B64 = "R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + bytes(40)
WEBP = b"RIFF" + struct.pack("<I", 40) + b"WEBPVP8 " + bytes(40)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()
