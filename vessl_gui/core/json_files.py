"""Reading a JSON file the user opens or drops on the editor: size limit, UTF-8, BOM.

Qt-free, so the rules are tested without a widget: a file is read whole (up to
:data:`MAX_OPEN_BYTES`), decoded as UTF-8 with a BOM dropped, and refused with a
reason a person can act on when it is a folder, missing, UTF-16, not UTF-8 or
blank.  Whether the text is JSON is checked by the caller (``check_json``), on a
worker thread when it is large.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from vessl_gui.core.records import record
from vessl_gui.core.text import human_size

#: Files larger than this are not opened.
MAX_OPEN_BYTES: Final = 64 * 1024 * 1024


@record
class FileText:
    """What :func:`read_json_text` found: the text, or why the file cannot be opened."""

    text: str = ""
    size: int = 0  # bytes read
    problem: str | None = None  # "it is a folder", … (None: the text was read)


def read_json_text(path: str | Path) -> FileText:
    """The UTF-8 text of ``path`` (a BOM is dropped), or the reason it is refused."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_OPEN_BYTES:
            limit = human_size(MAX_OPEN_BYTES)
            return FileText(problem=f"it is {human_size(size)}, more than the {limit} limit")
        raw = p.read_bytes()
    except IsADirectoryError:
        return FileText(problem="it is a folder")
    except OSError as exc:
        return FileText(problem=exc.strerror or str(exc))
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return FileText(problem="it is UTF-16 text; save it as UTF-8")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = raw[exc.start : exc.start + 1].hex()
        return FileText(problem=f"it is not UTF-8 text (byte 0x{bad} at offset {exc.start})")
    if not text or text.isspace():
        return FileText(problem="the file is empty")
    return FileText(text, len(raw))


__all__ = ["MAX_OPEN_BYTES", "FileText", "read_json_text"]
