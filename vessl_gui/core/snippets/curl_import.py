"""Import a request from a pasted curl command: :func:`parse_curl` and :class:`CurlImport`.

:func:`parse_curl` reads the page's echo-pipe form, ``printf``/``cat``
here-documents, ``-d``/``--data``/``--data-raw``/``--data-binary``/``--json``,
``-X``, ``-H``, ``--url``, line continuations and every shell quoting form, or
a bare URL.  It never raises and never guesses: whatever it cannot understand
is listed in :attr:`CurlImport.problems`.  Nothing pasted is ever run.

Here: the walk over the pasted commands (assignments, ``export``, which command
is curl), what the URL says (create, output, or a bare base URL) and the
create body's ``method``, ``path`` and exact ``data`` text.  The shell itself is
read by :mod:`.shell_lexer` and :mod:`.shell_env`, curl's options by
:mod:`.curl_options`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from typing import Final, Literal

from vessl_gui.core.errors import ValidationError
from vessl_gui.core.models import REQUEST_ID_RE
from vessl_gui.core.snippets.curl_options import read_curl
from vessl_gui.core.snippets.shell_env import (
    SHOWABLE_RE,
    Env,
    assignment,
    stdin_of,
    unset_vars,
)
from vessl_gui.core.snippets.shell_lexer import ASSIGN_RE, Lexer
from vessl_gui.core.snippets.shell_words import Command, ShellError, split_pipelines
from vessl_gui.core.validation import check_json, normalize_base_url

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


_OUTPUT_URL_RE: Final = re.compile(r"^(.*)/async/([^/]+)/output$", re.DOTALL)
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
    lexer = Lexer(text)
    try:
        tokens = lexer.run()
        pipelines = split_pipelines(tokens)
    except ShellError as exc:
        return CurlImport("unknown", problems=(*lexer.problems, f"{exc}"))
    problems.extend(lexer.problems)
    env = Env()
    found: CurlImport | None = None
    for pipe in pipelines:
        after_curl = False
        for index, cmd in enumerate(pipe):
            words = list(cmd.words)
            assigned = False
            while words and ASSIGN_RE.match(words[0].bare_head):
                name, value = assignment(words.pop(0), env)
                if value is not None:
                    env.values[name] = value
                else:
                    env.values.pop(name, None)
                assigned = True
            if words and env.text(words[0])[0] == "export":
                for w in words[1:]:
                    if ASSIGN_RE.match(w.bare_head):
                        name, value = assignment(w, env)
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
                shown = f"the command `{name}`" if SHOWABLE_RE.match(name) else "a command"
                problems.append(f"{shown} is not curl (ignored)")
    if found is None:
        return CurlImport("unknown", problems=(*problems, "no curl command or URL found"))
    return replace(found, problems=tuple(problems))


def _import_curl(
    pipe: list[Command],
    index: int,
    args: list[tuple[str, list[str]]],
    env: Env,
    problems: list[str],
) -> CurlImport:
    curl = read_curl(args)
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
            unset_vars(unknown_vars, "the data", problems)
            if dkind != "raw" and value.startswith("@"):
                if value != "@-":
                    problems.append(
                        f"the data is read from the file {value[1:]!r}: open that file instead"
                    )
                    continue
                got = stdin_of(pipe, index, env, problems)
                if got is None:
                    continue
                value = got.replace("\r", "").replace("\n", "") if dkind == "data" else got
            pieces.append(value)
        body = "&".join(pieces) if len(pieces) == len(curl.data) else None
    if kind == "output" and rid is not None and not REQUEST_ID_RE.fullmatch(rid):
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
