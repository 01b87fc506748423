"""Form text -> a validated :class:`~vessl_gui.core.models.AsyncRequest`.

Every function here takes the raw text of one field and returns the
normalised value or raises :class:`ValidationError` naming that field.
:func:`validate_draft` checks every field at once and raises one error that
names every bad field, so the form can mark them all.

Rules (from the API sheet):

* base URL: ``http``/``https`` with a host; whitespace around it and trailing
  slashes are removed; a query string, fragment or user info is an error.
* method: blank means ``POST``; lower case is upper-cased; any RFC 9110 token.
* path: blank means ``/``; a missing leading ``/`` is added; a query string is
  kept as typed; whitespace or control characters inside are an error.
* data: required, any JSON value, kept byte-exact.  ``NaN``/``Infinity`` and
  duplicate object keys are errors with their line and column; a ``{{name}}``
  variable outside a string is one too, saying so (it is replaced only inside a
  JSON string: :mod:`vessl_gui.core.variables`).
* token: whitespace and line breaks around it are removed (a pasted token);
  a leading ``Bearer`` is dropped; empty is an error.

The rules a service (``core.profiles``) and the settings (``core.settings``)
share live here too, so both accept and refuse the same values:

* timeouts (connect and read): :data:`MIN_TIMEOUT` to :data:`MAX_TIMEOUT` seconds.
* CA bundle: a file that loads as PEM certificates (:func:`ca_bundle_problem`).
"""

from __future__ import annotations

import json
import math
import os
import re
from dataclasses import field
from typing import Any, Final, NoReturn
from urllib.parse import urlsplit

from vessl_gui.core.errors import FieldError, ValidationError
from vessl_gui.core.models import AsyncRequest, RequestDraft
from vessl_gui.core.records import record
from vessl_gui.core.text import is_valid_unicode, position
from vessl_gui.core.variables.scan import REFERENCE_RE

_TOKEN_CHARS_RE: Final = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
_WS_OR_CTRL_RE: Final = re.compile(r"[\s\x00-\x1f\x7f]")
_BEARER_RE: Final = re.compile(r"^bearer(?:\s+|$)", re.IGNORECASE)
_HEADER_SAFE_RE: Final = re.compile(r"^[\x21-\x7e]+$")
# Strings (skipped whole), brackets, and the non-standard constants Python accepts.
_JSON_TOKEN_RE: Final = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[{}\[\]]|-?Infinity|NaN')
_WS_RE: Final = re.compile(r"[ \t\n\r]*")

DEFAULT_METHOD: Final = "POST"
DEFAULT_PATH: Final = "/"
MIN_TIMEOUT: Final = 0.1
"""Shortest connect or read timeout, seconds (the dialogs' spin boxes show one decimal)."""
MAX_TIMEOUT: Final = 3600.0
"""Longest connect or read timeout, seconds: a scaled-to-zero service can take minutes
to wake, and an hour is the longest a person would wait for one answer."""


@record
class ValidDraft:
    """A draft that passed validation: the request, and the token kept apart."""

    request: AsyncRequest
    token: str = field(repr=False)


def fail(field: str, message: str, line: int | None = None, column: int | None = None) -> NoReturn:
    """Raise a :class:`ValidationError` naming one field (with a 1-based position, if any)."""
    raise ValidationError([FieldError(field, message, line, column)])


def check_unicode(field: str, label: str, text: str) -> None:
    """Refuse ``text`` (named ``label`` in the message) if it cannot be sent as UTF-8."""
    if not is_valid_unicode(text):
        fail(field, f"{label} contains invalid Unicode (an unpaired surrogate character)")


def normalize_timeout(field: str, value: float | str) -> float:
    """``value`` in seconds, :data:`MIN_TIMEOUT` to :data:`MAX_TIMEOUT`, or raise.

    The one timeout rule of a service and of the settings (connect and read alike);
    ``field`` (``connect_timeout``, ``read_timeout``) names the error and its label.
    """
    label = field.replace("_", " ").capitalize()
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        fail(field, f"{label} must be a number of seconds")
    if not math.isfinite(seconds) or not MIN_TIMEOUT <= seconds <= MAX_TIMEOUT:
        fail(field, f"{label} must be {MIN_TIMEOUT:g} to {MAX_TIMEOUT:g} seconds")
    return seconds


def ca_bundle_problem(path: str) -> str | None:
    """Why this CA bundle cannot be used, or None."""
    if not os.path.isfile(path):
        return f"CA bundle {path} is not a file"
    import ssl  # here, not at start-up: only a CA bundle needs it (~5 ms to import)

    try:
        ssl.create_default_context(cafile=path)
    except (ssl.SSLError, OSError, ValueError) as exc:
        return f"CA bundle {path} is not a PEM certificate file ({exc})"
    return None


def normalize_base_url(text: str) -> str:
    """Return the base URL without surrounding whitespace and trailing slashes."""
    url = text.strip()
    if not url:
        fail("base_url", "Base URL is required (copy it from the service's Request dialog)")
    check_unicode("base_url", "Base URL", url)
    if _WS_OR_CTRL_RE.search(url):
        fail("base_url", "Base URL must not contain spaces or line breaks")
    try:
        parts = urlsplit(url)
        port = parts.port  # raises ValueError for a bad port
    except ValueError as exc:
        fail("base_url", f"Base URL is not a valid URL ({exc})")
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        fail(
            "base_url",
            "Base URL must start with https:// (or http://), "
            "e.g. https://serve-api.vessl.ai/api/v1/services/<slug>",
        )
    if not parts.hostname:
        fail("base_url", "Base URL has no host name")
    if parts.username is not None or parts.password is not None:
        fail("base_url", "Base URL must not contain a user name or password; use the token field")
    if "?" in url:
        fail("base_url", "Base URL must not contain a query string (the part after '?')")
    if "#" in url:
        fail("base_url", "Base URL must not contain a fragment (the part after '#')")
    del port
    host = parts.netloc.lower()
    path = parts.path.rstrip("/")
    return f"{scheme}://{host}{path}"


def normalize_method(text: str) -> str:
    """Return the method upper-cased; blank means ``POST``."""
    method = text.strip()
    if not method:
        return DEFAULT_METHOD
    if _WS_OR_CTRL_RE.search(method):
        fail("method", "Method must be one word without spaces, e.g. POST")
    if not _TOKEN_CHARS_RE.match(method):
        fail("method", f"Method {method!r} contains characters not allowed in an HTTP method")
    return method.upper()


def normalize_path(text: str) -> str:
    """Return the path with a leading ``/``; blank means ``/``."""
    path = text.strip()
    if not path:
        return DEFAULT_PATH
    check_unicode("path", "Path", path)
    if _WS_OR_CTRL_RE.search(path):
        fail("path", "Path must not contain spaces, tabs or line breaks (use %20 for a space)")
    if not path.startswith("/"):
        path = "/" + path
    return path


def normalize_token(text: str) -> str:
    """Return the pasted token without surrounding whitespace or a ``Bearer`` prefix."""
    token = _BEARER_RE.sub("", text.strip()).strip()
    if not token:
        fail("token", "Token is required (copy it from the service's Request dialog)")
    if _WS_OR_CTRL_RE.search(token):
        fail("token", "Token must not contain spaces or line breaks inside it")
    if not _HEADER_SAFE_RE.match(token):
        fail("token", "Token contains characters that cannot be sent in an HTTP header")
    return token


def _find_problem(text: str) -> tuple[str, int] | None:
    """Find the first NaN/Infinity or duplicate key in valid-ish JSON: (message, offset)."""
    stack: list[set[str] | None] = []
    for m in _JSON_TOKEN_RE.finditer(text):
        tok = m.group()
        if tok == "{":
            stack.append(set())
        elif tok == "[":
            stack.append(None)
        elif tok in "}]":
            if stack:
                stack.pop()
        elif tok.startswith('"'):
            keys = stack[-1] if stack else None
            if keys is None:
                continue
            after = _WS_RE.match(text, m.end())
            if after is None or not text.startswith(":", after.end()):
                continue
            key = json.loads(tok)
            if key in keys:
                message = f"duplicate key {tok} in the same object (the first would be lost)"
                return message, m.start()
            keys.add(key)
        else:
            return f"{tok} is not valid JSON (use null or a string)", m.start()
    return None


def check_json(text: str) -> FieldError | None:
    """Return why ``text`` is not a strict JSON value (positions 1-based), or None."""
    if not text.strip():
        return FieldError("data", "Data is required: any JSON value (write null for none)")
    problems: list[str] = []

    def pairs_hook(pairs: list[tuple[str, Any]]) -> None:
        if not problems and len({k for k, _ in pairs}) != len(pairs):
            problems.append("duplicate")

    def constant(name: str) -> None:
        problems.append(name)

    try:
        json.loads(
            text,
            object_pairs_hook=pairs_hook,
            parse_constant=constant,
            parse_int=len,  # never build big ints: the text is what we send
            parse_float=len,
        )
    except json.JSONDecodeError as exc:
        msg = exc.msg
        if msg.startswith("Expecting property name enclosed in double quotes"):
            msg += " (a trailing comma, or single quotes?)"
        elif msg == "Extra data":
            msg = "Extra data after the JSON value (only one value is allowed)"
        bare = REFERENCE_RE.match(text, max(exc.pos - 1, 0))  # json stops at its second {
        if bare is None or not bare.start() <= exc.pos < bare.end():
            return FieldError("data", msg, exc.lineno, exc.colno)
        line, column = position(text, bare.start())
        message = (
            f"{bare.group()} is outside a string: variables are replaced only inside JSON "
            f'strings (write "{bare.group()}" to send its value as a string)'
        )
        return FieldError("data", message, line, column)
    except RecursionError:
        return FieldError("data", "JSON is nested too deeply", 1, 1)
    if problems:
        found = _find_problem(text)
        if found is not None:
            line, column = position(text, found[1])
            return FieldError("data", found[0], line, column)
        return FieldError("data", "duplicate key or NaN/Infinity in JSON", 1, 1)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        line, column = position(text, exc.start)
        return FieldError("data", "invalid Unicode (an unpaired surrogate character)", line, column)
    return None


def normalize_data(text: str) -> str:
    """Return the JSON text stripped of surrounding whitespace, or raise."""
    problem = check_json(text)
    if problem is not None:
        raise ValidationError([problem])
    return text.strip()


def validate_request(base_url: str, method: str, path: str, data: str) -> AsyncRequest:
    """Validate the form's text into a request; one error naming every bad field."""
    return _validate(RequestDraft(base_url, method, path, data), require_token=False).request


def validate_draft(
    draft: RequestDraft, *, require_token: bool = True, data_checked: bool = False
) -> ValidDraft:
    """Validate every field of the draft (token included) at once.

    ``data_checked``: the caller knows ``check_json(draft.data)`` found it valid (the
    editor checked that very text), so it is not parsed again.
    """
    return _validate(draft, require_token=require_token, data_checked=data_checked)


def _validate(
    draft: RequestDraft, *, require_token: bool, data_checked: bool = False
) -> ValidDraft:
    errors: list[FieldError] = []
    values: dict[str, str] = {}
    checks = [
        ("base_url", normalize_base_url, draft.base_url),
        ("method", normalize_method, draft.method),
        ("path", normalize_path, draft.path),
        ("data", str.strip if data_checked else normalize_data, draft.data),
    ]
    if require_token:
        checks.append(("token", normalize_token, draft.token))
    for name, check, text in checks:
        try:
            values[name] = check(text)
        except ValidationError as exc:
            errors.extend(exc.fields)
    if errors:
        raise ValidationError(errors)
    request = AsyncRequest(values["base_url"], values["method"], values["path"], values["data"])
    return ValidDraft(request, values.get("token", ""))
