"""Keyring backends for tests (imported by tests/core/conftest.py and the test modules).

keyring registers every concrete ``KeyringBackend`` subclass in a global set
that ``keyring.get_keyring()`` chooses from; each fake is removed from it right
after its definition so it can never become the process's default keyring.
"""

from __future__ import annotations

from typing import TypeVar

import keyring.backend
import keyring.errors
from keyring.backends import chainer

_T = TypeVar("_T", bound=type)


def _unregister(cls: _T) -> _T:
    keyring.backend.KeyringBackend._classes.discard(cls)
    return cls


@_unregister
class MemoryKeyring(keyring.backend.KeyringBackend):
    """A working keyring that keeps entries in a dict keyed by (service, username)."""

    priority = 1  # a plain class attribute serves as keyring's "classproperty"

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self.entries[(service, username)]
        except KeyError:
            raise keyring.errors.PasswordDeleteError("No such password!") from None


@_unregister
class LockedKeyring(keyring.backend.KeyringBackend):
    """A keyring whose collection stays locked: every call raises KeyringLocked."""

    priority = 5

    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")

    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")


class DBusException(Exception):
    """Stands in for dbus/jeepney errors (not a keyring error at all)."""


@_unregister
class BrokenKeyring(keyring.backend.KeyringBackend):
    """A keyring whose D-Bus connection fails, and which quotes the password it was given."""

    priority = 5

    def get_password(self, service: str, username: str) -> str | None:
        raise DBusException("org.freedesktop.DBus.Error.NoReply: no reply")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.PasswordSetError(f"cannot store {password!r} for {username}")

    def delete_password(self, service: str, username: str) -> None:
        raise DBusException("org.freedesktop.DBus.Error.NoReply: no reply")


@_unregister
class StuckDeleteKeyring(MemoryKeyring):
    """Reads and writes work, but delete always claims failure."""

    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.PasswordDeleteError("Access denied")


@_unregister
class LowPriorityKeyring(MemoryKeyring):
    priority = 0


@_unregister
class UnavailableKeyring(MemoryKeyring):
    """A backend whose priority check raises, as SecretService does without D-Bus."""

    @property
    def priority(self) -> float:  # type: ignore[override]
        raise RuntimeError("The Secret Service daemon is neither running nor activatable")


@_unregister
class EmptyChainer(chainer.ChainerBackend):
    """keyring's chainer when no backend is viable."""

    backends: tuple[keyring.backend.KeyringBackend, ...] = ()
