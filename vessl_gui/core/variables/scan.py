"""Find ``{{name}}`` references in a request's path and ``data``, without parsing the JSON.

What is a reference:

* exactly ``{{`` + a name (:data:`~vessl_gui.core.variables.names.NAME_RE`: a letter
  or ``_``, then letters, digits, ``_``) + ``}}``, no spaces inside;
* in the path: anywhere;
* in ``data``: only inside a JSON string **value** (object values, array items, a
  top-level string).  Object keys are never substituted: a key is the shape of the
  request, and two keys could become equal (a duplicate the service would read as
  one).  Numbers, ``true``/``false``/``null`` and the text between tokens hold none.

Everything else stays literal and is sent as typed: ``{{ name }}``, ``{{}}``,
``{{1x}}``, ``{{a-b}}``, a lone ``{{``.  ``{{{name}}}`` is ``{`` + a reference + ``}``.
References are found in the raw text, so JSON escapes hide them: to send
``{{name}}`` itself inside a JSON string, write one brace as ``\\u007b``
(``"\\u007b{name}}"``); in the path, write ``%7B{name}}``.  A name longer than
any allowed name is still a reference (an unknown one, so it is reported, not
sent silently).

The tokenizer works on the raw text and never decodes it: text without ``{{``
costs one ``in`` test; otherwise each ``{{name}}`` is inside a string when the
unescaped quotes before it (counted with ``str.count``, in C) are odd in number,
and that string is a key when a ``:`` follows it.  In valid JSON no string holds
a raw line break, so the count starts at the line of the ``{{`` (or at the last
string seen): the work is one pass over the text however many references.  On
text that is not valid JSON (the editor while typing) the result is a best
effort: strings are what the quote pairs of a line make them.

Measured (2 shared cores, loaded): a 4.7 MB minified document: 10 ms with one
reference, 14 ms with 1 000, 58 ms with 10 000; a 9.5 MB indented one: 7, 12,
58 ms (``json.loads`` of the same texts: 120-190 ms).  The cost grows with the
references, about 6 µs each: 80 000 in 5.4 MB of escaped quotes take 0.5 s.
:func:`~vessl_gui.core.variables.resolving` adds the joins: 13-90 ms for these.
"""

from __future__ import annotations

import re
from typing import Final, Literal

from vessl_gui.core.records import record

Field = Literal["path", "data"]

REFERENCE_RE: Final = re.compile(r"\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}")
"""A ``{{name}}`` reference (group 1: the name), wherever it is allowed."""
_STRING_RE: Final = re.compile(r'"[^"\\]*(?:\\[\s\S][^"\\]*)*"')
_KEY_END_RE: Final = re.compile(r"[ \t\n\r]*:")
_ESCAPED_QUOTE_RE: Final = re.compile(r'(?<!\\)(?:\\\\)*\\"')
"""A quote escaped by an odd run of backslashes (an even run escapes only itself)."""


@record
class Reference:
    """One ``{{name}}`` in the path or ``data`` text.

    ``offset`` is the ``str`` index of its first ``{`` in that text; ``line`` and
    ``column`` are 1-based, in characters (code points), like the validation's
    positions.  The reference spans ``offset`` to :attr:`end`.
    """

    name: str
    field: Field
    offset: int
    line: int
    column: int

    @property
    def end(self) -> int:
        """The ``str`` index just after its closing ``}}``."""
        return self.offset + len(self.name) + 4

    @property
    def text(self) -> str:
        """The reference as written: ``{{name}}``."""
        return "{{" + self.name + "}}"


def references(path: str, data: str) -> list[Reference]:
    """Every reference of ``path`` (first) and of ``data``, in text order.

    Never raises; any text is accepted (see the module for what counts).
    """
    found = [
        Reference(m.group(1), "path", m.start(), 1, m.start() + 1)
        for m in REFERENCE_RE.finditer(path)
    ]
    found.extend(_positioned(data, data_matches(data)))
    return found


def data_matches(data: str) -> list[re.Match[str]]:
    """The :data:`REFERENCE_RE` matches of ``data`` that lie inside JSON string values."""
    if "{{" not in data:
        return []
    candidates = list(REFERENCE_RE.finditer(data))
    starts = [m.start() for m in candidates]
    out: list[re.Match[str]] = []
    i, n, pos = 0, len(candidates), 0  # pos: a point outside any string
    while i < n:
        first = starts[i]
        newline = data.rfind("\n", pos, first)
        if newline >= 0:
            pos = newline + 1  # valid JSON: no string holds a raw line break
        if _unescaped_quotes(data, pos, first) % 2 == 0:
            i, pos = i + 1, first  # between tokens: literal
            continue
        opening = _last_unescaped_quote(data, pos, first)
        string = _STRING_RE.match(data, opening)
        if string is None:
            break  # an unterminated string: no string holds the rest
        end = string.end()
        j = i
        while j < n and starts[j] < end:
            j += 1  # inside this string (a reference holds no quote, so it ends inside too)
        if not _KEY_END_RE.match(data, end):
            out.extend(candidates[i:j])
        i, pos = j, end
    return out


def _unescaped_quotes(data: str, start: int, stop: int) -> int:
    """How many ``"`` of ``data[start:stop]`` are not escaped (``start`` outside a string).

    ``str.count`` does the work in C; the regular expression only runs where a quote
    follows two backslashes or more.
    """
    quotes = data.count('"', start, stop)
    if not quotes:
        return 0
    escaped = data.count('\\"', start, stop)  # a quote after one backslash or more
    if escaped and data.find('\\\\"', start, stop) >= 0:  # a run of two or more: rare
        escaped = len(_ESCAPED_QUOTE_RE.findall(data, start, stop))
    return quotes - escaped


def _last_unescaped_quote(data: str, start: int, stop: int) -> int:
    """The offset of the last unescaped ``"`` of ``data[start:stop]`` (there is one)."""
    k = data.rfind('"', start, stop)
    while True:
        b = k
        while b > start and data[b - 1] == "\\":
            b -= 1
        if (k - b) % 2 == 0:
            return k
        k = data.rfind('"', start, b)


def _positioned(text: str, matches: list[re.Match[str]]) -> list[Reference]:
    """Data references with their line and column, counted once over the text."""
    out: list[Reference] = []
    line, line_start, pos = 1, 0, 0
    for m in matches:
        offset = m.start()
        breaks = text.count("\n", pos, offset)
        if breaks:
            line += breaks
            line_start = text.rfind("\n", pos, offset) + 1
        out.append(Reference(m.group(1), "data", offset, line, offset - line_start + 1))
        pos = offset
    return out
