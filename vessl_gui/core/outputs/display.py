"""An output made readable: indented JSON with long strings and arrays shortened.

:func:`display_json` pretty-prints an output for reading (copying and saving
always use the whole output); :func:`pretty_json` indents a JSON text for copying.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Final

#: Strings longer than this are shortened in :func:`display_json`.
DISPLAY_STRING: Final = 2_000
#: Arrays and objects longer than this are shortened in :func:`display_json`.
DISPLAY_ITEMS: Final = 1_000
#: At most this many characters of pretty text are produced.
DISPLAY_LIMIT: Final = 200_000


@dataclass(frozen=True)
class Display:
    text: str
    shortened: bool
    """Something was left out (a long string, a long array, or the end)."""


def shorten(s: str, limit: int = DISPLAY_STRING) -> str:
    if len(s) <= limit:
        return s
    return f"{s[:200]}… ⟪{len(s) - 200:,} more characters⟫"


def display_json(
    value: Any,
    *,
    max_string: int = DISPLAY_STRING,
    max_items: int = DISPLAY_ITEMS,
    limit: int = DISPLAY_LIMIT,
) -> Display:
    """Indented JSON for reading; long strings, arrays and objects are shortened."""
    shortened = False

    def cut(node: Any, depth: int) -> Any:
        nonlocal shortened
        if isinstance(node, str):
            if len(node) > max_string:
                shortened = True
                return shorten(node, max_string)
            return node
        if depth > 200:  # deeper than json.dumps' own recursion allows comfortably
            shortened = True
            return "⟪nested too deeply to show⟫"
        if isinstance(node, list):
            out = [cut(v, depth + 1) for v in node[:max_items]]
            if len(node) > max_items:
                shortened = True
                out.append(f"⟪{len(node) - max_items:,} more items: see the tree⟫")
            return out
        if isinstance(node, dict):
            d: dict[str, Any] = {}
            for i, (k, v) in enumerate(node.items()):
                if i == max_items:
                    shortened = True
                    d["⟪…⟫"] = f"⟪{len(node) - max_items:,} more keys: see the tree⟫"
                    break
                d[shorten(k, max_string)] = cut(v, depth + 1)
            return d
        return node

    text = json.dumps(cut(value, 0), indent=2, ensure_ascii=False)
    if len(text) > limit:
        text = text[:limit] + f"\n⟪… {len(text) - limit:,} more characters⟫"
        shortened = True
    return Display(text, shortened)


def pretty_json(text: str, limit: int = 2_000_000) -> str:
    """Indent a JSON text (for copying); the text itself when it is not JSON or too big."""
    if len(text) > limit:
        return text
    try:
        value = json.loads(text)
    except ValueError:
        return text
    return json.dumps(value, indent=2, ensure_ascii=False)
