"""Parsing a large output without holding the interpreter lock for long.

:func:`parse_json` cuts strings of 64 KiB and more (base64 images) out with
``str.find`` before ``json.loads`` sees the rest, so a 20 MB image answer
parses in a few milliseconds of C calls instead of one 100 ms call that would
freeze the window's thread.
"""

from __future__ import annotations

import json
import json.scanner
import re
from typing import Any, Final

from vessl_gui.core.outputs.breathing import breathe, find_char

#: Strings at least this long are cut out before ``json.loads`` (see :func:`parse_json`).
LONG_STRING: Final = 1 << 16
#: Past this many strings the cutting loop gives up and ``json.loads`` does it all.
_MAX_SCANNED_STRINGS: Final = 20_000


#: Texts longer than this are parsed container by container (see :func:`parse_json`).
SHALLOW_ABOVE: Final = 1 << 20
#: How many levels of arrays/objects are walked in Python before C takes over.
SHALLOW_DEPTH: Final = 2


def parse_json(text: str, long_string: int = LONG_STRING) -> Any:
    """``json.loads(text)`` in short steps, so another thread (the GUI's) keeps running.

    One ``json.loads`` call holds the interpreter lock until it returns: ~100 ms
    for a 20 MB string, most of a second for a million small values.  Here long
    strings are cut out with ``str.find`` first, and the outer levels of big
    documents are walked in Python, one element at a time, with ``json``'s C
    scanner parsing each element.  Returns what ``json.loads`` returns and
    raises its ``ValueError`` for bad JSON.
    """
    if len(text) < 4 * long_string:
        return json.loads(text)
    try:
        cut = _cut_long_strings(text, long_string)
        skeleton, longs, mark = cut if cut is not None else (text, [], "")
        big = len(skeleton) > SHALLOW_ABOVE
        value = _parse_shallow(skeleton) if big else json.loads(skeleton)
        return _restore(value, longs, mark) if longs else value
    except (ValueError, StopIteration, IndexError):
        return json.loads(text)  # the exact error, or the odd case the fast path missed


_WS: Final = re.compile(r"[ \t\n\r]*")
_SCANNER: Final = json.scanner.make_scanner(json.JSONDecoder())  # type: ignore[arg-type]


def _parse_shallow(text: str) -> Any:
    scan = _SCANNER

    def skip(i: int) -> int:
        return _WS.match(text, i).end()  # type: ignore[union-attr]

    def value(i: int, depth: int) -> tuple[Any, int]:
        i = skip(i)
        c = text[i]
        if depth and c == "[":
            items: list[Any] = []
            i = skip(i + 1)
            if text[i] == "]":
                return items, i + 1
            while depth == 1:  # the usual big array: each item in one C call
                if len(items) & 1023 == 0:
                    breathe()
                if text[i] in " \t\n\r":
                    i = skip(i)
                item, i = scan(text, i)
                items.append(item)
                if text[i] == ",":
                    i += 1
                    continue
                i = skip(i)
                if text[i] == "]":
                    return items, i + 1
                if text[i] != ",":
                    raise ValueError("expected , or ]")
                i += 1
            while True:
                item, i = value(i, depth - 1)
                items.append(item)
                i = skip(i)
                if text[i] == "]":
                    return items, i + 1
                if text[i] != ",":
                    raise ValueError("expected , or ]")
                i += 1
        if depth and c == "{":
            obj: dict[str, Any] = {}
            i = skip(i + 1)
            if text[i] == "}":
                return obj, i + 1
            while True:
                i = skip(i)
                if text[i] != '"':
                    raise ValueError("expected a key")
                key, i = _SCANNER(text, i)
                i = skip(i)
                if text[i] != ":":
                    raise ValueError("expected :")
                obj[key], i = value(i + 1, depth - 1)
                i = skip(i)
                if text[i] == "}":
                    return obj, i + 1
                if text[i] != ",":
                    raise ValueError("expected , or }")
                i += 1
        result: tuple[Any, int] = _SCANNER(text, i)
        return result

    parsed, end = value(0, SHALLOW_DEPTH)
    if skip(end) != len(text):
        raise ValueError("extra data")
    return parsed


def _string_end(text: str, quote: int) -> int:
    """The index of the quote closing the JSON string that opens at ``quote``."""
    i = quote + 1
    while True:
        end = find_char(text, '"', i)
        if end < 0:
            raise ValueError("unterminated string")
        b = end - 1
        while text[b] == "\\":
            b -= 1
        if (end - 1 - b) % 2 == 0:
            return end
        i = end + 1


def _cut_long_strings(text: str, long_string: int) -> tuple[str, list[str], str] | None:
    import uuid  # here: it imports platform

    mark = f"\x00vessl-long-{uuid.uuid4().hex}:"
    pieces: list[str] = []
    longs: list[str] = []
    pos = last = scanned = 0
    while True:
        quote = find_char(text, '"', pos)
        if quote < 0:
            break
        end = _string_end(text, quote)
        if end - quote - 1 >= long_string:
            escaped = find_char(text, "\\", quote + 1, end) >= 0
            longs.append(json.loads(text[quote : end + 1]) if escaped else text[quote + 1 : end])
            pieces.append(text[last:quote])
            pieces.append(f'"{mark}{len(longs) - 1}"')
            last = end + 1
        pos = end + 1
        scanned += 1
        if scanned > _MAX_SCANNED_STRINGS and not longs:
            return None  # many small strings: not worth it
        if scanned > 10 * _MAX_SCANNED_STRINGS:
            break  # the rest is left as it is
    if not longs:
        return None
    pieces.append(text[last:])
    return "".join(pieces), longs, mark


def _restore(value: Any, longs: list[str], mark: str) -> Any:
    def fix(s: str) -> str:
        return longs[int(s[len(mark) :])] if s.startswith(mark) else s

    if isinstance(value, str):
        return fix(value)
    stack: list[Any] = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for k in [k for k in node if k.startswith(mark)]:
                node[fix(k)] = node.pop(k)
            for k, v in node.items():
                if isinstance(v, str):
                    node[k] = fix(v)
                elif isinstance(v, dict | list):
                    stack.append(v)
        elif isinstance(node, list):
            for i, v in enumerate(node):
                if isinstance(v, str):
                    node[i] = fix(v)
                elif isinstance(v, dict | list):
                    stack.append(v)
    return value
