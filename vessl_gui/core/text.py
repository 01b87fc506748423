"""Small text rules used across the app: line/column, UTF-16 offsets, newlines, sizes.

One definition each, so the JSON editor, validation, the profile files and the
curl importer count lines the same way, and every size is shown in one format.
"""

from __future__ import annotations

import re
from typing import Final

_ASTRAL_RE: Final = re.compile("[\U00010000-\U0010ffff]")

KB: Final = 1024
"""A size unit as the app shows it: ``KB`` and ``MB`` are 1024 and 1024² bytes."""
MB: Final = 1024 * 1024


def position(text: str, offset: int) -> tuple[int, int]:
    """1-based (line, column) of a character offset in ``text``."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def where(text: str, offset: int) -> str:
    """``"line L, column C"`` of a character offset in ``text``."""
    line, column = position(text, offset)
    return f"line {line}, column {column}"


def offset_of(text: str, line: int, column: int) -> int:
    """Character offset of a 1-based (line, column) in ``text`` (inverse of :func:`position`)."""
    start = 0
    for _ in range(line - 1):
        nxt = text.find("\n", start)
        if nxt < 0:
            return len(text)
        start = nxt + 1
    return min(start + column - 1, len(text))


def is_valid_unicode(text: str) -> bool:
    """False when ``text`` holds an unpaired surrogate (it cannot be sent as UTF-8)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units (Qt's positions)."""
    if text.isascii() or not _ASTRAL_RE.search(text):
        return len(text)
    return len(text.encode("utf-16-le")) // 2


def utf16_to_index(text: str, units: int) -> int:
    """The ``str`` index in ``text`` of a UTF-16 offset (a Qt position in a block)."""
    if text.isascii() or not _ASTRAL_RE.search(text):
        return min(units, len(text))
    count = 0
    for i, ch in enumerate(text):
        if count >= units:
            return i
        count += 2 if ord(ch) > 0xFFFF else 1
    return len(text)


def normalize_newlines(text: str) -> str:
    """What a Qt text document will hold: Qt turns CR LF, CR, U+2029 (and U+FDD0/U+FDD1,
    its frame markers) into line breaks, so the text sent is the text shown."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    for ch in ("\u2029", "\ufdd0", "\ufdd1"):
        if ch in text:
            text = text.replace(ch, "\n")
    return text


def human_size(n: float) -> str:
    """``512 bytes``, ``11 KB``, ``15.1 MB`` (KB = 1024 bytes, MB = 1024² bytes)."""
    if n < KB:
        return f"{n:.0f} bytes"
    if n < MB:
        return f"{n / KB:.0f} KB"
    return f"{n / MB:.1f} MB"
