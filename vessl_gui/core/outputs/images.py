"""Base64 images inside an output: signatures sniffed, found in strings, decoded.

An image is a data URL ``data:image/…;base64,…`` or bare base64 whose first
bytes are a PNG, JPEG, WebP or GIF signature.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass, field
from typing import Final, Literal

from vessl_gui.core.outputs.breathing import breathe, find_char

ImageFormat = Literal["png", "jpeg", "webp", "gif"]
MIME_TYPES: Final[dict[str, str]] = {
    "png": "image/png",
    "jpeg": "image/jpeg",
    "webp": "image/webp",
    "gif": "image/gif",
}
EXTENSIONS: Final[dict[str, str]] = {"png": "png", "jpeg": "jpg", "webp": "webp", "gif": "gif"}

_B64_HEAD: Final = re.compile(r"[A-Za-z0-9+/_-]{16}")
_DATA_URL: Final = re.compile(
    r"data:(?P<mime>image/[A-Za-z0-9.+-]+)(?:;[^,;]*)*?;base64,", re.IGNORECASE
)
#: Bare base64 shorter than this is not looked at (the smallest real images are longer).
MIN_BASE64: Final = 32
#: Decode base64 in slices of this many characters (a multiple of 4): short C calls.
_DECODE_SLICE: Final = 1 << 18


def sniff_image(head: bytes) -> ImageFormat | None:
    """The format whose signature starts ``head`` (at least 12 bytes for WebP)."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    return None


def _decode_head(s: str, start: int) -> bytes:
    chunk = s[start : start + 16]
    if not _B64_HEAD.match(chunk):
        return b""
    try:
        return base64.b64decode(chunk.replace("-", "+").replace("_", "/"))
    except (binascii.Error, ValueError):
        return b""


@dataclass(frozen=True)
class FoundImage:
    """A base64 image found inside an output."""

    path: str
    """Where it is, e.g. ``images[0]`` (``""`` is the output itself)."""
    format: ImageFormat
    source: Literal["data URL", "base64"]
    text: str = field(repr=False, compare=False)
    """The JSON string holding it (not copied)."""
    start: int = 0
    """Where the base64 starts in :attr:`text` (after a data URL's comma)."""

    @property
    def mime(self) -> str:
        return MIME_TYPES[self.format]

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.format]

    @property
    def encoded_size(self) -> int:
        """Characters of base64."""
        return len(self.text) - self.start

    @property
    def approx_bytes(self) -> int:
        return self.encoded_size * 3 // 4

    def decode(self) -> bytes:
        """The image file's bytes (in short slices; ``ValueError`` if not base64)."""
        return decode_base64(self.text, self.start)


_URLSAFE: Final = bytes.maketrans(b"-_", b"+/")


def decode_base64(text: str, start: int = 0) -> bytes:
    """Decode standard or URL-safe base64 (whitespace allowed) from ``text[start:]``.

    Works in slices so no single C call is long; raises ``ValueError`` on bad input.
    """
    if any(find_char(text, c, start) >= 0 for c in " \n\r\t"):
        text, start = "".join(text[start:].split()), 0  # MIME line breaks: rare
    urlsafe = find_char(text, "-", start) >= 0 or find_char(text, "_", start) >= 0
    stop = len(text)
    while stop > start and text[stop - 1] == "=":
        stop -= 1
    if (stop - start) % 4 == 1:
        raise ValueError("not base64: the length is impossible")
    parts: list[bytes] = []
    try:
        for i in range(start, stop, _DECODE_SLICE):
            piece = text[i : min(stop, i + _DECODE_SLICE)].encode("ascii")
            if urlsafe:
                piece = piece.translate(_URLSAFE)
            if i + _DECODE_SLICE >= stop:
                piece += b"=" * (-len(piece) % 4)
            parts.append(binascii.a2b_base64(piece))
            breathe()
    except (binascii.Error, ValueError) as e:  # UnicodeEncodeError is a ValueError
        raise ValueError(f"not base64: {e}") from e
    return b"".join(parts)


def image_in_string(s: str, path: str = "") -> FoundImage | None:
    """The image this string holds (a data URL or bare base64 of a known format), if any."""
    if len(s) < MIN_BASE64:
        return None
    if s[:5].lower() == "data:":
        m = _DATA_URL.match(s, 0, 300)
        if m is None:
            return None
        fmt = sniff_image(_decode_head(s, m.end()))
        if fmt is None:
            return None
        return FoundImage(path, fmt, "data URL", s, m.end())
    start = len(s) - len(s.lstrip())
    fmt = sniff_image(_decode_head(s, start))
    return FoundImage(path, fmt, "base64", s, start) if fmt is not None else None
