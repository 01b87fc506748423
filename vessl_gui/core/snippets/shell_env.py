"""The pasted script's shell variables, and what a pipe writes into curl.

:class:`Env` expands the variables the pasted text set (``BASE_URL=…``,
``export TOKEN=…``); any other reference is kept as typed and reported.
:func:`stdin_of` evaluates what curl reads with ``@-``: a here-document, a
here-string, or the ``echo``/``printf``/``cat`` before the ``|`` (never run).
"""

from __future__ import annotations

import re
from typing import Final

from vessl_gui.core.snippets.shell_lexer import ASSIGN_RE, unescape
from vessl_gui.core.snippets.shell_words import Command, Word

#: A command name safe to quote in a message: short, no digits (so never a pasted token).
SHOWABLE_RE: Final = re.compile(r"^[A-Za-z][A-Za-z._-]{0,15}$")


class Env:
    """The variables the pasted text set, by name."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    def text(self, w: Word) -> tuple[str, list[str]]:
        """The word's text with known variables expanded, and the raw unknown ones."""
        out: list[str] = []
        unknown: list[str] = []
        for p in w.parts:
            if isinstance(p, str):
                out.append(p)
            elif p.name and p.name in self.values:
                out.append(self.values[p.name])
            else:
                out.append(p.raw)
                unknown.append(p.raw)
        return "".join(out), unknown


def unset_vars(unknown: list[str], what: str, problems: list[str]) -> None:
    unknown = [u for u in unknown if u.startswith("$") and not u.startswith("$(")]
    if unknown:
        names = ", ".join(dict.fromkeys(unknown))
        problems.append(f"{what} uses {names}, which the pasted text does not set (kept as typed)")


def _expand(env: Env, word: Word, problems: list[str]) -> str:
    text, unknown = env.text(word)
    unset_vars(unknown, "the data", problems)
    return text


def stdin_of(pipe: list[Command], index: int, env: Env, problems: list[str]) -> str | None:
    """What the curl command at ``pipe[index]`` reads on stdin, or None (with a problem)."""
    for op, target in pipe[index].redirects:
        if op.op in ("<<", "<<-") and op.heredoc is not None:
            return _expand(env, op.heredoc, problems)
        if op.op == "<<<" and target is not None:
            return _expand(env, target, problems) + "\n"
        if op.op == "<":
            problems.append("curl reads its data from a file (< file): open that file instead")
            return None
    if index == 0:
        problems.append("curl reads its data from standard input (@-), but nothing is piped in")
        return None
    src = pipe[index - 1]
    texts = [env.text(w) for w in src.words]
    for _, unknown in texts[1:]:
        unset_vars(unknown, "the data", problems)
    words = [t for t, _ in texts]
    name = words[0] if words else ""
    if name == "echo":
        args, newline, escapes = words[1:], True, False
        while args and re.fullmatch(r"-[neE]+", args[0]):
            newline = newline and "n" not in args[0]
            escapes = "e" in args[0] or (escapes and "E" not in args[0])
            args = args[1:]
        out = " ".join(args)
        return (unescape(out, octal_zero=True) if escapes else out) + ("\n" if newline else "")
    if name == "printf":
        return _printf(words[1:], problems)
    if name == "cat" and len(words) == 1:
        for op, target in src.redirects:
            if op.op in ("<<", "<<-") and op.heredoc is not None:
                return _expand(env, op.heredoc, problems)
            if op.op == "<<<" and target is not None:
                return _expand(env, target, problems) + "\n"
    what = f"`{name}`" if SHOWABLE_RE.match(name) else "the command before the |"
    problems.append(f"cannot tell what {what} writes into curl: paste the JSON itself")
    return None


def _printf(args: list[str], problems: list[str]) -> str | None:
    if not args:
        problems.append("printf without a format")
        return None
    fmt, values = args[0], args[1:]
    if re.search(r"%(?!%|s)", fmt):
        problems.append("printf with a format other than %s cannot be read")
        return None
    pieces = re.split(r"(%%|%s)", fmt)
    slots = pieces.count("%s")
    out: list[str] = []
    first = True
    while first or values:
        first = False
        for piece in pieces:
            if piece == "%s":
                out.append(values.pop(0) if values else "")
            elif piece == "%%":
                out.append("%")
            else:
                out.append(unescape(piece, octal_zero=True))
        if not slots:
            break
    return "".join(out)


def assignment(w: Word, env: Env) -> tuple[str, str | None]:
    prefix = w.literal_prefix()
    m = ASSIGN_RE.match(prefix)
    assert m is not None
    rest = Word([prefix[m.end() :], *w.parts[1:]], w.quoted)
    value, unknown = env.text(rest)
    return m.group(1), None if unknown else value
