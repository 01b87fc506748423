"""Copy a request as curl or Python: the code we generate.

All pure functions of a validated :class:`~vessl_gui.core.models.AsyncRequest`:

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

**Variables.**  A request whose path or data holds ``{{name}}`` references
(:func:`vessl_gui.core.variables.references`) keeps them as variables of the code:

* curl: the shell variable ``${name}``, between the single-quoted pieces of the
  body (``'…"path": "/v1/'"${model}"'", …'``), so the script still sends every
  other byte exactly, in bash, zsh and sh.  A first comment names the variables;
  ``: "${name?}" &&`` stops the script before anything is sent when one is not
  set.  **The shell inserts a value as it is**: a ``"`` or ``\\`` in a value set in
  the environment must be written JSON-escaped (``\\"``, ``\\\\``).  A plain
  variable given in ``variables`` is set in the script, JSON-escaped already.
* Python: ``variables = {"name": os.environ["name"], …}`` and
  ``json_string(variables["name"])`` in the body: Python inserts the value
  JSON-escaped, so any value (quotes, backslashes, line breaks) gives exactly
  the body vessl-gui sends (:func:`vessl_gui.core.variables.resolving`).  A plain
  variable given in ``variables`` is written into the code instead.

A secret variable's value is never written: it is always read from the
environment.  A reference whose name no variable may have (``TOKEN``, ``PATH``,
see :func:`vessl_gui.core.variables.name_problem`) stays as ``{{name}}`` text, so
the script can never insert the token or the shell's ``PATH`` there.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from urllib.parse import quote

from vessl_gui.core.models import REQUEST_ID_RE, AsyncRequest
from vessl_gui.core.variables import (
    REFERENCE_RE,
    Variable,
    json_fragment,
    name_problem,
    references,
)

Part = str | tuple[str]
"""A piece of a body: literal text, or ``(name,)`` for a variable's place."""


def shell_quote(text: str) -> str:
    """``text`` as one POSIX shell word in single quotes (exact for any text)."""
    return "'" + text.replace("'", "'\\''") + "'"


def _token_lines(token: str | None) -> str:
    return "" if token is None else f"TOKEN={shell_quote(token)}\n"


def body_parts(request: AsyncRequest) -> list[Part]:
    """The create body of ``request`` cut at its variables' places (see the module).

    Joined with each ``(name,)`` replaced by ``json_fragment(value)`` it is the body
    that :func:`~vessl_gui.core.variables.resolving` gives; with no reference it is
    ``[body]``.
    """
    body = request.body().decode("utf-8")
    refs = references(request.path, request.data)
    if not refs:
        return [body]
    head = '{"method": ' + json.dumps(request.method, ensure_ascii=False) + ', "path": "'
    data_at = len(body) - len(request.data) - 1
    assert body.startswith(head) and body[data_at:-1] == request.data  # AsyncRequest.body()
    places = [
        (len(head) + m.start(), m.end() - m.start(), m.group(1))
        for m in REFERENCE_RE.finditer(json_fragment(request.path))  # escaping keeps {{name}}
    ]
    places += [(data_at + r.offset, r.end - r.offset, r.name) for r in refs if r.field == "data"]
    parts: list[Part] = []
    pos = 0
    for at, length, name in places:
        if name_problem(name) is not None:
            continue  # no variable can have it: it stays text (never ${TOKEN}, ${PATH})
        parts.append(body[pos:at])
        parts.append((name,))
        pos = at + length
    parts.append(body[pos:])
    return [p for p in parts if p != ""]


def _names(parts: list[Part]) -> list[str]:
    """The variables of the parts, each once, in order of first use."""
    return list(dict.fromkeys(p[0] for p in parts if isinstance(p, tuple)))


def _plain_values(names: list[str], variables: Iterable[Variable]) -> dict[str, str]:
    """The given plain variables' values by name (secrets are never written)."""
    wanted = set(names)
    return {v.name: v.value for v in variables if not v.secret and v.name in wanted}


def _shell_variables(names: list[str], values: dict[str, str]) -> tuple[str, str]:
    """(the comment lines, the assignments and ``${name?}`` guard) of a script's variables."""
    unset = [n for n in names if n not in values]
    listed = ", ".join(names)
    if unset:
        example = " ".join(f"{n}='<value>'" for n in unset)
        comment = (
            f"# Variables: {listed}. Set {', '.join(unset)} before running: export {example}\n"
            '# (the shell inserts a value as it is: write a " or \\ in it as \\" or \\\\, '
            "as in JSON).\n"
        )
    else:
        comment = f"# Variables: {listed} (set below, JSON-escaped).\n"
    assignments = "".join(f"{n}={shell_quote(json_fragment(v))}\n" for n, v in values.items())
    guard = ": " + " ".join(f'"${{{n}?}}"' for n in names) + " &&\n"
    return comment, assignments + guard


def _shell_word(parts: list[Part]) -> str:
    """The body as one shell word: single-quoted text, ``"${name}"`` for each variable."""
    return (
        "".join(f'"${{{p[0]}}}"' if isinstance(p, tuple) else shell_quote(p) for p in parts) or "''"
    )


def curl_create(
    request: AsyncRequest, token: str | None = None, *, variables: Iterable[Variable] = ()
) -> str:
    """A shell script that creates ``request`` with curl, in the API page's style.

    ``BASE_URL`` is set on the first line; the header uses ``${TOKEN}``, which the
    user's shell must provide, unless ``token`` is given: then ``TOKEN='…'`` is
    set on the very first line.  The body is sent byte-exact.  ``{{name}}``
    references become shell variables (see the module); the plain ones among
    ``variables`` are set in the script.
    """
    parts = body_parts(request)
    names = _names(parts)
    comment = assignments = ""
    if names:
        comment, assignments = _shell_variables(names, _plain_values(names, variables))
    return (
        comment
        + _token_lines(token)
        + f"BASE_URL={shell_quote(request.base_url)}\n"
        + assignments
        + f"printf '%s' {_shell_word(parts)} | curl \\\n"
        + '    -H "Authorization: Bearer ${TOKEN}" \\\n'
        + '    "${BASE_URL}/async" \\\n'
        + "    --json @-\n"
    )


def curl_output(base_url: str, request_id: str, token: str | None = None) -> str:
    """A shell script that fetches ``GET {base_url}/async/{request_id}/output`` with curl.

    Same conventions as :func:`curl_create`.  An id that is not the API's
    ``[a-z0-9]{1,16}`` is percent-encoded, so the script stays safe to run.
    """
    rid = request_id if REQUEST_ID_RE.fullmatch(request_id) else quote(request_id, safe="")
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


def _py_body(parts: list[Part]) -> str:
    """The body as a Python expression: text pieces (a source line each) and
    ``json_string(variables["name"])`` for each variable."""
    if not any(isinstance(p, tuple) for p in parts):
        return _py_text("".join(p for p in parts if isinstance(p, str)), "")
    terms: list[str] = []
    for p in parts:
        if isinstance(p, tuple):
            terms.append(f"json_string(variables[{json.dumps(p[0])}])")
        else:
            terms.extend(repr(piece) for piece in re.findall(r"[^\n]*\n|[^\n]+", p))
    return "(\n    " + "\n    + ".join(terms) + "\n)"


def _py_variables(names: list[str], values: dict[str, str]) -> str:
    """The ``variables`` dict and ``json_string`` of code whose body has variables."""
    if not names:
        return ""
    unset = [n for n in names if n not in values]
    where = "set here"
    if unset:
        where = f"from the environment (export {' '.join(f'{n}=<value>' for n in unset)})"
        where += ", or set here" if values else ""
    rows = "".join(
        f"    {json.dumps(n)}: "
        + (repr(values[n]) if n in values else f"os.environ[{json.dumps(n)}]")
        + ",\n"
        for n in names
    )
    return (
        f"# Variables ({{{{name}}}} in vessl-gui): {where}.\n"
        f"variables = {{\n{rows}}}\n"
        "\n"
        "\n"
        "def json_string(value: str) -> str:\n"
        '    """The value as it goes inside a JSON string (quotes, backslashes and control\n'
        '    characters escaped), as vessl-gui inserts it."""\n'
        "    return json.dumps(value, ensure_ascii=False)[1:-1]\n"
        "\n"
        "\n"
    )


def python_create(
    request: AsyncRequest, token: str | None = None, *, variables: Iterable[Variable] = ()
) -> str:
    """Python (httpx) code that creates ``request`` as pasted and prints the new id.

    The body is embedded as text and sent with ``content=`` so it is byte-exact
    (``json=`` would re-encode numbers such as ``1e400`` and big floats).  The
    token is read from the ``TOKEN`` environment variable unless ``token`` is given.
    ``{{name}}`` references are read from ``os.environ`` and inserted JSON-escaped;
    the plain ones among ``variables`` are written into the code (see the module).
    """
    parts = body_parts(request)
    names = _names(parts)
    token_line = (
        'token = os.environ["TOKEN"]  # export TOKEN=<your service token>'
        if token is None
        else f"token = {token!r}"
    )
    inserted = " with the variables' values inserted" if names else ""
    return (
        ("import json\n" if names else "") + "import os\n"
        "\n"
        "import httpx\n"
        "\n"
        f"base_url = {request.base_url!r}\n"
        f"{token_line}\n"
        "\n"
        + _py_variables(names, _plain_values(names, variables))
        + f"# The request body, byte for byte as vessl-gui sends it{inserted}.\n"
        f"body = {_py_body(parts)}\n"
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
