"""Services (profiles), their saved requests, and autosaved drafts, in one JSON file.

A :class:`Profile` is a named VESSL service: base URL, TLS settings and
timeouts.  Its token is **never** in the file: it lives in the keyring under
:func:`token_key` (``"profile:<id>"``).  Each profile has any number of
:class:`SavedRequest` (method, path, data text, unique name per profile) and
at most one :class:`Draft` (the composer's unsaved text, autosaved).

:class:`ProfileStore` keeps everything in memory and rewrites the file on
every change (write a temporary file, fsync, ``os.replace``), so a crash
leaves either the old or the new file, never half of one.  Drafts live in
``<file>.drafts/<profile id>.json`` beside it, so autosaving a large payload
does not rewrite the services file.  A damaged file is moved aside to
``<file>.corrupt-<time>`` (never deleted) and :attr:`ProfileStore.notice`
says so; a file that cannot be read at all raises
:class:`~vessl_gui.core.errors.StorageError`.

Invalid input raises :class:`~vessl_gui.core.errors.ValidationError` naming the
field (``name``, ``base_url``, ``ca_bundle``, ``connect_timeout``,
``read_timeout``, ``profile``, ``request``, ``file``).  One process owns the
file: two running apps would overwrite each other's changes.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any, Final, NoReturn

from vessl_gui.core.errors import FieldError, StorageError, ValidationError
from vessl_gui.core.models import Timeouts
from vessl_gui.core.records import record
from vessl_gui.core.validation import normalize_base_url

FILE_FORMAT: Final = "vessl-gui.profiles"
FILE_VERSION: Final = 1
EXPORT_FORMAT: Final = "vessl-gui.saved-requests"
EXPORT_VERSION: Final = 1
MAX_NAME: Final = 100
MAX_TIMEOUT: Final = 3600.0
_ID_RE: Final = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_CTRL_RE: Final = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")
_NO_PROFILE: Final = "_none"


@record
class Profile:
    """A named VESSL service.  No token: see :func:`token_key`."""

    id: str
    """Stable id (never shown); the keyring key is derived from it."""
    name: str
    """Unique (case-insensitively), shown in the switcher."""
    base_url: str
    """Normalised base URL (no trailing slash)."""
    ca_bundle: str | None = None
    """Path of a PEM CA bundle to trust, or None for the system's."""
    verify_tls: bool = True
    connect_timeout: float = 10.0
    """Seconds."""
    read_timeout: float = 30.0
    """Seconds."""

    def timeouts(self) -> Timeouts:
        """The client timeouts for this service (write and pool keep their defaults)."""
        return Timeouts(connect=self.connect_timeout, read=self.read_timeout)


@record
class SavedRequest:
    """A named request of a profile: the composer's method, path and data text."""

    id: str
    profile_id: str
    name: str
    """Unique (case-insensitively) within its profile."""
    method: str
    path: str
    data: str
    """The JSON text exactly as typed (not validated: a work in progress may be saved)."""
    updated_at: float
    """Unix time of the last save or rename."""


@record
class Draft:
    """The composer's unsaved text for one profile, restored after a crash or restart."""

    base_url: str = ""
    method: str = ""
    path: str = ""
    data: str = ""
    saved_at: float = 0.0
    """Unix time it was autosaved (set by :meth:`ProfileStore.save_draft`)."""


@record
class ImportResult:
    """What :meth:`ProfileStore.import_saved` did."""

    added: int
    replaced: int
    """Existing requests of the same name that were overwritten."""
    problems: tuple[str, ...] = ()
    """One sentence per skipped entry (with its line and column)."""


def token_key(profile: Profile | str) -> str:
    """The keyring key of a profile's token: ``"profile:<id>"`` (a profile or its id)."""
    return f"profile:{profile if isinstance(profile, str) else profile.id}"


def _fail(name: str, message: str) -> NoReturn:
    raise ValidationError([FieldError(name, message)])


def _new_id() -> str:
    import secrets

    return secrets.token_hex(6)


def _fold(name: str) -> str:
    return name.casefold()


def _check_text(name: str, label: str, text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        _fail(name, f"{label} contains invalid Unicode (an unpaired surrogate character)")


def _clean_name(text: str, what: str) -> str:
    name = text.strip()
    if not name:
        _fail("name", f"{what} name is required")
    if _CTRL_RE.search(name):
        _fail("name", f"{what} name must not contain line breaks or control characters")
    name = " ".join(name.split())
    if len(name) > MAX_NAME:
        _fail("name", f"{what} name is too long ({len(name)} characters, at most {MAX_NAME})")
    _check_text("name", f"{what} name", name)
    return name


def _clean_timeout(name: str, value: float) -> float:
    label = name.replace("_", " ").capitalize()
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        _fail(name, f"{label} must be a number of seconds")
    if not math.isfinite(seconds) or seconds <= 0 or seconds > MAX_TIMEOUT:
        _fail(name, f"{label} must be more than 0 and at most {MAX_TIMEOUT:g} seconds")
    return seconds


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


class _Corrupt(Exception):
    pass


def _want(cond: bool, where: str, what: str) -> None:
    if not cond:
        raise _Corrupt(f"{where}: {what}")


def _str_field(obj: dict[str, Any], key: str, where: str, *, optional: bool = False) -> Any:
    value = obj.get(key)
    if value is None and optional:
        return None
    _want(isinstance(value, str), where, f'"{key}" must be a string')
    return value


def _num_field(obj: dict[str, Any], key: str, where: str, default: float) -> float:
    value = obj.get(key, default)
    ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    _want(ok and math.isfinite(value) and value > 0, where, f'"{key}" must be a positive number')
    return float(value)


def _load_profile(raw: Any, where: str) -> Profile:
    _want(isinstance(raw, dict), where, "must be an object")
    pid = _str_field(raw, "id", where)
    _want(bool(_ID_RE.match(pid)), where, '"id" is not a valid id')
    verify = raw.get("verify_tls", True)
    _want(isinstance(verify, bool), where, '"verify_tls" must be true or false')
    return Profile(
        id=pid,
        name=_str_field(raw, "name", where),
        base_url=_str_field(raw, "base_url", where),
        ca_bundle=_str_field(raw, "ca_bundle", where, optional=True),
        verify_tls=verify,
        connect_timeout=_num_field(raw, "connect_timeout", where, 10.0),
        read_timeout=_num_field(raw, "read_timeout", where, 30.0),
    )


def _load_saved(raw: Any, where: str, profile_ids: set[str]) -> SavedRequest:
    _want(isinstance(raw, dict), where, "must be an object")
    rid = _str_field(raw, "id", where)
    _want(bool(_ID_RE.match(rid)), where, '"id" is not a valid id')
    pid = _str_field(raw, "profile_id", where)
    _want(pid in profile_ids, where, '"profile_id" names no service in the file')
    updated = raw.get("updated_at", 0.0)
    _want(isinstance(updated, (int, float)) and not isinstance(updated, bool), where, "bad time")
    return SavedRequest(
        id=rid,
        profile_id=pid,
        name=_str_field(raw, "name", where),
        method=_str_field(raw, "method", where),
        path=_str_field(raw, "path", where),
        data=_str_field(raw, "data", where),
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


def _atomic_write(path: Path, text: str, what: str) -> None:
    """Write ``text`` to ``path`` via a temporary file and ``os.replace`` (fsynced)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as e:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise StorageError(f"Could not save {what} to {path}: {e.strerror or e}.") from e


def _move_aside(path: Path, what: str) -> Path:
    stamp, n = time.strftime("%Y%m%d-%H%M%S"), 1
    dest = path.with_name(f"{path.name}.corrupt-{stamp}")
    while dest.exists():
        n += 1
        dest = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    try:
        os.rename(path, dest)
    except OSError as e:
        raise StorageError(
            f"The damaged {what} {path} could not be moved aside: {e.strerror or e}."
        ) from e
    return dest


def _read_text(path: Path, what: str) -> str | None:
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
        raise _Corrupt(f"line {line}: not UTF-8 text") from e


def _parse_json(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise _Corrupt(f"line {e.lineno}, column {e.colno}: {e.msg}") from e
    except (RecursionError, ValueError) as e:
        raise _Corrupt(f"not readable JSON ({type(e).__name__})") from e


class ProfileStore:
    """Profiles, saved requests and drafts persisted in the JSON file ``path``.

    Thread-safe (one lock); every method returns immutable values.  After
    construction, :attr:`notice` is a message for the user when a damaged
    file was moved aside (:attr:`recovered_to` is where), else None.
    """

    def __init__(
        self, path: str | os.PathLike[str], *, clock: Callable[[], float] = time.time
    ) -> None:
        self.path = Path(path)
        self.drafts_dir = self.path.with_name(self.path.name + ".drafts")
        self._clock = clock
        self._lock = threading.RLock()
        self._profiles: dict[str, Profile] = {}
        self._saved: dict[str, SavedRequest] = {}
        self._last: str | None = None
        self._drafts_written: dict[str, Draft] = {}
        self.notice: str | None = None
        self.recovered_to: Path | None = None
        self._load()

    # ------------------------------------------------------------ load / save

    def _load(self) -> None:
        try:
            text = _read_text(self.path, "the services file")
            if text is None or not text.strip():
                return
            doc = _parse_json(text)
            self._load_doc(doc)
        except _Corrupt as exc:
            self._profiles, self._saved, self._last = {}, {}, None
            self.recovered_to = _move_aside(self.path, "services file")
            self.notice = (
                f"The services file {self.path} was damaged ({exc}). It was moved to "
                f"{self.recovered_to} and a new, empty one was started."
            )

    def _load_doc(self, doc: Any) -> None:
        _want(isinstance(doc, dict), "the file", "is not a JSON object")
        _want(doc.get("format") == FILE_FORMAT, "the file", f'"format" is not "{FILE_FORMAT}"')
        version = doc.get("version")
        _want(isinstance(version, int) and not isinstance(version, bool), "the file", "no version")
        if version > FILE_VERSION:
            raise StorageError(
                f"The services file {self.path} was written by a newer vessl-gui (format "
                f"version {version}; this one reads {FILE_VERSION}). Update vessl-gui."
            )
        raw_profiles = doc.get("profiles", [])
        raw_saved = doc.get("saved_requests", [])
        _want(isinstance(raw_profiles, list), "the file", '"profiles" must be a list')
        _want(isinstance(raw_saved, list), "the file", '"saved_requests" must be a list')
        profiles: dict[str, Profile] = {}
        names: set[str] = set()
        for i, raw in enumerate(raw_profiles):
            p = _load_profile(raw, f"profiles[{i}]")
            _want(p.id not in profiles, f"profiles[{i}]", "duplicate id")
            _want(_fold(p.name) not in names, f"profiles[{i}]", "duplicate name")
            profiles[p.id] = p
            names.add(_fold(p.name))
        saved: dict[str, SavedRequest] = {}
        saved_names: set[tuple[str, str]] = set()
        for i, raw in enumerate(raw_saved):
            s = _load_saved(raw, f"saved_requests[{i}]", set(profiles))
            key = (s.profile_id, _fold(s.name))
            _want(s.id not in saved, f"saved_requests[{i}]", "duplicate id")
            _want(key not in saved_names, f"saved_requests[{i}]", "duplicate name")
            saved[s.id] = s
            saved_names.add(key)
        last = doc.get("last_profile_id")
        self._profiles, self._saved = profiles, saved
        self._last = last if isinstance(last, str) and last in profiles else None

    def _commit(
        self,
        profiles: dict[str, Profile] | None = None,
        saved: dict[str, SavedRequest] | None = None,
        last: str | None = None,
        *,
        set_last: bool = False,
    ) -> None:
        """Write the new state, then adopt it (memory never gets ahead of the disk)."""
        new_profiles = self._profiles if profiles is None else profiles
        new_saved = self._saved if saved is None else saved
        new_last = last if set_last else self._last
        doc = {
            "format": FILE_FORMAT,
            "version": FILE_VERSION,
            "last_profile_id": new_last,
            "profiles": [_profile_record(p) for p in new_profiles.values()],
            "saved_requests": [_saved_record(s) for s in new_saved.values()],
        }
        _atomic_write(self.path, json.dumps(doc, ensure_ascii=False, indent=1), "services")
        self._profiles, self._saved, self._last = new_profiles, new_saved, new_last

    # ---------------------------------------------------------------- profiles

    def profiles(self) -> list[Profile]:
        """Every profile, in the order they were added."""
        with self._lock:
            return list(self._profiles.values())

    def profile(self, profile_id: str) -> Profile | None:
        """The profile with this id, or None."""
        with self._lock:
            return self._profiles.get(profile_id)

    def find_by_name(self, name: str) -> Profile | None:
        """The profile called ``name`` (case-insensitive, spaces collapsed), or None."""
        key = _fold(" ".join(name.split()))
        with self._lock:
            return next((p for p in self._profiles.values() if _fold(p.name) == key), None)

    def find_by_base_url(self, base_url: str) -> list[Profile]:
        """Profiles whose base URL equals ``base_url`` once normalised ([] if it is invalid)."""
        try:
            url = normalize_base_url(base_url)
        except ValidationError:
            return []
        with self._lock:
            return [p for p in self._profiles.values() if p.base_url == url]

    def _get(self, profile_id: str) -> Profile:
        p = self._profiles.get(profile_id)
        if p is None:
            _fail("profile", "This service no longer exists (it was deleted)")
        return p

    def _unique_name(self, name: str, keep_id: str | None = None) -> None:
        key = _fold(name)
        for p in self._profiles.values():
            if p.id != keep_id and _fold(p.name) == key:
                _fail("name", f'A service named "{p.name}" already exists')

    def _validated(self, p: Profile, known_ca: str | None = None) -> Profile:
        """``p`` with every field checked and normalised (every bad field named at once).

        The CA bundle must exist, unless it is ``known_ca`` (already accepted once):
        a missing bundle must not block a rename; the client reports it on use.
        """
        errors: list[FieldError] = []
        values: dict[str, Any] = {}
        checks: list[tuple[str, Callable[[], Any]]] = [
            ("name", lambda: _clean_name(p.name, "Service")),
            ("base_url", lambda: normalize_base_url(p.base_url)),
            ("ca_bundle", lambda: self._clean_ca(p.ca_bundle, known_ca)),
            ("connect_timeout", lambda: _clean_timeout("connect_timeout", p.connect_timeout)),
            ("read_timeout", lambda: _clean_timeout("read_timeout", p.read_timeout)),
        ]
        for name, check in checks:
            try:
                values[name] = check()
            except ValidationError as exc:
                errors.extend(exc.fields)
        if "name" in values:
            try:
                self._unique_name(values["name"], keep_id=p.id)
            except ValidationError as exc:
                errors.extend(exc.fields)
        if errors:
            raise ValidationError(errors)
        return replace(p, verify_tls=bool(p.verify_tls), **values)

    @staticmethod
    def _clean_ca(path: str | None, known: str | None) -> str | None:
        if path is None or not path.strip():
            return None
        path = path.strip()
        _check_text("ca_bundle", "CA bundle path", path)
        if path != known and not os.path.isfile(path):
            _fail("ca_bundle", f"CA bundle file not found: {path}")
        return path

    def add_profile(
        self,
        name: str,
        base_url: str,
        *,
        ca_bundle: str | None = None,
        verify_tls: bool = True,
        connect_timeout: float = 10.0,
        read_timeout: float = 30.0,
    ) -> Profile:
        """Create a profile (name unique, base URL validated) and return it."""
        with self._lock:
            p = self._validated(
                Profile(
                    _new_id(), name, base_url, ca_bundle, verify_tls, connect_timeout, read_timeout
                )
            )
            self._commit(profiles={**self._profiles, p.id: p})
            return p

    def update_profile(self, profile: Profile) -> Profile:
        """Replace the profile with ``profile.id`` by ``profile`` (validated); return it."""
        with self._lock:
            old = self._get(profile.id)
            p = self._validated(profile, known_ca=old.ca_bundle)
            self._commit(profiles={**self._profiles, p.id: p})
            return p

    def rename_profile(self, profile_id: str, name: str) -> Profile:
        """Give a profile a new (unique) name."""
        with self._lock:
            return self.update_profile(replace(self._get(profile_id), name=name))

    def _free_name(self, base: str, taken: Iterable[str]) -> str:
        folded = {_fold(t) for t in taken}
        base = base[: MAX_NAME - 4]
        candidate, n = base, 1
        while _fold(candidate) in folded:
            n += 1
            candidate = f"{base} {n}"
        return candidate

    def duplicate_profile(self, profile_id: str, name: str | None = None) -> Profile:
        """Copy a profile and its saved requests (not its draft, not its token).

        ``name`` defaults to "<name> copy" (numbered when taken).  The caller
        copies the keyring token from ``token_key(old)`` to ``token_key(new)``.
        """
        with self._lock:
            src = self._get(profile_id)
            if name is None:
                name = self._free_name(
                    f"{src.name} copy", (p.name for p in self._profiles.values())
                )
            p = self._validated(replace(src, id=_new_id(), name=name), known_ca=src.ca_bundle)
            saved = dict(self._saved)
            for s in self._saved.values():
                if s.profile_id == src.id:
                    copy = replace(s, id=_new_id(), profile_id=p.id)
                    saved[copy.id] = copy
            self._commit(profiles={**self._profiles, p.id: p}, saved=saved)
            return p

    def delete_profile(self, profile_id: str) -> Profile:
        """Delete a profile with its saved requests and draft; return what was deleted.

        The caller deletes the keyring token under ``token_key(profile)``.
        """
        with self._lock:
            p = self._get(profile_id)
            profiles = {k: v for k, v in self._profiles.items() if k != profile_id}
            saved = {k: v for k, v in self._saved.items() if v.profile_id != profile_id}
            last: str | None = None if self._last == profile_id else self._last
            self._commit(profiles=profiles, saved=saved, last=last, set_last=True)
            self.clear_draft(profile_id)
            return p

    @property
    def last_profile_id(self) -> str | None:
        """The profile used last (restored on start), or None."""
        with self._lock:
            return self._last

    def set_last_profile_id(self, profile_id: str | None) -> None:
        """Remember the profile in use (None: no profile)."""
        with self._lock:
            if profile_id is not None:
                self._get(profile_id)
            if profile_id != self._last:
                self._commit(last=profile_id, set_last=True)

    # --------------------------------------------------------- saved requests

    def saved_requests(self, profile_id: str) -> list[SavedRequest]:
        """A profile's saved requests, sorted by name (case-insensitive)."""
        with self._lock:
            found = [s for s in self._saved.values() if s.profile_id == profile_id]
        return sorted(found, key=lambda s: (_fold(s.name), s.name))

    def saved_request(self, request_id: str) -> SavedRequest | None:
        """The saved request with this id, or None."""
        with self._lock:
            return self._saved.get(request_id)

    def _get_saved(self, request_id: str) -> SavedRequest:
        s = self._saved.get(request_id)
        if s is None:
            _fail("request", "This saved request no longer exists (it was deleted)")
        return s

    def _by_name(self, profile_id: str, name: str) -> SavedRequest | None:
        key = _fold(name)
        return next(
            (
                s
                for s in self._saved.values()
                if s.profile_id == profile_id and _fold(s.name) == key
            ),
            None,
        )

    def save_request(
        self, profile_id: str, name: str, method: str, path: str, data: str
    ) -> SavedRequest:
        """Save the composer's text under ``name`` (replacing a request of that name)."""
        with self._lock:
            self._get(profile_id)
            name = _clean_name(name, "Request")
            for label, text in (("Method", method), ("Path", path), ("Data", data)):
                _check_text("request", label, text)
            old = self._by_name(profile_id, name)
            s = SavedRequest(
                old.id if old else _new_id(), profile_id, name, method, path, data, self._clock()
            )
            self._commit(saved={**self._saved, s.id: s})
            return s

    def rename_request(self, request_id: str, name: str) -> SavedRequest:
        """Rename a saved request (the name must be free in its profile)."""
        with self._lock:
            s = self._get_saved(request_id)
            name = _clean_name(name, "Request")
            other = self._by_name(s.profile_id, name)
            if other is not None and other.id != s.id:
                _fail("name", f'A saved request named "{other.name}" already exists')
            s = replace(s, name=name, updated_at=self._clock())
            self._commit(saved={**self._saved, s.id: s})
            return s

    def delete_request(self, request_id: str) -> SavedRequest:
        """Delete a saved request; return what was deleted."""
        with self._lock:
            s = self._get_saved(request_id)
            self._commit(saved={k: v for k, v in self._saved.items() if k != request_id})
            return s

    def export_saved(self, profile_id: str) -> str:
        """A profile's saved requests as versioned JSON text (no token, no base URL)."""
        with self._lock:
            p = self._get(profile_id)
            doc = {
                "format": EXPORT_FORMAT,
                "version": EXPORT_VERSION,
                "service": p.name,
                "exported_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self._clock())),
                "requests": [
                    {"name": s.name, "method": s.method, "path": s.path, "data": s.data}
                    for s in self.saved_requests(profile_id)
                ],
            }
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"

    def import_saved(self, profile_id: str, text: str) -> ImportResult:
        """Add the requests of an :meth:`export_saved` text to a profile.

        A request whose name exists is replaced.  A file that is not such an
        export raises :class:`ValidationError` (field ``file``, with line and
        column for bad JSON) and changes nothing; a bad entry is skipped and
        described in :attr:`ImportResult.problems`.
        """
        with self._lock:
            self._get(profile_id)
            entries, problems = _read_export(text)
            saved = dict(self._saved)
            by_name = {_fold(s.name): s for s in self._saved.values() if s.profile_id == profile_id}
            added = replaced = 0
            now = self._clock()
            for name, method, path, data in entries:
                old = by_name.get(_fold(name))
                s = SavedRequest(
                    old.id if old else _new_id(), profile_id, name, method, path, data, now
                )
                if old is None:
                    added += 1
                else:
                    replaced += 1
                saved[s.id] = s
                by_name[_fold(name)] = s
            if entries:
                self._commit(saved=saved)
            return ImportResult(added, replaced, tuple(problems))

    # ------------------------------------------------------------------ drafts

    def _draft_path(self, profile_id: str | None) -> Path:
        key = _NO_PROFILE if profile_id is None else profile_id
        if not _ID_RE.match(key):
            _fail("profile", "not a valid service id")
        return self.drafts_dir / f"{key}.json"

    def save_draft(self, profile_id: str | None, draft: Draft) -> Draft:
        """Autosave the composer's text for a profile (None: no profile); returns it stamped.

        Skips the write when nothing changed since the last save.
        """
        with self._lock:
            path = self._draft_path(profile_id)
            key = path.stem
            stamped = replace(draft, saved_at=self._clock())
            last = self._drafts_written.get(key)
            if last is not None and replace(last, saved_at=0.0) == replace(draft, saved_at=0.0):
                return last
            for label, text in (
                ("Base URL", draft.base_url),
                ("Method", draft.method),
                ("Path", draft.path),
                ("Data", draft.data),
            ):
                _check_text("draft", label, text)
            record = {
                "format": "vessl-gui.draft",
                "version": 1,
                "base_url": stamped.base_url,
                "method": stamped.method,
                "path": stamped.path,
                "data": stamped.data,
                "saved_at": stamped.saved_at,
            }
            _atomic_write(path, json.dumps(record, ensure_ascii=False), "the draft")
            self._drafts_written[key] = stamped
            return stamped

    def load_draft(self, profile_id: str | None) -> Draft | None:
        """The autosaved draft of a profile, or None.  A damaged draft is moved aside."""
        with self._lock:
            path = self._draft_path(profile_id)
            try:
                text = _read_text(path, "the draft")
                if text is None:
                    return None
                raw = _parse_json(text)
                where = "the draft"
                _want(isinstance(raw, dict), where, "is not a JSON object")
                saved_at = raw.get("saved_at", 0.0)
                _want(isinstance(saved_at, (int, float)), where, "bad time")
                draft = Draft(
                    base_url=_str_field(raw, "base_url", where),
                    method=_str_field(raw, "method", where),
                    path=_str_field(raw, "path", where),
                    data=_str_field(raw, "data", where),
                    saved_at=float(saved_at),
                )
            except _Corrupt as exc:
                dest = _move_aside(path, "draft")
                self.notice = f"The autosaved draft {path} was damaged ({exc}); moved to {dest}."
                return None
            self._drafts_written[path.stem] = draft
            return draft

    def clear_draft(self, profile_id: str | None) -> None:
        """Forget the draft of a profile (after a send or save, or when it is deleted)."""
        with self._lock:
            path = self._draft_path(profile_id)
            self._drafts_written.pop(path.stem, None)
            try:
                path.unlink()
            except FileNotFoundError:
                pass
            except OSError as e:
                raise StorageError(f"Could not delete the draft {path}: {e.strerror or e}.") from e


_Entry = tuple[str, str, str, str]


def _read_export(text: str) -> tuple[list[_Entry], list[str]]:
    """(name, method, path, data) entries of an export text, and the skipped ones' problems."""

    def bad(message: str, line: int | None = None, column: int | None = None) -> NoReturn:
        raise ValidationError([FieldError("file", message, line, column)])

    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        bad(f"This file is not valid JSON: {e.msg}", e.lineno, e.colno)
    except (RecursionError, ValueError) as e:
        bad(f"This file is not readable JSON ({type(e).__name__})")
    if not isinstance(doc, dict) or doc.get("format") != EXPORT_FORMAT:
        bad(f'This is not a vessl-gui saved-requests file (no "format": "{EXPORT_FORMAT}")')
    version = doc.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        bad('The file has no valid "version"')
    if version > EXPORT_VERSION:
        bad(f"The file was made by a newer vessl-gui (version {version}); update vessl-gui")
    requests = doc.get("requests")
    if not isinstance(requests, list):
        bad('The file has no "requests" list')
    offsets = _item_offsets(text)
    entries: dict[str, _Entry] = {}
    problems: list[str] = []
    for i, raw in enumerate(requests):
        where = f"request {i + 1}"
        if i < len(offsets):
            line, col = _position(text, offsets[i])
            where += f" (line {line}, column {col})"
        try:
            _want(isinstance(raw, dict), where, "is not an object")
            name = _clean_name(_str_field(raw, "name", where), "Request")
            method = _str_field(raw, "method", where, optional=True) or "POST"
            path = _str_field(raw, "path", where, optional=True) or "/"
            data = raw.get("data")
            _want(isinstance(data, str), where, '"data" must be the JSON text as a string')
            for label, value in (("method", method), ("path", path), ("data", data)):
                _check_text("file", label, value)
        except _Corrupt as exc:
            problems.append(f"{exc}; skipped")
            continue
        except ValidationError as exc:
            problems.append(f"{where}: {exc.fields[0].message}; skipped")
            continue
        if _fold(name) in entries:
            problems.append(f'{where}: the name "{name}" appears twice; the last one was kept')
        entries[_fold(name)] = (name, method, path, data)
    return list(entries.values()), problems


def _item_offsets(text: str) -> list[int]:
    """Offsets of the items of the top-level ``"requests"`` array (best effort, [] on doubt)."""
    decoder = json.JSONDecoder()
    ws = re.compile(r"[ \t\n\r]*")

    def skip(i: int) -> int:
        m = ws.match(text, i)
        return m.end() if m else i

    try:
        i = skip(0) + 1
        while True:
            i = skip(i)
            if text[i] == "}":
                return []
            key, i = decoder.raw_decode(text, i)
            start = skip(skip(i) + 1)
            if key == "requests" and text[start] == "[":
                out: list[int] = []
                j = skip(start + 1)
                while text[j] != "]":
                    out.append(j)
                    _, j = decoder.raw_decode(text, j)
                    j = skip(j)
                    if text[j] == ",":
                        j = skip(j + 1)
                return out
            _, i = decoder.raw_decode(text, start)
            i = skip(i)
            if text[i] == ",":
                i += 1
    except (ValueError, IndexError, RecursionError):
        return []
