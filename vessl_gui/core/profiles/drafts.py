"""Autosaved drafts: one small JSON file a profile in ``<services file>.drafts/``.

Kept beside the services file, not in it, so autosaving a large payload does
not rewrite the services file.  A damaged draft is moved aside to
``<id>.json.corrupt-<time>`` (never deleted).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Final

from vessl_gui.core.errors import StorageError
from vessl_gui.core.files import atomic_write, move_aside
from vessl_gui.core.profiles.codec import Corrupt, parse_json, read_text, str_field, want
from vessl_gui.core.profiles.models import Draft
from vessl_gui.core.profiles.rules import ID_RE
from vessl_gui.core.validation import check_unicode, fail

NO_PROFILE: Final = "_none"
"""The draft file's name (without ``.json``) when no profile is selected."""


class DraftFiles:
    """The draft files in ``directory``; not locked (:class:`ProfileStore` holds its lock)."""

    def __init__(self, directory: Path, clock: Callable[[], float]) -> None:
        self.directory = directory
        self._clock = clock
        self._written: dict[str, Draft] = {}

    def path(self, profile_id: str | None) -> Path:
        """The draft file of a profile (None: no profile)."""
        key = NO_PROFILE if profile_id is None else profile_id
        if not ID_RE.match(key):
            fail("profile", "not a valid service id")
        return self.directory / f"{key}.json"

    def save(self, profile_id: str | None, draft: Draft) -> Draft:
        """Write the draft (skipped when nothing changed since the last save); return it stamped."""
        path = self.path(profile_id)
        key = path.stem
        stamped = replace(draft, saved_at=self._clock())
        last = self._written.get(key)
        if last is not None and replace(last, saved_at=0.0) == replace(draft, saved_at=0.0):
            return last
        for label, text in (
            ("Base URL", draft.base_url),
            ("Method", draft.method),
            ("Path", draft.path),
            ("Data", draft.data),
        ):
            check_unicode("draft", label, text)
        record = {
            "format": "vessl-gui.draft",
            "version": 1,
            "base_url": stamped.base_url,
            "method": stamped.method,
            "path": stamped.path,
            "data": stamped.data,
            "saved_at": stamped.saved_at,
        }
        atomic_write(path, json.dumps(record, ensure_ascii=False), "the draft")
        self._written[key] = stamped
        return stamped

    def load(self, profile_id: str | None) -> tuple[Draft | None, str | None]:
        """(the draft or None, a notice when a damaged draft was moved aside, else None)."""
        path = self.path(profile_id)
        try:
            text = read_text(path, "the draft")
            if text is None:
                return None, None
            raw = parse_json(text)
            where = "the draft"
            want(isinstance(raw, dict), where, "is not a JSON object")
            saved_at = raw.get("saved_at", 0.0)
            want(isinstance(saved_at, (int, float)), where, "bad time")
            draft = Draft(
                base_url=str_field(raw, "base_url", where),
                method=str_field(raw, "method", where),
                path=str_field(raw, "path", where),
                data=str_field(raw, "data", where),
                saved_at=float(saved_at),
            )
        except Corrupt as exc:
            dest = move_aside(path, "draft")
            return None, f"The autosaved draft {path} was damaged ({exc}); moved to {dest}."
        self._written[path.stem] = draft
        return draft, None

    def clear(self, profile_id: str | None) -> None:
        """Delete the draft file of a profile (missing is fine)."""
        path = self.path(profile_id)
        self._written.pop(path.stem, None)
        try:
            path.unlink()
        except FileNotFoundError:
            pass
        except OSError as e:
            raise StorageError(f"Could not delete the draft {path}: {e.strerror or e}.") from e
