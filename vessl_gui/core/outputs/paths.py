"""JSON paths such as ``choices[0].text`` and ``["a b"][2]``: written, read, followed."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from typing import Any, Final

PathPart = str | int

_IDENT: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def format_path(parts: Iterable[PathPart]) -> str:
    """``["choices", 0, "text"]`` -> ``choices[0].text``; odd keys as ``["a b"]``.

    The root (no parts) is the empty string.
    """
    out: list[str] = []
    for part in parts:
        if isinstance(part, int):
            out.append(f"[{part}]")
        elif _IDENT.match(part):
            out.append(("." if out else "") + part)
        else:
            out.append("[" + json.dumps(part, ensure_ascii=False) + "]")
    return "".join(out)


_NAME: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_BRACKET: Final = re.compile(r'\[(?:(\d+)|("(?:[^"\\]|\\.)*"))\]', re.DOTALL)


def parse_path(path: str) -> list[PathPart]:
    """The parts of a path written by :func:`format_path`; ``ValueError`` if malformed."""
    parts: list[PathPart] = []
    pos = 0
    while pos < len(path):
        if path[pos] == "[":
            m = _BRACKET.match(path, pos)
            if m is None:
                raise ValueError(f"not a JSON path: {path!r} (bad [...] at character {pos + 1})")
            parts.append(int(m[1]) if m[1] is not None else str(json.loads(m[2])))
        else:
            dot = 1 if pos else 0
            m = _NAME.match(path, pos + dot)
            if m is None or (dot and path[pos] != "."):
                raise ValueError(f"not a JSON path: {path!r} (at character {pos + 1})")
            parts.append(m[0])
        pos = m.end()
    return parts


def value_at(value: Any, parts: Sequence[PathPart]) -> Any:
    """The value at a path; ``KeyError``/``IndexError``/``TypeError`` when it is not there."""
    for part in parts:
        if isinstance(part, int) and not isinstance(value, list):
            raise TypeError(f"[{part}] needs an array, found {type(value).__name__}")
        if isinstance(part, str) and not isinstance(value, dict):
            raise TypeError(f"{part!r} needs an object, found {type(value).__name__}")
        value = value[part]
    return value
