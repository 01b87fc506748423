"""The services file's JSON document: read it, check it, write it.

The document is ``{"format": "vessl-gui.profiles", "version": 2,
"last_profile_id": …, "profiles": […], "saved_requests": […]}``.  Version 2
gave each profile its ``"variables"``: ``[{"name": "model", "value": "llama"},
{"name": "api_key", "secret": true}, …]`` -- a secret by name only, its value is
in the keyring (one written in the file by hand is ignored, and dropped on the
next write).  Version 1 files (no variables) are read as they are and rewritten
as version 2 on the first change.

Reading checks every record; anything wrong raises :class:`Corrupt` (``"<where>:
<what>"``), and :func:`read_services` then moves the damaged file aside to
``<file>.corrupt-<time>`` (never deleted) and says so in its notice.  A file
of a newer format version is left alone (:class:`StorageError`).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any, Final

from vessl_gui.core.errors import StorageError
from vessl_gui.core.files import move_aside
from vessl_gui.core.profiles.models import Profile, SavedRequest
from vessl_gui.core.profiles.rules import ID_RE, fold
from vessl_gui.core.records import record
from vessl_gui.core.variables.model import Variable

FILE_FORMAT: Final = "vessl-gui.profiles"
FILE_VERSION: Final = 2
"""The version written; every version from 1 up to it is read."""


class Corrupt(Exception):
    """A file (services, draft, an export's entry) that does not hold what it should."""


def want(cond: bool, where: str, what: str) -> None:
    """Raise :class:`Corrupt` (``"<where>: <what>"``) unless ``cond``."""
    if not cond:
        raise Corrupt(f"{where}: {what}")


def str_field(obj: dict[str, Any], key: str, where: str, *, optional: bool = False) -> Any:
    """``obj[key]``, which must be a string (or missing/None when ``optional``)."""
    value = obj.get(key)
    if value is None and optional:
        return None
    want(isinstance(value, str), where, f'"{key}" must be a string')
    return value


def _num_field(obj: dict[str, Any], key: str, where: str, default: float) -> float:
    value = obj.get(key, default)
    ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    want(ok and math.isfinite(value) and value > 0, where, f'"{key}" must be a positive number')
    return float(value)


def _load_profile(raw: Any, where: str) -> Profile:
    want(isinstance(raw, dict), where, "must be an object")
    pid = str_field(raw, "id", where)
    want(bool(ID_RE.match(pid)), where, '"id" is not a valid id')
    verify = raw.get("verify_tls", True)
    want(isinstance(verify, bool), where, '"verify_tls" must be true or false')
    return Profile(
        id=pid,
        name=str_field(raw, "name", where),
        base_url=str_field(raw, "base_url", where),
        ca_bundle=str_field(raw, "ca_bundle", where, optional=True),
        verify_tls=verify,
        connect_timeout=_num_field(raw, "connect_timeout", where, 10.0),
        read_timeout=_num_field(raw, "read_timeout", where, 30.0),
        variables=_load_variables(raw.get("variables"), where),
    )


def _load_variables(raw: Any, where: str) -> tuple[Variable, ...]:
    """A profile's variables; the name rules are the store's (a file keeps what it has)."""
    if raw is None:
        return ()  # version 1
    want(isinstance(raw, list), where, '"variables" must be a list')
    out: list[Variable] = []
    seen: set[str] = set()
    for i, item in enumerate(raw):
        at = f"{where}.variables[{i}]"
        want(isinstance(item, dict), at, "must be an object")
        name = str_field(item, "name", at)
        want(bool(name), at, '"name" is empty')
        want(name.casefold() not in seen, at, f"the name {name!r} is used twice")
        seen.add(name.casefold())
        secret = item.get("secret", False)
        want(isinstance(secret, bool), at, '"secret" must be true or false')
        value = "" if secret else (str_field(item, "value", at, optional=True) or "")
        out.append(Variable(name, value, secret))
    return tuple(out)


def _load_saved(raw: Any, where: str, profile_ids: set[str]) -> SavedRequest:
    want(isinstance(raw, dict), where, "must be an object")
    rid = str_field(raw, "id", where)
    want(bool(ID_RE.match(rid)), where, '"id" is not a valid id')
    pid = str_field(raw, "profile_id", where)
    want(pid in profile_ids, where, '"profile_id" names no service in the file')
    updated = raw.get("updated_at", 0.0)
    want(isinstance(updated, (int, float)) and not isinstance(updated, bool), where, "bad time")
    return SavedRequest(
        id=rid,
        profile_id=pid,
        name=str_field(raw, "name", where),
        method=str_field(raw, "method", where),
        path=str_field(raw, "path", where),
        data=str_field(raw, "data", where),
        updated_at=float(updated),
    )


def _profile_record(p: Profile) -> dict[str, Any]:
    return {
        "id": p.id,
        "name": p.name,
        "base_url": p.base_url,
        "ca_bundle": p.ca_bundle,
        "verify_tls": p.verify_tls,
        "connect_timeout": p.connect_timeout,
        "read_timeout": p.read_timeout,
        "variables": [
            {"name": v.name, "secret": True} if v.secret else {"name": v.name, "value": v.value}
            for v in p.variables
        ],
    }


def _saved_record(s: SavedRequest) -> dict[str, Any]:
    return {
        "id": s.id,
        "profile_id": s.profile_id,
        "name": s.name,
        "method": s.method,
        "path": s.path,
        "data": s.data,
        "updated_at": s.updated_at,
    }


def read_text(path: Path, what: str) -> str | None:
    """The file's bytes as text; None when missing; StorageError when unreadable."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as e:
        raise StorageError(f"Could not read {what} {path}: {e.strerror or e}.") from e
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise Corrupt(f"line {line}: not UTF-8 text") from e


def parse_json(text: str) -> Any:
    """The JSON value of ``text``; :class:`Corrupt` with the line and column if it is not."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise Corrupt(f"line {e.lineno}, column {e.colno}: {e.msg}") from e
    except (RecursionError, ValueError) as e:
        raise Corrupt(f"not readable JSON ({type(e).__name__})") from e


@record
class Contents:
    """What a services file holds (empty for a missing or damaged file)."""

    profiles: dict[str, Profile]
    saved: dict[str, SavedRequest]
    last: str | None = None
    notice: str | None = None
    """A message for the user when a damaged file was moved aside, else None."""
    recovered_to: Path | None = None
    """Where the damaged file was moved."""


def read_services(path: Path) -> Contents:
    """Read the services file ``path``; a damaged one is moved aside (see the notice)."""
    try:
        text = read_text(path, "the services file")
        if text is None or not text.strip():
            return Contents({}, {})
        doc = parse_json(text)
        return decode_services(doc, path)
    except Corrupt as exc:
        recovered_to = move_aside(path, "services file")
        notice = (
            f"The services file {path} was damaged ({exc}). It was moved to "
            f"{recovered_to} and a new, empty one was started."
        )
        return Contents({}, {}, None, notice, recovered_to)


def decode_services(doc: Any, path: Path) -> Contents:
    """The profiles, saved requests and last profile of a parsed document, all checked."""
    want(isinstance(doc, dict), "the file", "is not a JSON object")
    want(doc.get("format") == FILE_FORMAT, "the file", f'"format" is not "{FILE_FORMAT}"')
    version = doc.get("version")
    want(isinstance(version, int) and not isinstance(version, bool), "the file", "no version")
    if version > FILE_VERSION:
        raise StorageError(
            f"The services file {path} was written by a newer vessl-gui (format "
            f"version {version}; this one reads {FILE_VERSION}). Update vessl-gui."
        )
    raw_profiles = doc.get("profiles", [])
    raw_saved = doc.get("saved_requests", [])
    want(isinstance(raw_profiles, list), "the file", '"profiles" must be a list')
    want(isinstance(raw_saved, list), "the file", '"saved_requests" must be a list')
    profiles: dict[str, Profile] = {}
    names: set[str] = set()
    for i, raw in enumerate(raw_profiles):
        p = _load_profile(raw, f"profiles[{i}]")
        want(p.id not in profiles, f"profiles[{i}]", "duplicate id")
        want(fold(p.name) not in names, f"profiles[{i}]", "duplicate name")
        profiles[p.id] = p
        names.add(fold(p.name))
    saved: dict[str, SavedRequest] = {}
    saved_names: set[tuple[str, str]] = set()
    for i, raw in enumerate(raw_saved):
        s = _load_saved(raw, f"saved_requests[{i}]", set(profiles))
        key = (s.profile_id, fold(s.name))
        want(s.id not in saved, f"saved_requests[{i}]", "duplicate id")
        want(key not in saved_names, f"saved_requests[{i}]", "duplicate name")
        saved[s.id] = s
        saved_names.add(key)
    last = doc.get("last_profile_id")
    return Contents(profiles, saved, last if isinstance(last, str) and last in profiles else None)


def services_text(
    profiles: dict[str, Profile], saved: dict[str, SavedRequest], last: str | None
) -> str:
    """The services file's text for this state."""
    doc = {
        "format": FILE_FORMAT,
        "version": FILE_VERSION,
        "last_profile_id": last,
        "profiles": [_profile_record(p) for p in profiles.values()],
        "saved_requests": [_saved_record(s) for s in saved.values()],
    }
    return json.dumps(doc, ensure_ascii=False, indent=1)
