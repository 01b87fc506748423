"""A small POSIX-shell lexer for pasted commands: words, quoting, operators, here-documents.

Every quoting form (``'…'``, ``"…"``, ``$'…'``, backslashes), line continuations
(LF and CR LF), comments, a copied ``$ `` prompt, here-documents (``<<``, ``<<-``,
quoted or not) and here-strings.  Variable references stay apart in the words
(:class:`~.shell_words.Var`); command substitutions are never run, only reported.
"""

from __future__ import annotations

import re
from typing import Final

from vessl_gui.core.snippets.shell_words import Op, Part, ShellError, Token, Var, Word
from vessl_gui.core.text import where

_NAME: Final = r"[A-Za-z_][A-Za-z0-9_]*"
_NAME_RE: Final = re.compile(_NAME)
_BRACE_VAR_RE: Final = re.compile(r"\{(" + _NAME + r")\}")
_PLAIN_RUN_RE: Final = re.compile(r"[^\s|&;<>()'\"\\$`]+")
_DQ_RUN_RE: Final = re.compile(r'[^"\\$`]+')
_SQ_CHAIN_RE: Final = re.compile(r"(?:'[^']*'|\\')+")
_SQ_PIECE_RE: Final = re.compile(r"'([^']*)'|\\(')")
_ANSI_QUOTE_RE: Final = re.compile(r"\$'((?:[^'\\]|\\.)*)'", re.DOTALL)
_HEREDOC_RUN_RE: Final = re.compile(r"[^\\$`]+")
_OPS: Final = ("<<<", "<<-", "&&", "||", "|&", ";;", "<<", ">>", "<&", ">&", "&>")
ASSIGN_RE: Final = re.compile(r"^(" + _NAME + r")=")
_ANSI_SIMPLE: Final = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    "a": "\a",
    "b": "\b",
    "e": "\x1b",
    "E": "\x1b",
    "f": "\f",
    "v": "\v",
    "\\": "\\",
    "'": "'",
    '"': '"',
    "?": "?",
}
_ANSI_RE: Final = re.compile(
    r"\\(?:x([0-9a-fA-F]{1,2})|u([0-9a-fA-F]{1,4})|U([0-9a-fA-F]{1,8})|([0-7]{1,3})|(.))",
    re.DOTALL,
)


def unescape(body: str, *, octal_zero: bool) -> str:
    """Backslash escapes of ``$'…'`` (and ``printf``/``echo -e`` when ``octal_zero``)."""

    def sub(m: re.Match[str]) -> str:
        hx, u4, u8, octal, other = m.groups()
        if hx or u4 or u8:
            code = int(hx or u4 or u8, 16)
            return chr(code) if code <= 0x10FFFF else m.group()
        if octal is not None:
            digits = octal[1:] if octal_zero and octal.startswith("0") else octal
            return chr(int(digits or "0", 8) & 0xFF)
        return _ANSI_SIMPLE.get(other, m.group())

    return _ANSI_RE.sub(sub, body)


class Lexer:
    """A small POSIX-shell lexer: words (with variable references kept apart) and operators."""

    def __init__(self, text: str) -> None:
        self.s = text
        self.n = len(text)
        self.i = 0
        self.tokens: list[Token] = []
        self.cur: Word | None = None
        self.pending: list[tuple[Op, bool]] = []  # heredoc ops awaiting their delimiter word
        self.waiting: list[tuple[Op, str, bool, bool]] = []  # (op, delim, quoted, strip_tabs)
        self.problems: list[str] = []

    def word(self) -> Word:
        if self.cur is None:
            self.cur = Word()
        return self.cur

    def add(self, part: Part) -> None:
        self.word().parts.append(part)

    def end_word(self) -> None:
        if self.cur is None:
            return
        w, self.cur = self.cur, None
        w.merge()
        if self.pending:
            op, strip = self.pending.pop(0)
            delim = "".join(p if isinstance(p, str) else p.raw for p in w.parts)
            self.waiting.append((op, delim, w.quoted, strip))
        self.tokens.append(w)

    def run(self) -> list[Token]:
        s = self.s
        while self.i < self.n:
            c = s[self.i]
            if c in " \t":
                self.end_word()
                self.i += 1
            elif c == "\\" and s.startswith("\n", self.i + 1):
                self.i += 2
            elif c == "\\" and s.startswith("\r\n", self.i + 1):
                self.i += 3
            elif c == "\n" or (c == "\r" and s.startswith("\n", self.i + 1)):
                self.end_word()
                self.i += 1 if c == "\n" else 2
                self.tokens.append(Op("\n"))
                self.read_heredocs()
                if s.startswith("$ ", self.i):  # a copied prompt
                    self.i += 2
            elif c == "#" and self.cur is None:
                end = s.find("\n", self.i)
                self.i = self.n if end < 0 else end
            elif c in "|&;<>()":
                self.operator()
            elif c == "'":
                # 'a'\''b'... in one step: our own output quotes a large body this way.
                m = _SQ_CHAIN_RE.match(s, self.i)
                if m is None:
                    raise ShellError(f"a ' quote opened at {where(s, self.i)} is never closed")
                self.word().quoted = True
                self.add("".join(a or b for a, b in _SQ_PIECE_RE.findall(m.group())))
                self.i = m.end()
            elif c == '"':
                self.double_quoted()
            elif c == "$":
                self.dollar(in_double=False)
            elif c == "`":
                self.backtick()
            elif c == "\\":
                self.word().quoted = True
                self.add(s[self.i + 1 : self.i + 2])
                self.i += 2
            else:
                m = _PLAIN_RUN_RE.match(s, self.i)
                run = m.group() if m else c
                if self.cur is None:
                    self.word().bare_head = run
                self.add(run)
                self.i += len(run)
        self.end_word()
        if self.waiting or self.pending:
            self.read_heredocs()
        return self.tokens

    def operator(self) -> None:
        s = self.s
        op = next((o for o in _OPS if s.startswith(o, self.i)), s[self.i])
        w = self.cur
        if (
            op[0] in "<>"
            and w is not None
            and not w.quoted
            and len(w.parts) == 1
            and isinstance(w.parts[0], str)
            and w.parts[0].isdigit()
        ):
            self.cur = None  # "2>" : a file descriptor number, not a word
        self.end_word()
        self.i += len(op)
        token = Op(op)
        self.tokens.append(token)
        if op in ("<<", "<<-"):
            self.pending.append((token, op == "<<-"))

    def double_quoted(self) -> None:
        s = self.s
        start = self.i
        self.word().quoted = True
        self.add("")
        self.i += 1
        while True:
            if self.i >= self.n:
                raise ShellError(f'a " quote opened at {where(s, start)} is never closed')
            c = s[self.i]
            if c == '"':
                self.i += 1
                return
            if c == "\\":
                nxt = s[self.i + 1 : self.i + 2]
                if nxt == "\n":
                    pass
                elif nxt in ('"', "\\", "$", "`"):
                    self.add(nxt)
                else:
                    self.add("\\" + nxt)
                self.i += 2
            elif c == "$":
                self.dollar(in_double=True)
            elif c == "`":
                self.backtick()
            else:
                m = _DQ_RUN_RE.match(s, self.i)
                run = m.group() if m else c
                self.add(run)
                self.i += len(run)

    def dollar(self, *, in_double: bool) -> None:
        s, i = self.s, self.i
        nxt = s[i + 1 : i + 2]
        if nxt == "'" and not in_double:
            m = _ANSI_QUOTE_RE.match(s, i)
            if m is None:
                raise ShellError(f"a $' quote opened at {where(s, i)} is never closed")
            self.word().quoted = True
            self.add(unescape(m.group(1), octal_zero=False))
            self.i = m.end()
        elif nxt == "(":
            depth, j = 0, i + 1
            while j < self.n:
                depth += {"(": 1, ")": -1}.get(s[j], 0)
                if depth == 0:
                    break
                j += 1
            if depth:
                raise ShellError(f"a $( opened at {where(s, i)} is never closed")
            self.substitution(s[i : j + 1])
            self.i = j + 1
        elif nxt == "{":
            end = s.find("}", i)
            if end < 0:
                raise ShellError(f"a ${{ opened at {where(s, i)} is never closed")
            raw = s[i : end + 1]
            m = _BRACE_VAR_RE.fullmatch(raw, 1)
            self.add(Var(m.group(1) if m else "", raw))
            self.i = end + 1
        else:
            m = _NAME_RE.match(s, i + 1)
            if m:
                self.add(Var(m.group(), "$" + m.group()))
                self.i = m.end()
            elif nxt and nxt in "0123456789@*#?$!-":
                self.add(Var("", s[i : i + 2]))
                self.i += 2
            else:
                self.add("$")
                self.i += 1

    def substitution(self, raw: str) -> None:
        """A command substitution: never run; kept as an unknown value, and reported."""
        shown = raw if len(raw) <= 40 else raw[:37] + "…"
        self.problems.append(f"the command substitution {shown} is not run (paste its result)")
        self.add(Var("", raw))

    def backtick(self) -> None:
        s, i = self.s, self.i
        end = s.find("`", i + 1)
        if end < 0:
            raise ShellError(f"a ` opened at {where(s, i)} is never closed")
        self.substitution(s[i : end + 1])
        self.i = end + 1

    def read_heredocs(self) -> None:
        s = self.s
        while self.waiting:
            op, delim, quoted, strip = self.waiting.pop(0)
            lines: list[str] = []
            while True:
                if self.i >= self.n:
                    self.problems.append(f"the here-document is not closed by a {delim} line")
                    break
                end = s.find("\n", self.i)
                line = s[self.i : self.n if end < 0 else end]
                self.i = self.n if end < 0 else end + 1
                if strip:
                    line = line.lstrip("\t")
                if line.rstrip("\r") == delim:
                    break
                lines.append(line + "\n")
            op.heredoc = _heredoc_word("".join(lines), expand=not quoted, problems=self.problems)
        self.pending.clear()


def _heredoc_word(text: str, *, expand: bool, problems: list[str]) -> Word:
    """A here-document's body; with ``expand`` (unquoted delimiter) ``$`` and ``\\`` act."""
    if not expand:
        return Word([text], quoted=True)
    lex = Lexer(text)
    lex.problems = problems
    out = Word(quoted=True)
    lex.cur = out
    i = 0
    while i < len(text):
        c = text[i]
        if c == "\\" and text[i + 1 : i + 2] in ("$", "`", "\\"):
            lex.add(text[i + 1])
            i += 2
        elif c == "\\" and text[i + 1 : i + 2] == "\n":
            i += 2
        elif c == "$":
            lex.i = i
            lex.dollar(in_double=True)
            i = lex.i
        elif c == "`":
            lex.i = i
            lex.backtick()
            i = lex.i
        else:
            m = _HEREDOC_RUN_RE.match(text, i)
            run = m.group() if m else c
            lex.add(run)
            i += len(run)
    out.merge()
    return out
