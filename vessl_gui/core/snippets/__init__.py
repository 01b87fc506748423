"""Copy a request as curl or Python, and import one from a pasted curl command.

Out: :mod:`.code` (:func:`curl_create`, :func:`curl_output`, :func:`python_create`,
:func:`shell_quote`, :func:`body_parts`): byte-exact scripts that read the token
from ``TOKEN`` unless the user chose to include it, and a request's ``{{name}}``
variables from the environment.

In: :func:`parse_curl` (:mod:`.curl_import`) reads a pasted curl command or URL
into a :class:`CurlImport`; it never raises, never runs anything and never
guesses.  Beneath it: :mod:`.shell_words` and :mod:`.shell_lexer` (a small
POSIX-shell lexer), :mod:`.shell_env` (variables, and what a pipe writes into
curl), :mod:`.curl_options` (what each curl option means).
"""

from __future__ import annotations

from vessl_gui.core.snippets.code import (
    body_parts,
    curl_create,
    curl_output,
    python_create,
    shell_quote,
)
from vessl_gui.core.snippets.curl_import import CurlImport, ImportKind, parse_curl

__all__ = [
    "CurlImport",
    "ImportKind",
    "body_parts",
    "curl_create",
    "curl_output",
    "parse_curl",
    "python_create",
    "shell_quote",
]
