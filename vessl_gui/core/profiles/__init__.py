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

A profile's variables (``{{name}}`` values, :mod:`vessl_gui.core.variables`)
are in the file too, except the values of secret ones: those are in the
keyring under :func:`variable_key` (``"var:<id>:<name>"``), read and written by
:mod:`.secret_values` (:func:`read_variables`, :func:`save_variables`).

The modules: :mod:`.models` (the records), :mod:`.rules` (what a field may
hold), :mod:`.codec` (the services file's document), :mod:`.drafts` (the draft
files), :mod:`.exchange` (export/import of saved requests), :mod:`.store`
(:class:`ProfileStore`), :mod:`.secret_values` (secret variables in the keyring).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from vessl_gui.core.lazy import lazy_exports

if TYPE_CHECKING:
    from vessl_gui.core.profiles.codec import FILE_FORMAT, FILE_VERSION
    from vessl_gui.core.profiles.exchange import EXPORT_FORMAT, EXPORT_VERSION
    from vessl_gui.core.profiles.models import Draft, ImportResult, Profile, SavedRequest, token_key
    from vessl_gui.core.profiles.rules import MAX_NAME
    from vessl_gui.core.profiles.secret_values import (
        SecretStore,
        VariablesSaved,
        VariableValues,
        copy_secrets,
        forget_secrets,
        read_variables,
        save_variables,
        variable_key,
    )
    from vessl_gui.core.profiles.store import ProfileStore

__getattr__ = lazy_exports(
    __name__,
    globals(),
    {
        "FILE_FORMAT": "codec",
        "FILE_VERSION": "codec",
        "EXPORT_FORMAT": "exchange",
        "EXPORT_VERSION": "exchange",
        "Draft": "models",
        "ImportResult": "models",
        "Profile": "models",
        "SavedRequest": "models",
        "token_key": "models",
        "MAX_NAME": "rules",
        "SecretStore": "secret_values",
        "VariablesSaved": "secret_values",
        "VariableValues": "secret_values",
        "copy_secrets": "secret_values",
        "forget_secrets": "secret_values",
        "read_variables": "secret_values",
        "save_variables": "secret_values",
        "variable_key": "secret_values",
        "ProfileStore": "store",
    },
)

__all__ = [
    "EXPORT_FORMAT",
    "EXPORT_VERSION",
    "FILE_FORMAT",
    "FILE_VERSION",
    "MAX_NAME",
    "Draft",
    "ImportResult",
    "Profile",
    "ProfileStore",
    "SavedRequest",
    "SecretStore",
    "VariableValues",
    "VariablesSaved",
    "copy_secrets",
    "forget_secrets",
    "read_variables",
    "save_variables",
    "token_key",
    "variable_key",
]
