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
"""

from __future__ import annotations

import re
from urllib.parse import quote

from vessl_gui.core.models import REQUEST_ID_RE, AsyncRequest


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
