"""The values of the services file: :class:`Profile`, :class:`SavedRequest`, :class:`Draft`.

All immutable records; :func:`token_key` names a profile's token in the keyring
(the token itself is never in any of them, nor is a secret variable's value).
"""

from __future__ import annotations

from vessl_gui.core.models import Timeouts
from vessl_gui.core.records import record
from vessl_gui.core.variables.model import Variable


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
    variables: tuple[Variable, ...] = ()
    """``{{name}}`` values for its requests, in table order.  A secret one's value is
    ``""`` here: it is in the keyring (:mod:`vessl_gui.core.profiles.secret_values`)."""

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
