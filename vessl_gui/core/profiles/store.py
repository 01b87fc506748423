"""The services file's store: profiles and saved requests in memory, on disk on every change.

:class:`ProfileStore` keeps everything in memory and rewrites the file on
every change (write a temporary file, fsync, ``os.replace``), so a crash
leaves either the old or the new file, never half of one.  Drafts live in
``<file>.drafts/<profile id>.json`` beside it (:mod:`.drafts`).  The file's
format is :mod:`.codec`'s; export and import of saved requests are
:mod:`.exchange`'s.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from vessl_gui.core.errors import FieldError, ValidationError
from vessl_gui.core.files import atomic_write
from vessl_gui.core.profiles.codec import read_services, services_text
from vessl_gui.core.profiles.drafts import DraftFiles
from vessl_gui.core.profiles.exchange import export_text, read_export
from vessl_gui.core.profiles.models import Draft, ImportResult, Profile, SavedRequest
from vessl_gui.core.profiles.rules import (
    clean_ca,
    clean_name,
    fold,
    free_name,
    new_id,
)
from vessl_gui.core.validation import check_unicode, fail, normalize_base_url, normalize_timeout
from vessl_gui.core.variables.model import Variable, clean_variables


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
        self._drafts = DraftFiles(self.drafts_dir, clock)
        loaded = read_services(self.path)
        self._profiles: dict[str, Profile] = loaded.profiles
        self._saved: dict[str, SavedRequest] = loaded.saved
        self._last: str | None = loaded.last
        self.notice: str | None = loaded.notice
        self.recovered_to: Path | None = loaded.recovered_to

    # ------------------------------------------------------------ load / save

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
        text = services_text(new_profiles, new_saved, new_last)
        atomic_write(self.path, text, "services")
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
        key = fold(" ".join(name.split()))
        with self._lock:
            return next((p for p in self._profiles.values() if fold(p.name) == key), None)

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
            fail("profile", "This service no longer exists (it was deleted)")
        return p

    def _unique_name(self, name: str, keep_id: str | None = None) -> None:
        key = fold(name)
        for p in self._profiles.values():
            if p.id != keep_id and fold(p.name) == key:
                fail("name", f'A service named "{p.name}" already exists')

    def _validated(self, p: Profile, known_ca: str | None = None) -> Profile:
        """``p`` with every field checked and normalised (every bad field named at once).

        The CA bundle must be a PEM file, unless it is ``known_ca`` (already accepted
        once): a missing bundle must not block a rename; the client reports it on use.
        """
        errors: list[FieldError] = []
        values: dict[str, Any] = {}
        checks: list[tuple[str, Callable[[], Any]]] = [
            ("name", lambda: clean_name(p.name, "Service")),
            ("base_url", lambda: normalize_base_url(p.base_url)),
            ("ca_bundle", lambda: clean_ca(p.ca_bundle, known_ca)),
            ("connect_timeout", lambda: normalize_timeout("connect_timeout", p.connect_timeout)),
            ("read_timeout", lambda: normalize_timeout("read_timeout", p.read_timeout)),
            ("variables", lambda: _stored(p.variables)),
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
                    new_id(), name, base_url, ca_bundle, verify_tls, connect_timeout, read_timeout
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

    def set_variables(self, profile_id: str, variables: Iterable[Variable]) -> Profile:
        """Replace a service's variables (checked by ``clean_variables``: every bad row
        named, field ``variables``, line = row); return the profile.

        Only the names of secret variables are kept (their values are dropped here):
        :func:`~vessl_gui.core.profiles.secret_values.save_variables` puts the values
        in the keyring and calls this.
        """
        with self._lock:
            return self.update_profile(replace(self._get(profile_id), variables=tuple(variables)))

    def rename_profile(self, profile_id: str, name: str) -> Profile:
        """Give a profile a new (unique) name."""
        with self._lock:
            return self.update_profile(replace(self._get(profile_id), name=name))

    def duplicate_profile(self, profile_id: str, name: str | None = None) -> Profile:
        """Copy a profile, its variables and saved requests (not its draft, not its token).

        ``name`` defaults to "<name> copy" (numbered when taken).  The caller
        copies the keyring token from ``token_key(old)`` to ``token_key(new)``, and
        the secret variables' values with ``secret_values.copy_secrets``.
        """
        with self._lock:
            src = self._get(profile_id)
            if name is None:
                name = free_name(f"{src.name} copy", (p.name for p in self._profiles.values()))
            p = self._validated(replace(src, id=new_id(), name=name), known_ca=src.ca_bundle)
            saved = dict(self._saved)
            for s in self._saved.values():
                if s.profile_id == src.id:
                    copy = replace(s, id=new_id(), profile_id=p.id)
                    saved[copy.id] = copy
            self._commit(profiles={**self._profiles, p.id: p}, saved=saved)
            return p

    def delete_profile(self, profile_id: str) -> Profile:
        """Delete a profile with its saved requests and draft; return what was deleted.

        The caller deletes the keyring token under ``token_key(profile)``, and the
        secret variables' values with ``secret_values.forget_secrets(…, profile)``.
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
        return sorted(found, key=lambda s: (fold(s.name), s.name))

    def saved_request(self, request_id: str) -> SavedRequest | None:
        """The saved request with this id, or None."""
        with self._lock:
            return self._saved.get(request_id)

    def _get_saved(self, request_id: str) -> SavedRequest:
        s = self._saved.get(request_id)
        if s is None:
            fail("request", "This saved request no longer exists (it was deleted)")
        return s

    def _by_name(self, profile_id: str, name: str) -> SavedRequest | None:
        key = fold(name)
        return next(
            (s for s in self._saved.values() if s.profile_id == profile_id and fold(s.name) == key),
            None,
        )

    def save_request(
        self, profile_id: str, name: str, method: str, path: str, data: str
    ) -> SavedRequest:
        """Save the composer's text under ``name`` (replacing a request of that name)."""
        with self._lock:
            self._get(profile_id)
            name = clean_name(name, "Request")
            for label, text in (("Method", method), ("Path", path), ("Data", data)):
                check_unicode("request", label, text)
            old = self._by_name(profile_id, name)
            s = SavedRequest(
                old.id if old else new_id(), profile_id, name, method, path, data, self._clock()
            )
            self._commit(saved={**self._saved, s.id: s})
            return s

    def rename_request(self, request_id: str, name: str) -> SavedRequest:
        """Rename a saved request (the name must be free in its profile)."""
        with self._lock:
            s = self._get_saved(request_id)
            name = clean_name(name, "Request")
            other = self._by_name(s.profile_id, name)
            if other is not None and other.id != s.id:
                fail("name", f'A saved request named "{other.name}" already exists')
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
            requests, now = self.saved_requests(profile_id), self._clock()
        return export_text(p.name, requests, now)

    def import_saved(self, profile_id: str, text: str) -> ImportResult:
        """Add the requests of an :meth:`export_saved` text to a profile.

        A request whose name exists is replaced.  A file that is not such an
        export raises :class:`ValidationError` (field ``file``, with line and
        column for bad JSON) and changes nothing; a bad entry is skipped and
        described in :attr:`ImportResult.problems`.
        """
        with self._lock:
            self._get(profile_id)
            entries, problems = read_export(text)
            saved = dict(self._saved)
            by_name = {fold(s.name): s for s in self._saved.values() if s.profile_id == profile_id}
            added = replaced = 0
            now = self._clock()
            for name, method, path, data in entries:
                old = by_name.get(fold(name))
                s = SavedRequest(
                    old.id if old else new_id(), profile_id, name, method, path, data, now
                )
                if old is None:
                    added += 1
                else:
                    replaced += 1
                saved[s.id] = s
                by_name[fold(name)] = s
            if entries:
                self._commit(saved=saved)
            return ImportResult(added, replaced, tuple(problems))

    # ------------------------------------------------------------------ drafts

    def save_draft(self, profile_id: str | None, draft: Draft) -> Draft:
        """Autosave the composer's text for a profile (None: no profile); returns it stamped.

        Skips the write when nothing changed since the last save.
        """
        with self._lock:
            return self._drafts.save(profile_id, draft)

    def load_draft(self, profile_id: str | None) -> Draft | None:
        """The autosaved draft of a profile, or None.  A damaged draft is moved aside."""
        with self._lock:
            draft, notice = self._drafts.load(profile_id)
            if notice is not None:
                self.notice = notice
            return draft

    def clear_draft(self, profile_id: str | None) -> None:
        """Forget the draft of a profile (after a send or save, or when it is deleted)."""
        with self._lock:
            self._drafts.clear(profile_id)


def _stored(variables: Iterable[Variable]) -> tuple[Variable, ...]:
    """The variables checked, as the services file keeps them: secrets by name only."""
    rows = clean_variables(variables)
    return tuple(Variable(v.name, "", True) if v.secret else v for v in rows)
