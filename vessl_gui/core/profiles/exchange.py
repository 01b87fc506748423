"""A profile's saved requests as a file to share: export, and import with line/column errors.

The export is ``{"format": "vessl-gui.saved-requests", "version": 1,
"service": …, "exported_at": …, "requests": [{"name", "method", "path",
"data"}, …]}``: no token, no base URL.  Reading one refuses a file that is not
such an export (:class:`ValidationError`, field ``file``, with line and column
for bad JSON) and skips a bad entry with a sentence naming its line and column.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterable
from typing import Final, NoReturn

from vessl_gui.core.errors import ValidationError
from vessl_gui.core.profiles.codec import Corrupt, str_field, want
from vessl_gui.core.profiles.models import SavedRequest
from vessl_gui.core.profiles.rules import clean_name, fold
from vessl_gui.core.text import position
from vessl_gui.core.validation import check_unicode, fail

EXPORT_FORMAT: Final = "vessl-gui.saved-requests"
EXPORT_VERSION: Final = 1

Entry = tuple[str, str, str, str]
"""One imported request: (name, method, path, data)."""


def export_text(service: str, requests: Iterable[SavedRequest], now: float) -> str:
    """The export of ``requests`` (of the service named ``service``) as JSON text."""
    doc = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "service": service,
        "exported_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now)),
        "requests": [
            {"name": s.name, "method": s.method, "path": s.path, "data": s.data} for s in requests
        ],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def read_export(text: str) -> tuple[list[Entry], list[str]]:
    """(name, method, path, data) entries of an export text, and the skipped ones' problems."""

    def bad(message: str, line: int | None = None, column: int | None = None) -> NoReturn:
        fail("file", message, line, column)

    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        bad(f"This file is not valid JSON: {e.msg}", e.lineno, e.colno)
    except (RecursionError, ValueError) as e:
        bad(f"This file is not readable JSON ({type(e).__name__})")
    if not isinstance(doc, dict) or doc.get("format") != EXPORT_FORMAT:
        bad(f'This is not a vessl-gui saved-requests file (no "format": "{EXPORT_FORMAT}")')
    version = doc.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        bad('The file has no valid "version"')
    if version > EXPORT_VERSION:
        bad(f"The file was made by a newer vessl-gui (version {version}); update vessl-gui")
    requests = doc.get("requests")
    if not isinstance(requests, list):
        bad('The file has no "requests" list')
    offsets = item_offsets(text)
    entries: dict[str, Entry] = {}
    problems: list[str] = []
    for i, raw in enumerate(requests):
        where = f"request {i + 1}"
        if i < len(offsets):
            line, col = position(text, offsets[i])
            where += f" (line {line}, column {col})"
        try:
            want(isinstance(raw, dict), where, "is not an object")
            name = clean_name(str_field(raw, "name", where), "Request")
            method = str_field(raw, "method", where, optional=True) or "POST"
            path = str_field(raw, "path", where, optional=True) or "/"
            data = raw.get("data")
            want(isinstance(data, str), where, '"data" must be the JSON text as a string')
            for label, value in (("method", method), ("path", path), ("data", data)):
                check_unicode("file", label, value)
        except Corrupt as exc:
            problems.append(f"{exc}; skipped")
            continue
        except ValidationError as exc:
            problems.append(f"{where}: {exc.fields[0].message}; skipped")
            continue
        if fold(name) in entries:
            problems.append(f'{where}: the name "{name}" appears twice; the last one was kept')
        entries[fold(name)] = (name, method, path, data)
    return list(entries.values()), problems


def item_offsets(text: str) -> list[int]:
    """Offsets of the items of the top-level ``"requests"`` array (best effort, [] on doubt)."""
    decoder = json.JSONDecoder()
    ws = re.compile(r"[ \t\n\r]*")

    def skip(i: int) -> int:
        m = ws.match(text, i)
        return m.end() if m else i

    try:
        i = skip(0) + 1
        while True:
            i = skip(i)
            if text[i] == "}":
                return []
            key, i = decoder.raw_decode(text, i)
            start = skip(skip(i) + 1)
            if key == "requests" and text[start] == "[":
                out: list[int] = []
                j = skip(start + 1)
                while text[j] != "]":
                    out.append(j)
                    _, j = decoder.raw_decode(text, j)
                    j = skip(j)
                    if text[j] == ",":
                        j = skip(j + 1)
                return out
            _, i = decoder.raw_decode(text, start)
            i = skip(i)
            if text[i] == ",":
                i += 1
    except (ValueError, IndexError, RecursionError):
        return []
