"""Format and minify JSON text without changing a single value.

Both functions re-lay out the *tokens* of the original text: strings and
numbers are copied character for character, so ``1.0``, ``1e400``, ``-0``,
``1E+2``, integers of any size, ``"\\u00e9"`` escapes and key order all stay as
typed.  Only the whitespace between tokens changes.  (Going through
``json.loads``/``json.dumps`` would turn ``1e400`` into ``Infinity``,
``1E+2`` into ``100.0`` and ``"\\u00e9"`` into ``"é"``, and drop duplicate keys.)

Invalid text is refused with the same :class:`~vessl_gui.core.errors.FieldError`
that :func:`~vessl_gui.core.validation.check_json` reports, wrapped in a
:class:`~vessl_gui.core.errors.ValidationError`; nothing is half-formatted.
"""

from __future__ import annotations

import re
from typing import Final

from vessl_gui.core.errors import ValidationError
from vessl_gui.core.validation import check_json

__all__ = ["format_json", "json_tokens", "minify_json"]

# On text that is known to be valid JSON, every token is a string, a
# punctuation character, or a run of other non-whitespace characters (a
# number, true, false or null).  Whitespace between tokens matches nothing
# and is skipped by findall; whitespace inside strings belongs to the string.
_TOKEN_RE: Final = re.compile(
    r'"[^"\\]*(?:\\.[^"\\]*)*"|[{}\[\]:,]|[^ \t\n\r{}\[\]:,"]+', re.DOTALL
)
_CLOSING: Final = {"{": "}", "[": "]"}


#: Tokenise at most about this many characters per regex call (see _checked_tokens).
_SLICE: Final = 256 * 1024
# The longest prefix made of whole strings and non-quote characters: it ends
# outside any string (given that it starts outside one).
_WHOLE_STRINGS_RE: Final = re.compile(r'(?:"[^"\\]*(?:\\.[^"\\]*)*"|[^"]+)*', re.DOTALL)
_SEPARATORS: Final = frozenset(",:[]{} \t\n\r")


def _boundary(text: str, pos: int, end: int) -> int:
    """A token boundary after ``pos`` (outside strings), at or soon after ``end``."""
    n = len(text)
    while end < n:
        nl = text.find("\n", end, end + _SLICE)
        if nl >= 0:
            return nl + 1  # valid JSON has line breaks only between tokens
        m = _WHOLE_STRINGS_RE.match(text, pos, end)
        stop = m.end() if m else pos
        quote = text.rfind('"', pos, stop)  # closes the last whole string, if any
        for i in range(stop - 1, max(quote, pos, stop - 256) - 1, -1):
            if text[i] in _SEPARATORS:
                return i + 1
        if quote >= pos:
            return quote + 1
        end = pos + 2 * (end - pos)  # inside one long token: look further
    return n


def _checked_tokens(text: str) -> list[str]:
    problem = check_json(text)
    if problem is not None:
        raise ValidationError([problem])
    if len(text) <= _SLICE:
        return _TOKEN_RE.findall(text)
    # One regex call holds the GIL for its whole run (~30 ms per MB): cut the
    # text at token boundaries so that a GUI thread waiting for the GIL gets
    # it between slices when this runs on a worker thread.
    tokens: list[str] = []
    pos = 0
    n = len(text)
    while pos < n:
        cut = _boundary(text, pos, pos + _SLICE)
        tokens.extend(_TOKEN_RE.findall(text, pos, cut))
        pos = cut
    return tokens


def json_tokens(text: str) -> list[str]:
    """The tokens of valid JSON ``text`` (strings and numbers verbatim), or raise.

    Raises:
        ValidationError: ``text`` is not strict JSON (the error of ``check_json``).
    """
    return _checked_tokens(text)


def minify_json(text: str) -> str:
    """``text`` with every whitespace outside strings removed.

    Raises:
        ValidationError: ``text`` is not strict JSON (the error of ``check_json``).
    """
    return "".join(_checked_tokens(text))


def format_json(text: str, indent: int | str = 4) -> str:
    """``text`` laid out like ``json.dumps(value, indent=indent)``, values untouched.

    ``indent`` is a number of spaces or the string used for one level (e.g.
    ``"\\t"``).  Empty objects and arrays stay ``{}`` and ``[]``.  The result
    has no leading or trailing whitespace.

    Raises:
        ValidationError: ``text`` is not strict JSON (the error of ``check_json``).
    """
    tokens = _checked_tokens(text)
    unit = " " * indent if isinstance(indent, int) else indent
    newlines = ["\n"]  # newlines[d] == "\n" + unit * d, grown on demand

    def newline(depth: int) -> str:
        while len(newlines) <= depth:
            newlines.append(newlines[-1] + unit)
        return newlines[depth]

    out: list[str] = []
    append = out.append
    depth = 0
    i = 0
    n = len(tokens)
    while i < n:
        tok = tokens[i]
        if tok == "{" or tok == "[":
            if i + 1 < n and tokens[i + 1] == _CLOSING[tok]:
                append(tok + tokens[i + 1])
                i += 2
                continue
            depth += 1
            append(tok)
            append(newline(depth))
        elif tok == "}" or tok == "]":
            depth -= 1
            append(newline(depth))
            append(tok)
        elif tok == ",":
            append(",")
            append(newline(depth))
        elif tok == ":":
            append(": ")
        else:
            append(tok)
        i += 1
    return "".join(out)
