"""Copy a request as curl or Python, and import one from a pasted curl command.

Out (all pure functions of a validated :class:`~vessl_gui.core.models.AsyncRequest`):

* :func:`curl_create`: a runnable POSIX shell script (bash, zsh, sh) in the API
  page's own style::

      BASE_URL='https://serve-api.vessl.ai/api/v1/services/my-svc'
      printf '%s' '{"method": "POST", "path": "/", "data": {"question": "How are you?"}}' | curl \\
          -H "Authorization: Bearer ${TOKEN}" \\
          "${BASE_URL}/async" \\
          --json @-

  The body reaches curl byte for byte as :meth:`AsyncRequest.body` (``printf '%s'``
  instead of the page's ``echo``: zsh's and dash's ``echo`` rewrite backslash
  escapes such as ``\\n`` or ``\\u00e9`` inside JSON strings, and ``echo`` adds a
  newline).  ``--json`` needs curl 7.82 or later.
* :func:`curl_output`: ``GET ${BASE_URL}/async/<id>/output`` in the same style.
* :func:`python_create`: httpx code that runs as pasted and prints the new id.

The token never appears in any of them unless the caller passes ``token``
(the user's explicit "include token" choice): by default the script reads the
``TOKEN`` environment/shell variable.  Note that curl itself receives the
expanded header on its command line (that is how the page's example works).

In: :func:`parse_curl` reads the page's echo-pipe form, ``printf``/``cat``
here-documents, ``-d``/``--data``/``--data-raw``/``--data-binary``/``--json``,
``-X``, ``-H``, ``--url``, line continuations and every shell quoting form, or
a bare URL.  It never raises and never guesses: whatever it cannot understand
is listed in :attr:`CurlImport.problems`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from typing import Final, Literal
from urllib.parse import quote

from vessl_gui.core.errors import ValidationError
from vessl_gui.core.models import REQUEST_ID_RE, AsyncRequest
from vessl_gui.core.validation import check_json, normalize_base_url, normalize_token

# --------------------------------------------------------------------------- out


def shell_quote(text: str) -> str:
    """``text`` as one POSIX shell word in single quotes (exact for any text)."""
    return "'" + text.replace("'", "'\\''") + "'"


def _token_lines(token: str | None) -> str:
    return "" if token is None else f"TOKEN={shell_quote(token)}\n"


def curl_create(request: AsyncRequest, token: str | None = None) -> str:
    """A shell script that creates ``request`` with curl, in the API page's style.

    ``BASE_URL`` is set on the first line; the header uses ``${TOKEN}``, which the
    user's shell must provide, unless ``token`` is given: then ``TOKEN='…'`` is
    set on the very first line.  The body is sent byte-exact.
    """
    body = request.body().decode("utf-8")
    return (
        _token_lines(token)
        + f"BASE_URL={shell_quote(request.base_url)}\n"
        + f"printf '%s' {shell_quote(body)} | curl \\\n"
        + '    -H "Authorization: Bearer ${TOKEN}" \\\n'
        + '    "${BASE_URL}/async" \\\n'
        + "    --json @-\n"
    )


def curl_output(base_url: str, request_id: str, token: str | None = None) -> str:
    """A shell script that fetches ``GET {base_url}/async/{request_id}/output`` with curl.

    Same conventions as :func:`curl_create`.  An id that is not the API's
    ``[a-z0-9]{1,16}`` is percent-encoded, so the script stays safe to run.
    """
    rid = request_id if REQUEST_ID_RE.match(request_id) else quote(request_id, safe="")
    return (
        _token_lines(token)
        + f"BASE_URL={shell_quote(base_url.rstrip('/'))}\n"
        + "curl \\\n"
        + '    -H "Authorization: Bearer ${TOKEN}" \\\n'
        + f'    "${{BASE_URL}}/async/{rid}/output"\n'
    )


def _py_text(text: str, indent: str) -> str:
    """A parenthesised Python string expression equal to ``text``, one source line per line."""
    pieces = re.findall(r"[^\n]*\n|[^\n]+", text) or [""]
    if len(pieces) == 1:
        return repr(pieces[0])
    inner = "".join(f"{indent}    {piece!r}\n" for piece in pieces)
    return f"(\n{inner}{indent})"


def python_create(request: AsyncRequest, token: str | None = None) -> str:
    """Python (httpx) code that creates ``request`` as pasted and prints the new id.

    The body is embedded as text and sent with ``content=`` so it is byte-exact
    (``json=`` would re-encode numbers such as ``1e400`` and big floats).  The
    token is read from the ``TOKEN`` environment variable unless ``token`` is given.
    """
    body = request.body().decode("utf-8")
    token_line = (
        'token = os.environ["TOKEN"]  # export TOKEN=<your service token>'
        if token is None
        else f"token = {token!r}"
    )
    return (
        "import os\n"
        "\n"
        "import httpx\n"
        "\n"
        f"base_url = {request.base_url!r}\n"
        f"{token_line}\n"
        "\n"
        "# The request body, byte for byte as vessl-gui sends it.\n"
        f"body = {_py_text(body, '')}\n"
        "\n"
        "r = httpx.post(\n"
        '    f"{base_url}/async",\n'
        "    headers={\n"
        '        "Authorization": f"Bearer {token}",\n'
        '        "Content-Type": "application/json",\n'
        "    },\n"
        '    content=body.encode("utf-8"),\n'
        "    timeout=30.0,\n"
        ")\n"
        "r.raise_for_status()\n"
        'request_id = r.json()["id"]\n'
        "print(request_id)  # e.g. 98nlux8b0eu6\n"
    )


# ---------------------------------------------------------------------------- in

ImportKind = Literal["create", "output", "url", "unknown"]


@dataclass(frozen=True)
class CurlImport:
    """What :func:`parse_curl` understood of a pasted command or URL.

    ``kind``:
      ``create``  a ``POST {base}/async`` call: ``base_url`` and (when it had a
                  body) ``method``, ``path``, ``data`` are filled in;
      ``output``  a ``GET {base}/async/{id}/output`` call: ``base_url`` and
                  ``request_id`` are filled in;
      ``url``     a bare URL was pasted: ``base_url`` (``/async`` removed);
      ``unknown`` no usable command (see ``problems``).
    """

    kind: ImportKind
    base_url: str | None = None
    """Normalised base URL (``/async`` removed), or None when not known."""
    method: str | None = None
    """The body's ``method`` (``"POST"`` when the body omits it), as written."""
    path: str | None = None
    """The body's ``path`` (``"/"`` when the body omits it), as written."""
    data: str | None = None
    """The exact JSON text of the body's ``data`` member, or None."""
    request_id: str | None = None
    """For ``output``: the request id in the URL."""
    token: str | None = field(default=None, repr=False)
    """A literal Bearer token found in the command (never a ``$TOKEN`` placeholder)."""
    problems: tuple[str, ...] = ()
    """Everything that was not understood or is not used, one sentence each."""


class _ShellError(Exception):
    pass


@dataclass(frozen=True)
class _Var:
    name: str
    raw: str


_Part = str | _Var


@dataclass
class _Word:
    parts: list[_Part] = field(default_factory=list)
    quoted: bool = False
    bare_head: str = ""
    """The unquoted text the word starts with (``NAME=`` must be in it for an assignment)."""

    def merge(self) -> None:
        """Join adjacent literal parts (linear time, however many pieces)."""
        merged: list[_Part] = []
        run: list[str] = []
        for p in self.parts:
            if isinstance(p, str):
                run.append(p)
                continue
            if run:
                merged.append("".join(run))
                run = []
            merged.append(p)
        if run:
            merged.append("".join(run))
        self.parts = merged

    def literal_prefix(self) -> str:
        return self.parts[0] if self.parts and isinstance(self.parts[0], str) else ""


@dataclass
class _Op:
    op: str
    heredoc: _Word | None = None


_Token = _Word | _Op

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
_ASSIGN_RE: Final = re.compile(r"^(" + _NAME + r")=")
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


def _where(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"line {line}, column {column}"


def _unescape(body: str, *, octal_zero: bool) -> str:
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


class _Lexer:
    """A small POSIX-shell lexer: words (with variable references kept apart) and operators."""

    def __init__(self, text: str) -> None:
        self.s = text
        self.n = len(text)
        self.i = 0
        self.tokens: list[_Token] = []
        self.cur: _Word | None = None
        self.pending: list[tuple[_Op, bool]] = []  # heredoc ops awaiting their delimiter word
        self.waiting: list[tuple[_Op, str, bool, bool]] = []  # (op, delim, quoted, strip_tabs)
        self.problems: list[str] = []

    def word(self) -> _Word:
        if self.cur is None:
            self.cur = _Word()
        return self.cur

    def add(self, part: _Part) -> None:
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

    def run(self) -> list[_Token]:
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
                self.tokens.append(_Op("\n"))
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
                    raise _ShellError(f"a ' quote opened at {_where(s, self.i)} is never closed")
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
        token = _Op(op)
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
                raise _ShellError(f'a " quote opened at {_where(s, start)} is never closed')
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
                raise _ShellError(f"a $' quote opened at {_where(s, i)} is never closed")
            self.word().quoted = True
            self.add(_unescape(m.group(1), octal_zero=False))
            self.i = m.end()
        elif nxt == "(":
            depth, j = 0, i + 1
            while j < self.n:
                depth += {"(": 1, ")": -1}.get(s[j], 0)
                if depth == 0:
                    break
                j += 1
            if depth:
                raise _ShellError(f"a $( opened at {_where(s, i)} is never closed")
            self.substitution(s[i : j + 1])
            self.i = j + 1
        elif nxt == "{":
            end = s.find("}", i)
            if end < 0:
                raise _ShellError(f"a ${{ opened at {_where(s, i)} is never closed")
            raw = s[i : end + 1]
            m = _BRACE_VAR_RE.fullmatch(raw, 1)
            self.add(_Var(m.group(1) if m else "", raw))
            self.i = end + 1
        else:
            m = _NAME_RE.match(s, i + 1)
            if m:
                self.add(_Var(m.group(), "$" + m.group()))
                self.i = m.end()
            elif nxt and nxt in "0123456789@*#?$!-":
                self.add(_Var("", s[i : i + 2]))
                self.i += 2
            else:
                self.add("$")
                self.i += 1

    def substitution(self, raw: str) -> None:
        """A command substitution: never run; kept as an unknown value, and reported."""
        shown = raw if len(raw) <= 40 else raw[:37] + "…"
        self.problems.append(f"the command substitution {shown} is not run (paste its result)")
        self.add(_Var("", raw))

    def backtick(self) -> None:
        s, i = self.s, self.i
        end = s.find("`", i + 1)
        if end < 0:
            raise _ShellError(f"a ` opened at {_where(s, i)} is never closed")
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


def _heredoc_word(text: str, *, expand: bool, problems: list[str]) -> _Word:
    """A here-document's body; with ``expand`` (unquoted delimiter) ``$`` and ``\\`` act."""
    if not expand:
        return _Word([text], quoted=True)
    lex = _Lexer(text)
    lex.problems = problems
    out = _Word(quoted=True)
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


@dataclass
class _Command:
    words: list[_Word] = field(default_factory=list)
    redirects: list[tuple[_Op, _Word | None]] = field(default_factory=list)


def _pipelines(tokens: list[_Token]) -> list[list[_Command]]:
    """Split tokens into pipelines (lists of simple commands)."""
    out: list[list[_Command]] = []
    pipe: list[_Command] = [_Command()]
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if isinstance(t, _Word):
            pipe[-1].words.append(t)
        elif t.op in ("|", "|&"):
            pipe.append(_Command())
        elif t.op in ("\n", ";", "&&", "||", "&", ";;"):
            out.append(pipe)
            pipe = [_Command()]
        elif t.op in ("(", ")"):
            raise _ShellError("sub-shells with ( … ) cannot be read")
        else:  # a redirection: its target is the next word
            target = tokens[i + 1] if i + 1 < len(tokens) else None
            if isinstance(target, _Word):
                i += 1
                pipe[-1].redirects.append((t, target))
            else:
                pipe[-1].redirects.append((t, None))
        i += 1
    out.append(pipe)
    return [[c for c in p if c.words or c.redirects] for p in out if any(c.words for c in p)]


class _Env:
    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    def text(self, w: _Word) -> tuple[str, list[str]]:
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


# Options: what they take and what they mean to us.
_ARG_OPTS: Final = {
    "-d": "data",
    "--data": "data",
    "--data-ascii": "data",
    "--data-binary": "binary",
    "--data-raw": "raw",
    "--json": "json",
    "-X": "request",
    "--request": "request",
    "-H": "header",
    "--header": "header",
    "--url": "url",
    "--oauth2-bearer": "bearer",
    "-u": "user",
    "--user": "user",
    "-F": "form",
    "--form": "form",
    "--form-string": "form",
    "--data-urlencode": "urlencode",
    "-T": "upload",
    "--upload-file": "upload",
    "-K": "config",
    "--config": "config",
    "-b": "cookie",
    "--cookie": "cookie",
    "--cacert": "cacert",
}
# fmt: off
_IGNORED_ARG_OPTS: Final = frozenset((
        "-o", "--output", "-w", "--write-out", "-m", "--max-time", "--connect-timeout",
        "--retry", "--retry-delay", "--retry-max-time", "-A", "--user-agent", "-e", "--referer",
        "--capath", "--cert", "-E", "--key", "--cert-type", "--key-type", "-x", "--proxy",
        "--noproxy", "-c", "--cookie-jar", "--resolve", "--connect-to", "--limit-rate",
        "--stderr", "--trace", "--trace-ascii", "--proto", "--proto-redir", "--interface",
        "--dns-servers", "--max-redirs", "--expect100-timeout", "--keepalive-time",
        "--trace-config", "-D", "--dump-header", "--output-dir", "--max-filesize",
        "--happy-eyeballs-timeout-ms", "--proxy-user", "-U",
))
# fmt: on
# fmt: off
_IGNORED_FLAGS: Final = frozenset((
        "-s", "--silent", "-S", "--show-error", "-v", "--verbose", "-i", "--include", "-L",
        "--location", "-f", "--fail", "--fail-with-body", "--compressed", "-g", "--globoff",
        "-#", "--progress-bar", "-N", "--no-buffer", "--http1.0", "--http1.1", "--http2",
        "--http2-prior-knowledge", "--http3", "-4", "-6", "--ipv4", "--ipv6",
        "--no-progress-meter", "--location-trusted", "--tr-encoding", "--raw", "--ssl-reqd",
        "--no-keepalive", "--retry-all-errors", "--retry-connrefused", "--create-dirs",
        "--no-sessionid", "--path-as-is", "-0", "-1", "-2", "-3", "--tlsv1.2", "--tlsv1.3",
        "--tcp-nodelay", "--fail-early", "-q", "--disable",
))
# fmt: on
_FLAG_PROBLEMS: Final = {
    "-k": "insecure",
    "--insecure": "insecure",
    "-G": "get",
    "--get": "get",
    "-I": "head",
    "--head": "head",
    "-n": "netrc",
    "--netrc": "netrc",
}
# fmt: off
_QUIET_HEADERS: Final = frozenset((
        "accept", "accept-encoding", "accept-language", "user-agent", "content-type",
        "content-length", "connection", "origin", "referer", "dnt", "priority", "cache-control",
        "pragma", "expect", "host", "te",
))
# fmt: on
_PLACEHOLDER_RE: Final = re.compile(r"^(?:<.*>|\.\.\.|…|\[.*\]|\{.*\})$|\$\{?[A-Za-z_]")
_OUTPUT_URL_RE: Final = re.compile(r"^(.*)/async/([^/]+)/output$", re.DOTALL)


@dataclass
class _Curl:
    urls: list[tuple[str, list[str]]] = field(default_factory=list)
    method: str | None = None
    data: list[tuple[str, str, list[str]]] = field(default_factory=list)
    """(option kind, value, unknown variables in it)"""
    token: str | None = None
    problems: list[str] = field(default_factory=list)


def _read_curl(args: list[tuple[str, list[str]]]) -> _Curl:
    cur = _Curl()
    i = 0

    def take(name: str) -> tuple[str, list[str]] | None:
        nonlocal i
        if i < len(args):
            i += 1
            return args[i - 1]
        cur.problems.append(f"curl option {name} is missing its value")
        return None

    def apply(name: str, value: tuple[str, list[str]] | None) -> None:
        kind = _ARG_OPTS.get(name)
        if value is None:
            return
        text, unknown = value
        if kind in ("data", "binary", "raw", "json"):
            cur.data.append((kind, text, unknown))
        elif kind == "request":
            cur.method = text
        elif kind == "url":
            cur.urls.append(value)
        elif kind == "header":
            _read_header(cur, text, unknown)
        elif kind == "bearer":
            _offer_token(cur, text, unknown)
        elif kind == "cacert":
            cur.problems.append(
                f"curl {name}: set the CA bundle in the service's settings (not imported)"
            )
        elif kind is not None:
            what = {
                "user": "user name and password (-u) are not used: the API takes a Bearer token",
                "form": "form fields (-F) are not supported: the API takes a JSON body",
                "urlencode": "--data-urlencode is not supported: the API takes a JSON body",
                "upload": "uploading a file (-T) is not supported",
                "config": "a curl config file (-K) cannot be read",
                "cookie": "cookies (-b) are not used by the API (ignored)",
            }[kind]
            cur.problems.append(f"curl {name}: {what}")

    def flag(name: str) -> None:
        if name in _FLAG_PROBLEMS:
            what = {
                "insecure": "turns off TLS certificate checks; vessl-gui keeps them on "
                "(change it in the service's settings)",
                "get": "sends the data in the URL query, which the API does not read",
                "head": "asks for headers only (HEAD), which the API does not use",
                "netrc": "reads credentials from ~/.netrc, which vessl-gui does not",
            }[_FLAG_PROBLEMS[name]]
            cur.problems.append(f"curl {name} {what}")
        elif name not in _IGNORED_FLAGS:
            cur.problems.append(f"unknown curl option {name} (ignored)")

    while i < len(args):
        text, unknown = args[i]
        i += 1
        if text == "--":
            cur.urls.extend(args[i:])
            break
        if text.startswith("--"):
            if text in _ARG_OPTS:
                apply(text, take(text))
            elif text in _IGNORED_ARG_OPTS:
                take(text)
            else:
                flag(text)
        elif text.startswith("-") and len(text) > 1:
            j = 1
            while j < len(text):
                name = "-" + text[j]
                j += 1
                if name in _ARG_OPTS or name in _IGNORED_ARG_OPTS:
                    rest = text[j:]
                    value = (rest, unknown) if rest else take(name)
                    if name in _ARG_OPTS:
                        apply(name, value)
                    break
                flag(name)
        else:
            cur.urls.append((text, unknown))
    return cur


def _offer_token(cur: _Curl, text: str, unknown: list[str]) -> None:
    if unknown or _PLACEHOLDER_RE.match(text.strip()):
        return  # a placeholder such as ${TOKEN}: not a token
    try:
        cur.token = normalize_token(text)
    except ValidationError:
        cur.problems.append("the Bearer token in the command is not a valid token (not imported)")


def _read_header(cur: _Curl, text: str, unknown: list[str]) -> None:
    if text.startswith("@"):
        cur.problems.append("headers read from a file (-H @file) cannot be imported")
        return
    name, colon, value = text.partition(":")
    name = name.strip()
    if not colon or not name:
        cur.problems.append("a -H header without 'Name: value' was ignored")
        return
    low = name.lower()
    if low == "authorization":
        scheme, _, credentials = value.strip().partition(" ")
        if scheme.lower() != "bearer":
            cur.problems.append("the Authorization header is not a Bearer token (ignored)")
            return
        _offer_token(cur, credentials, unknown)
    elif low == "content-type":
        if "json" not in value.lower() and not unknown:
            cur.problems.append(
                f"Content-Type {value.strip()!r} is not JSON; vessl-gui always sends JSON"
            )
    elif low not in _QUIET_HEADERS and not low.startswith("sec-"):
        cur.problems.append(f"header {name!r} is not sent by vessl-gui (ignored)")


def _unset_vars(unknown: list[str], what: str, problems: list[str]) -> None:
    unknown = [u for u in unknown if u.startswith("$") and not u.startswith("$(")]
    if unknown:
        names = ", ".join(dict.fromkeys(unknown))
        problems.append(f"{what} uses {names}, which the pasted text does not set (kept as typed)")


def _expand(env: _Env, word: _Word, problems: list[str]) -> str:
    text, unknown = env.text(word)
    _unset_vars(unknown, "the data", problems)
    return text


def _stdin_of(pipe: list[_Command], index: int, env: _Env, problems: list[str]) -> str | None:
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
        _unset_vars(unknown, "the data", problems)
    words = [t for t, _ in texts]
    name = words[0] if words else ""
    if name == "echo":
        args, newline, escapes = words[1:], True, False
        while args and re.fullmatch(r"-[neE]+", args[0]):
            newline = newline and "n" not in args[0]
            escapes = "e" in args[0] or (escapes and "E" not in args[0])
            args = args[1:]
        out = " ".join(args)
        return (_unescape(out, octal_zero=True) if escapes else out) + ("\n" if newline else "")
    if name == "printf":
        return _printf(words[1:], problems)
    if name == "cat" and len(words) == 1:
        for op, target in src.redirects:
            if op.op in ("<<", "<<-") and op.heredoc is not None:
                return _expand(env, op.heredoc, problems)
            if op.op == "<<<" and target is not None:
                return _expand(env, target, problems) + "\n"
    what = f"`{name}`" if _SHOWABLE_RE.match(name) else "the command before the |"
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
                out.append(_unescape(piece, octal_zero=True))
        if not slots:
            break
    return "".join(out)


_URL_PARTS_RE: Final = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://[^/?#]*)?([^?#]*)(.*)$", re.DOTALL)


def _split_url(url: str) -> tuple[ImportKind, str, str | None, bool]:
    """(kind, base, request id, had a query or fragment) of a URL."""
    m = _URL_PARTS_RE.match(url)
    assert m is not None  # every string matches
    head, path, rest = m.group(1) or "", m.group(2).rstrip("/"), m.group(3)
    if path.endswith("/async"):
        return "create", head + path[: -len("/async")], None, bool(rest)
    out = _OUTPUT_URL_RE.match(path)
    if out:
        return "output", head + out.group(1), out.group(2), bool(rest)
    return "url", head + path, None, bool(rest)


def _body_fields(body: str, problems: list[str]) -> tuple[str | None, str | None, str | None]:
    """(method, path, data text) of a create body; problems for the rest."""
    try:
        spans = _member_spans(body)
    except (ValueError, IndexError, RecursionError):
        spans = None  # not one JSON object: json.loads says why, and where
    if spans is None:
        try:
            value = json.loads(body, parse_int=str, parse_float=str)
        except json.JSONDecodeError as exc:
            where = f"line {exc.lineno}, column {exc.colno}"
            problems.append(f"the request body is not valid JSON: {where}: {exc.msg}")
        except RecursionError:
            problems.append("the request body is nested too deeply to read")
        else:
            problems.append(
                'the request body is not a JSON object {"method", "path", "data"} '
                "(is this a call of the synchronous API?)"
                if not isinstance(value, dict)
                else "the request body could not be read"
            )
        return None, None, None
    method: str | None = "POST"
    path: str | None = "/"
    data: str | None = None
    seen: set[str] = set()
    for key, text in spans:
        if key in seen:
            problems.append(f"the request body has the field {key!r} twice")
        seen.add(key)
        if key == "data":
            data = text
        elif key in ("method", "path"):
            field_value = json.loads(text) if text.startswith('"') else None
            if isinstance(field_value, str):
                if key == "method":
                    method = field_value
                else:
                    path = field_value
            else:
                problems.append(f'the body\'s "{key}" is not a string (ignored)')
        else:
            problems.append(f"unknown field {key!r} in the request body (ignored)")
    if data is None:
        problems.append('the request body has no "data" field (the API requires it)')
    else:
        problem = check_json(data)
        if problem is not None:
            problems.append(f"data: {problem.describe()}")
    return method, path, data


_JSON_WS_RE: Final = re.compile(r"[ \t\n\r]*")


def _skip_ws(text: str, i: int) -> int:
    m = _JSON_WS_RE.match(text, i)
    return m.end() if m else i


def _member_spans(body: str) -> list[tuple[str, str]]:
    """Top-level (key, exact value text) pairs of a JSON object text.

    Raises ValueError (or IndexError at the end of the text) when ``body`` is
    not exactly one JSON object.
    """
    decoder = json.JSONDecoder(parse_int=str, parse_float=str, parse_constant=str)
    i = _skip_ws(body, 0)
    if body[i] != "{":
        raise ValueError("not an object")
    i = _skip_ws(body, i + 1)
    out: list[tuple[str, str]] = []
    if body[i] == "}":
        i += 1
    else:
        while True:
            if body[i] != '"':
                raise ValueError("key expected")
            key, i = decoder.raw_decode(body, i)
            i = _skip_ws(body, i)
            if body[i] != ":":
                raise ValueError("':' expected")
            start = _skip_ws(body, i + 1)
            _, end = decoder.raw_decode(body, start)
            out.append((str(key), body[start:end]))
            i = _skip_ws(body, end)
            if body[i] == "}":
                i += 1
                break
            if body[i] != ",":
                raise ValueError("',' or '}' expected")
            i = _skip_ws(body, i + 1)
    if _skip_ws(body, i) != len(body):
        raise ValueError("extra data")
    return out


#: A command name safe to quote in a message: short, no digits (so never a pasted token).
_SHOWABLE_RE: Final = re.compile(r"^[A-Za-z][A-Za-z._-]{0,15}$")
_BARE_URL_RE: Final = re.compile(r"""^(['"]?)(https?://\S+)\1$""", re.IGNORECASE)


def parse_curl(text: str) -> CurlImport:
    """Read a pasted curl command (or bare URL).  Never raises: see ``problems``."""
    try:
        return _parse(text)
    except Exception as exc:  # a bug here must not cost the user their paste
        return CurlImport(
            "unknown",
            problems=(f"could not read the command (internal error {type(exc).__name__})",),
        )


def _normalized_base(base: str, problems: list[str]) -> str | None:
    try:
        return normalize_base_url(base)
    except ValidationError as exc:
        problems.extend(f.message for f in exc.fields)
        return None


def _parse(text: str) -> CurlImport:
    problems: list[str] = []
    bare = _BARE_URL_RE.match(text.strip())
    if bare:
        kind, base, rid, extra = _split_url(bare.group(2))
        if extra:
            problems.append("the URL's query string or fragment is not used (ignored)")
        return CurlImport(
            "output" if kind == "output" else "url",
            base_url=_normalized_base(base, problems),
            request_id=rid,
            problems=tuple(problems),
        )
    stripped = text.lstrip()
    if stripped.startswith("$ "):
        text = stripped[2:]
    lexer = _Lexer(text)
    try:
        tokens = lexer.run()
        pipelines = _pipelines(tokens)
    except _ShellError as exc:
        return CurlImport("unknown", problems=(*lexer.problems, f"{exc}"))
    problems.extend(lexer.problems)
    env = _Env()
    found: CurlImport | None = None
    for pipe in pipelines:
        after_curl = False
        for index, cmd in enumerate(pipe):
            words = list(cmd.words)
            assigned = False
            while words and _ASSIGN_RE.match(words[0].bare_head):
                name, value = _assignment(words.pop(0), env)
                if value is not None:
                    env.values[name] = value
                else:
                    env.values.pop(name, None)
                assigned = True
            if words and env.text(words[0])[0] == "export":
                for w in words[1:]:
                    if _ASSIGN_RE.match(w.bare_head):
                        name, value = _assignment(w, env)
                        if value is not None:
                            env.values[name] = value
                continue
            if not words:
                continue
            name = env.text(words[0])[0]
            if name.rsplit("/", 1)[-1] in ("curl", "curl.exe"):
                after_curl = True
                if found is not None:
                    problems.append("only the first curl command was imported")
                    continue
                found = _import_curl(pipe, index, [env.text(w) for w in words[1:]], env, problems)
            elif index + 1 < len(pipe) or assigned or after_curl:
                continue  # feeds curl, reads its answer, or sets a variable for it
            else:
                shown = f"the command `{name}`" if _SHOWABLE_RE.match(name) else "a command"
                problems.append(f"{shown} is not curl (ignored)")
    if found is None:
        return CurlImport("unknown", problems=(*problems, "no curl command or URL found"))
    return replace(found, problems=tuple(problems))


def _assignment(w: _Word, env: _Env) -> tuple[str, str | None]:
    prefix = w.literal_prefix()
    m = _ASSIGN_RE.match(prefix)
    assert m is not None
    rest = _Word([prefix[m.end() :], *w.parts[1:]], w.quoted)
    value, unknown = env.text(rest)
    return m.group(1), None if unknown else value


def _import_curl(
    pipe: list[_Command],
    index: int,
    args: list[tuple[str, list[str]]],
    env: _Env,
    problems: list[str],
) -> CurlImport:
    curl = _read_curl(args)
    problems.extend(curl.problems)
    if not curl.urls:
        problems.append("the curl command has no URL")
        return CurlImport("unknown", token=curl.token, problems=tuple(problems))
    if len(curl.urls) > 1:
        problems.append("the curl command has several URLs; only the first was imported")
    url, unknown = curl.urls[0]
    kind, base, rid, extra = _split_url(url.strip())
    if extra:
        problems.append("the URL's query string or fragment is not used (ignored)")
    base_url: str | None = None
    if unknown:
        names = ", ".join(dict.fromkeys(unknown))
        problems.append(
            f"the URL uses {names}, which the pasted text does not set, so the base URL "
            "is not known"
        )
    else:
        base_url = _normalized_base(base, problems)
    method = curl.method
    body: str | None = None
    if curl.data:
        if len(curl.data) > 1:
            problems.append("the command has several data options; curl joins them with '&'")
        pieces: list[str] = []
        for dkind, value, unknown_vars in curl.data:
            _unset_vars(unknown_vars, "the data", problems)
            if dkind != "raw" and value.startswith("@"):
                if value != "@-":
                    problems.append(
                        f"the data is read from the file {value[1:]!r}: open that file instead"
                    )
                    continue
                got = _stdin_of(pipe, index, env, problems)
                if got is None:
                    continue
                value = got.replace("\r", "").replace("\n", "") if dkind == "data" else got
            pieces.append(value)
        body = "&".join(pieces) if len(pieces) == len(curl.data) else None
    if kind == "output" and rid is not None and not REQUEST_ID_RE.match(rid):
        problems.append("the request id in the URL is not a VESSL request id")
        rid = None
    if kind == "output":
        if method is not None and method.upper() != "GET":
            problems.append(f"-X {method}: the output URL is read with GET")
        if curl.data:
            problems.append("an output request has no body (the data was ignored)")
        which = f"request {rid}" if rid else "a request"
        problems.append(f"this command reads the output of {which}; it creates nothing")
        return CurlImport(
            "output", base_url, request_id=rid, token=curl.token, problems=tuple(problems)
        )
    if kind != "create":
        problems.append("the URL does not end in /async, so this is not a create call")
        return CurlImport("unknown", token=curl.token, problems=tuple(problems))
    if method is not None and method.upper() != "POST":
        problems.append(f"-X {method}: a create call is a POST (vessl-gui sends POST)")
    if not curl.data:
        problems.append("the command has no request body (no -d, --data or --json)")
    m_out: str | None = None
    p_out: str | None = None
    d_out: str | None = None
    if body is not None:
        m_out, p_out, d_out = _body_fields(body, problems)
    return CurlImport(
        "create",
        base_url,
        method=m_out,
        path=p_out,
        data=d_out,
        token=curl.token,
        problems=tuple(problems),
    )
