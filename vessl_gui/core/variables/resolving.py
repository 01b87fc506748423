"""Replace ``{{name}}`` references with values: what is sent, and what history keeps.

:func:`resolve` gives two versions of a request's path and ``data``:

* the **wire** version, sent: every reference replaced.  In the path the value is
  inserted as it is; inside a JSON string it is JSON-string-escaped
  (:func:`json_fragment`: ``"``, ``\\`` and control characters; non-ASCII kept),
  so the data stays valid JSON and decodes to the value itself;
* the **history** version, stored: a secret variable's reference is kept as
  ``{{name}}`` (its name is in :attr:`Resolved.secrets`), the others are replaced
  as on the wire.  No secret value ever reaches history.

Every byte outside the references is kept as typed (key order, ``1.0``, ``1e400``,
huge integers, escapes): the request is still sent byte-exact.  Values are
inserted once, never expanded again (a value holding ``{{x}}`` sends ``{{x}}``).

A reference to no variable is an error (:attr:`Resolved.error`, one
:class:`~vessl_gui.core.errors.FieldError` per unknown name and field, at its
first place); it is left as ``{{name}}`` in both versions so a preview can still
show the body.  A value that cannot go into a path (a space, a line break, a
control character) or is not valid Unicode is an error too.

The work is one pass over the references plus one join per text: well under
the time the tokenizer needs (:mod:`.scan`), even on a 5 MB ``data``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import field
from typing import Final

from vessl_gui.core.errors import FieldError, ValidationError
from vessl_gui.core.models import AsyncRequest
from vessl_gui.core.records import record
from vessl_gui.core.text import is_valid_unicode
from vessl_gui.core.variables.model import Variable
from vessl_gui.core.variables.scan import Reference, references

_NOT_IN_PATH_RE: Final = re.compile(r"[\s\x00-\x1f\x7f]")


def json_fragment(value: str) -> str:
    """``value`` as the inside of a JSON string (quotes, backslashes, control characters
    escaped; everything else, non-ASCII included, as it is)."""
    return json.dumps(value, ensure_ascii=False)[1:-1]


@record
class Resolved:
    """The outcome of :func:`resolve` (see the module).

    ``path``/``data`` are what is sent (hidden from ``repr``: they may hold a secret);
    ``history_path``/``history_data`` what history keeps.  With no reference at
    all, all four are the texts given, unchanged.
    """

    path: str = field(repr=False)
    data: str = field(repr=False)
    history_path: str
    history_data: str = field(repr=False)
    secrets: frozenset[str]
    """Names of the secret variables kept as ``{{name}}`` in the history version."""
    references: tuple[Reference, ...]
    """Every reference found, path first, in text order."""
    unknown: tuple[Reference, ...] = ()
    """Every reference (each place) whose name is no variable: the editor's error marks."""
    error: ValidationError | None = None
    """Why this cannot be sent (unknown variables, bad values), or None."""

    def check(self) -> None:
        """Raise :attr:`error`, if there is one."""
        if self.error is not None:
            raise self.error


def resolve(path: str, data: str, variables: Iterable[Variable]) -> Resolved:
    """Replace the references of ``path`` and ``data`` (see the module).

    ``path`` is the normalised path (``normalize_path``), ``data`` the JSON text as
    validated.  ``variables`` need their values, secrets included.  Never raises:
    problems are in :attr:`Resolved.error`.
    """
    refs = references(path, data)
    if not refs:
        return Resolved(path, data, path, data, frozenset(), ())
    table = {v.name: v for v in variables}
    unknown: list[Reference] = []
    secrets: set[str] = set()
    path_refs = [r for r in refs if r.field == "path"]
    data_refs = refs[len(path_refs) :]
    wire_path, history_path = _replace(path, path_refs, table, unknown, secrets, escape=False)
    wire_data, history_data = _replace(data, data_refs, table, unknown, secrets, escape=True)
    problems: list[FieldError] = []
    problems.extend(_unknown_problems(unknown, table))
    problems.extend(_value_problems(refs, table))
    problems.sort(key=lambda f: (f.field != "path", f.line or 0, f.column or 0))
    return Resolved(
        wire_path,
        wire_data,
        history_path,
        history_data,
        frozenset(secrets),
        tuple(refs),
        tuple(unknown),
        ValidationError(problems) if problems else None,
    )


def unknown_references(path: str, data: str, names: Iterable[str]) -> list[FieldError]:
    """The errors :func:`resolve` would give for references to names not in ``names``
    (the editor marks them as the user types; no value is needed, so no keyring)."""
    table = {n: Variable(n) for n in names}
    unknown = [r for r in references(path, data) if r.name not in table]
    return _unknown_problems(unknown, table)


def _replace(
    text: str,
    refs: list[Reference],
    table: dict[str, Variable],
    unknown: list[Reference],
    secrets: set[str],
    *,
    escape: bool,
) -> tuple[str, str]:
    """(wire, history) versions of one text; notes unknown references and secrets kept."""
    if not refs:
        return text, text
    wire: list[str] = []
    kept: list[str] = []
    pos = 0
    escaped: dict[str, str] = {}
    for r in refs:
        wire.append(text[pos : r.offset])
        kept.append(text[pos : r.offset])
        pos = r.end
        v = table.get(r.name)
        if v is None:
            unknown.append(r)
            wire.append(r.text)
            kept.append(r.text)
            continue
        value = v.value
        if escape:
            cached = escaped.get(v.name)
            value = cached if cached is not None else json_fragment(v.value)
            escaped[v.name] = value
        wire.append(value)
        if v.secret:
            secrets.add(v.name)
            kept.append(r.text)
        else:
            kept.append(value)
    wire.append(text[pos:])
    kept.append(text[pos:])
    return "".join(wire), "".join(kept)


def _unknown_problems(unknown: list[Reference], table: dict[str, Variable]) -> list[FieldError]:
    """One error per (field, unknown name), at its first place."""
    first: dict[tuple[str, str], Reference] = {}
    count: dict[tuple[str, str], int] = {}
    for r in unknown:
        first.setdefault((r.field, r.name), r)
        count[r.field, r.name] = count.get((r.field, r.name), 0) + 1
    folded = {name.casefold(): name for name in table}
    out: list[FieldError] = []
    for key, r in first.items():
        message = f"{r.text} is not a variable of this service"
        near = folded.get(r.name.casefold())
        if near is not None:
            message += f" (did you mean {{{{{near}}}}}?)"
        if count[key] > 1:
            message += f"; it is used {count[key]} times"
        literal = "%7B{" if r.field == "path" else "\\u007b{"
        message += (
            f". Add it to the service's variables, or write {literal}{r.name}}}}} "
            "to send it as it is"
        )
        out.append(FieldError(r.field, message, r.line, r.column))
    return out


def _value_problems(refs: list[Reference], table: dict[str, Variable]) -> list[FieldError]:
    """Values that cannot be sent where they are used (first place of each)."""
    out: list[FieldError] = []
    done: set[tuple[str, str]] = set()
    for r in refs:
        v = table.get(r.name)
        if v is None or (r.field, r.name) in done:
            continue
        message = None
        if not is_valid_unicode(v.value):
            message = f"the value of {r.text} contains invalid Unicode (an unpaired surrogate)"
        elif r.field == "path" and _NOT_IN_PATH_RE.search(v.value):
            message = (
                f"the value of {r.text} holds a space, line break or control character, "
                "which a path cannot hold (use %20 for a space)"
            )
        if message is not None:
            done.add((r.field, r.name))
            out.append(FieldError(r.field, message, r.line, r.column))
    return out


@record
class ResolvedRequest:
    """A validated request with its references replaced (:func:`resolve_request`)."""

    wire: AsyncRequest = field(repr=False)
    """What is sent (may hold secret values: never store or log it)."""
    history: AsyncRequest
    """What history keeps: secret references as ``{{name}}``."""
    secrets: frozenset[str]
    """The secret variables kept as ``{{name}}`` in :attr:`history`."""


def resolve_request(request: AsyncRequest, variables: Iterable[Variable]) -> ResolvedRequest:
    """``request`` (validated, with ``{{name}}`` in its path or data) ready to send.

    Raises :class:`ValidationError` (fields ``path``/``data``, with line and column)
    when a reference is unknown or a value cannot be sent.
    """
    r = resolve(request.path, request.data, variables)
    r.check()
    base, method = request.base_url, request.method
    return ResolvedRequest(
        AsyncRequest(base, method, r.path, r.data),
        AsyncRequest(base, method, r.history_path, r.history_data),
        r.secrets,
    )
