"""Secret variables' values in the keyring, beside the services file that names them.

A service's plain variables are in the services file; a secret one is there by
name only, and its value is a keyring entry of the
:class:`~vessl_gui.core.credentials.TokenStore` under :func:`variable_key`
(``"var:<profile id>:<name>"``).  Such a key can never be a token's (those are
normalised ``http(s)://`` base URLs), so the tokens' entries, the
``saved-tokens.json`` index and the UI's "token saved" hint are untouched: the
index lists the variable's key too, so ``TokenStore.saved_hint(variable_key(…))``
tells without opening the keyring whether a value is saved.

Every function here may block (D-Bus, an unlock prompt): the UI runs them on a
thread.  They take any :class:`SecretStore` (a ``TokenStore``, or the session-only
``SessionTokens`` when no keyring works).  Keyring failures raise
:class:`~vessl_gui.core.errors.CredentialError` naming the variable, never its value.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import field
from typing import Final, Protocol

from vessl_gui.core.errors import (
    CredentialError,
    FieldError,
    KeyringUnavailableError,
    MissingSecretError,
    ValidationError,
)
from vessl_gui.core.profiles.models import Profile
from vessl_gui.core.profiles.store import ProfileStore
from vessl_gui.core.records import record
from vessl_gui.core.text import utf16_len
from vessl_gui.core.validation import fail
from vessl_gui.core.variables.model import FIELD, Variable, clean_variables

KEY_PREFIX: Final = "var:"
_WINDOWS_LIMIT: Final = 1280
"""UTF-16 units Windows' Credential Locker keeps in one entry (2 560 bytes)."""


class SecretStore(Protocol):
    """Where secret values live: ``TokenStore`` and ``SessionTokens`` both are one."""

    def get(self, key: str) -> str | None: ...

    def set(self, key: str, token: str) -> None: ...

    def delete(self, key: str) -> bool: ...


def variable_key(profile: Profile | str, name: str) -> str:
    """The keyring key of a secret variable's value: ``"var:<profile id>:<name>"``."""
    pid = profile if isinstance(profile, str) else profile.id
    return f"{KEY_PREFIX}{pid}:{name}"


@record
class VariableValues:
    """A service's variables with their secret values read (:func:`read_variables`)."""

    variables: tuple[Variable, ...] = field(repr=False)
    """In table order; a secret whose value is missing has ``""``."""
    missing: tuple[str, ...]
    """Secret variables that have no value in the keyring."""
    service: str = ""
    """The service's name, for the message."""

    def require(self) -> tuple[Variable, ...]:
        """:attr:`variables`, or :class:`MissingSecretError` when a value is missing."""
        if self.missing:
            names = ", ".join(f'"{n}"' for n in self.missing)
            one = len(self.missing) == 1
            service = self.service or "the service"
            what = f"The secret variable{'' if one else 's'} {names} of {service}"
            raise MissingSecretError(
                f"{what} {'has' if one else 'have'} no value in the keyring (removed there, or "
                "kept for a session only): set it again in the service's variables.",
                self.missing,
            )
        return self.variables


def read_variables(
    profile: Profile, secrets: SecretStore, names: Iterable[str] | None = None
) -> VariableValues:
    """A service's variables with the values of its secret ones read from ``secrets``.

    ``names``: the variables a request uses (``{r.name for r in references(…)}``):
    only those secrets are read (a request without secrets does not touch the
    keyring) and returned; None reads them all (the service dialog).  Plain
    variables are always returned.  Raises :class:`CredentialError` when the
    keyring fails; a missing value is in :attr:`VariableValues.missing`.
    """
    wanted = None if names is None else set(names)
    out: list[Variable] = []
    missing: list[str] = []
    for v in profile.variables:
        if not v.secret:
            out.append(v)
            continue
        if wanted is not None and v.name not in wanted:
            continue
        value = _get(secrets, variable_key(profile, v.name), v.name)
        if value is None:
            missing.append(v.name)
        out.append(Variable(v.name, value or "", True))
    return VariableValues(tuple(out), tuple(missing), profile.name)


@record
class VariablesSaved:
    """What :func:`save_variables` did."""

    profile: Profile
    notice: str | None = None
    """A sentence when old secret values could not be removed from the keyring."""


def save_variables(
    store: ProfileStore, secrets: SecretStore, profile_id: str, variables: Iterable[Variable]
) -> VariablesSaved:
    """Replace a service's variables: secret values into ``secrets``, the rest into the file.

    The table is checked first (``clean_variables``; nothing is written when it is
    bad).  A secret whose value is ``""`` and that already was a secret of that name
    keeps its saved value (the dialog shows secrets as blank "unchanged" fields);
    a new secret needs a value.  The values are written before the file, so the
    file never names a secret whose new value was not saved; a secret no longer
    there (removed, renamed, made plain) is deleted from the keyring after the
    file was written, best effort (:attr:`VariablesSaved.notice` says when not).
    """
    rows = clean_variables(variables)
    old = store.profile(profile_id)
    if old is None:
        fail("profile", "This service no longer exists (it was deleted)")
    was_secret = {v.name for v in old.variables if v.secret}
    needed = [
        FieldError(FIELD, f"The secret variable {v.name!r} needs a value", row, 2)
        for row, v in enumerate(rows, start=1)
        if v.secret and not v.value and v.name not in was_secret
    ]
    if needed:
        raise ValidationError(needed)
    for v in rows:
        if v.secret and v.value:
            _set(secrets, variable_key(profile_id, v.name), v)
    profile = store.set_variables(profile_id, rows)
    stale = sorted(was_secret - {v.name for v in rows if v.secret})
    return VariablesSaved(profile, _delete_all(secrets, profile_id, stale, old.name))


def forget_secrets(secrets: SecretStore, profile: Profile) -> str | None:
    """Delete the secret values of a deleted service (``ProfileStore.delete_profile``'s
    answer), best effort: a sentence when some could not be removed, else None."""
    names = [v.name for v in profile.variables if v.secret]
    return _delete_all(secrets, profile.id, names, profile.name)


def copy_secrets(secrets: SecretStore, source: Profile, copy: Profile) -> tuple[str, ...]:
    """Give a duplicated service (``ProfileStore.duplicate_profile``) the secret values of
    its source; returns the secrets that had no value to copy.  Raises
    :class:`CredentialError` when the keyring fails."""
    missing: list[str] = []
    for v in source.variables:
        if not v.secret:
            continue
        value = _get(secrets, variable_key(source, v.name), v.name)
        if value:
            _set(secrets, variable_key(copy, v.name), Variable(v.name, value, True))
        else:
            missing.append(v.name)
    return tuple(missing)


def _get(secrets: SecretStore, key: str, name: str) -> str | None:
    try:
        return secrets.get(key)
    except KeyringUnavailableError as exc:
        raise KeyringUnavailableError(
            f"The secret variable {name!r} cannot be read: {exc.message}"
        ) from None
    except CredentialError as exc:
        raise CredentialError(
            f"Could not read the secret variable {name!r}: {exc.message}"
        ) from None


def _set(secrets: SecretStore, key: str, v: Variable) -> None:
    try:
        secrets.set(key, v.value)
    except KeyringUnavailableError as exc:
        raise KeyringUnavailableError(
            f"The secret variable {v.name!r} cannot be saved: {exc.message}"
        ) from None
    except CredentialError as exc:
        hint = ""
        if utf16_len(v.value) > _WINDOWS_LIMIT:
            hint = f" (some keyrings keep at most {_WINDOWS_LIMIT} characters, e.g. Windows')"
        raise CredentialError(
            f"Could not save the secret variable {v.name!r}: {exc.message}{hint}"
        ) from None


def _delete_all(
    secrets: SecretStore, profile_id: str, names: list[str], service: str
) -> str | None:
    failed: list[str] = []
    for name in names:
        try:
            secrets.delete(variable_key(profile_id, name))
        except CredentialError:
            failed.append(name)
    if not failed:
        return None
    listed = ", ".join(repr(n) for n in failed)
    return (
        f"The old values of {listed} ({service}) could not be removed from the keyring; "
        f"remove the entries {KEY_PREFIX}{profile_id}:… there if you wish."
    )
