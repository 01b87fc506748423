"""Tokens in the system keyring, and a session-only fallback in memory.

:class:`TokenStore` keeps one keyring entry per key (a normalised base URL
now, a profile name later) under one service name, with the key as the
entry's user name.  When no backend works it says so (:meth:`TokenStore.status`,
:class:`~vessl_gui.core.errors.KeyringUnavailableError`); the UI then keeps the
token in :class:`SessionTokens` for this session only.  No token is ever
written to a file, and no error message ever contains a token.

So that start-up need not load the keyring library (~13 MB, ~80 ms and a
D-Bus round trip) just to learn whether a token is saved, a :class:`TokenStore`
given an ``index`` file keeps there the *keys* (base URLs) that have a token in
the keyring: a hint for the UI (:meth:`TokenStore.saved_hint`), corrected
whenever the keyring itself is asked.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Final, TypeVar

from .errors import CredentialError, KeyringUnavailableError
from .models import KeyringStatus

if TYPE_CHECKING:  # keyring itself is imported on first use: it costs ~90 ms and ~20 MB
    from keyring.backend import KeyringBackend

DEFAULT_SERVICE: Final = "vessl-gui"
_SESSION_ONLY: Final = "The token will be kept for this session only."
NO_KEYRING_REASON: Final = (
    "No system keyring found (no Secret Service, KWallet, macOS Keychain or "
    f"Windows Credential Locker). {_SESSION_ONLY}"
)
_PROBE_KEY: Final = "vessl-gui-probe"
_T = TypeVar("_T")

#: Human names by backend module (last component, lower case) or class name.
_NAMES: Final = {
    "secretservice": "Secret Service",
    "libsecret": "Secret Service (libsecret)",
    "kwallet": "KWallet",
    "macos": "macOS Keychain",
    "windows": "Windows Credential Locker",
    "fail": "No keyring",
    "null": "Keyring disabled",
}


def backend_name(backend: KeyringBackend) -> str:
    """A human name for a keyring backend, e.g. "Secret Service"; else its class name."""
    from keyring.backends import chainer

    cls = type(backend)
    module = cls.__module__.rpartition(".")[2].lower()
    if cls.__module__.startswith("keyring.backends.") and module in _NAMES:
        return _NAMES[module]
    if isinstance(backend, chainer.ChainerBackend):
        names = [backend_name(b) for b in backend.backends]
        return " + ".join(names) if names else "No keyring"
    return cls.__name__


def _static_problem(backend: KeyringBackend) -> str | None:
    """Why this backend can never work (without asking it anything), or None."""
    from keyring.backends import chainer, fail, null

    cls = type(backend)
    if isinstance(backend, fail.Keyring):
        return NO_KEYRING_REASON
    if isinstance(backend, null.Keyring):
        return f"The keyring is disabled (keyring's null backend is configured). {_SESSION_ONLY}"
    if cls.__module__.startswith("keyrings.alt.file"):  # a plain or terminal-prompting file
        return (
            f"The configured keyring ({cls.__name__}) stores secrets in a file, which "
            f"vessl-gui does not use. {_SESSION_ONLY}"
        )
    if isinstance(backend, chainer.ChainerBackend) and not backend.backends:
        return NO_KEYRING_REASON
    return None


def _describe(exc: BaseException, secret: str = "") -> str:
    """``ClassName: message``, with ``secret`` scrubbed and the length bounded."""
    text = str(exc).strip()
    if secret:
        text = text.replace(secret, "***")
    if len(text) > 300:
        text = text[:300] + "..."
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class TokenStore:
    """Tokens in the system keyring, one entry per key under ``service``.

    ``backend=None`` uses ``keyring.get_keyring()``, looked up on first use (not
    here) so start-up stays fast.  Calls may block (D-Bus, an unlock prompt):
    make them off the GUI thread.  Every method raises
    :class:`KeyringUnavailableError` when no backend is usable and
    :class:`CredentialError` when the backend fails; neither carries the token.
    """

    def __init__(
        self,
        backend: KeyringBackend | None = None,
        service: str = DEFAULT_SERVICE,
        *,
        index: str | os.PathLike[str] | None = None,
    ) -> None:
        self._backend = backend
        self.service = service
        self._lock = threading.Lock()
        self._index_path = Path(index) if index is not None else None
        self._index: set[str] | None = None

    @property
    def loaded(self) -> bool:
        """Whether the keyring backend is already in use (asking it is then cheap)."""
        return self._backend is not None

    def saved_hint(self, key: str) -> bool | None:
        """Whether ``key`` has a token in the keyring, from the index file, without
        loading the keyring; None when there is no index (an older install, or none
        configured): then only asking the keyring can tell."""
        keys = self._read_index()
        return None if keys is None else key in keys

    def _read_index(self) -> set[str] | None:
        with self._lock:
            if self._index is None and self._index_path is not None:
                try:
                    raw = json.loads(self._index_path.read_text(encoding="utf-8"))
                    keys = raw.get("saved") if isinstance(raw, dict) else None
                    if isinstance(keys, list):
                        self._index = {k for k in keys if isinstance(k, str)}
                except (OSError, ValueError):
                    pass  # missing or unreadable: unknown, and rewritten on the next change
            return None if self._index is None else set(self._index)

    def _note(self, key: str, saved: bool) -> None:
        """Record in the index that ``key`` has (or has not) a token in the keyring."""
        if self._index_path is None:
            return
        self._read_index()
        with self._lock:
            keys = set(self._index or ())
            if self._index is not None and (key in keys) == saved:
                return
            keys = keys | {key} if saved else keys - {key}
            self._index = keys
            text = json.dumps({"version": 1, "saved": sorted(keys)}, indent=1) + "\n"
            tmp = self._index_path.with_name(self._index_path.name + ".tmp")
            with contextlib.suppress(OSError):  # only a hint: the keyring stays the truth
                self._index_path.parent.mkdir(parents=True, exist_ok=True)
                tmp.write_text(text, encoding="utf-8")
                os.replace(tmp, self._index_path)

    @property
    def backend(self) -> KeyringBackend:
        with self._lock:
            if self._backend is None:
                import keyring

                self._backend = keyring.get_keyring()
            return self._backend

    def status(self) -> KeyringStatus:
        """Whether tokens can be kept in the keyring, with a reason when not.

        Asks the backend for a probe entry, so a locked keyring may prompt the
        user to unlock it (and answers "not usable" if they refuse).
        """
        try:
            backend = self.backend
        except Exception as e:  # keyring's own start-up failed
            return KeyringStatus(False, "No keyring", f"{NO_KEYRING_REASON} ({_describe(e)})")
        name = backend_name(backend)
        problem = _static_problem(backend)
        if problem is not None:
            return KeyringStatus(False, name, problem)
        try:
            priority = float(backend.priority)
        except Exception as e:
            reason = f"{name} is not available ({_describe(e)}). {_SESSION_ONLY}"
            return KeyringStatus(False, name, reason)
        if priority <= 0:
            reason = f"{name} is not recommended on this system. {_SESSION_ONLY}"
            return KeyringStatus(False, name, reason)
        try:
            backend.get_password(self.service, _PROBE_KEY)
        except Exception as e:
            reason = f"{name} did not answer ({_describe(e)}). {_SESSION_ONLY}"
            return KeyringStatus(False, name, reason)
        return KeyringStatus(True, name)

    def _usable(self) -> KeyringBackend:
        try:
            backend = self.backend
        except Exception as e:
            error = KeyringUnavailableError(f"{NO_KEYRING_REASON} ({_describe(e)})")
        else:
            problem = _static_problem(backend)
            if problem is None:
                return backend
            error = KeyringUnavailableError(problem)
        raise error

    def _call(
        self, doing: str, key: str, call: Callable[[KeyringBackend], _T], secret: str = ""
    ) -> _T:
        """Run ``call`` on the backend; wrap its failure in a CredentialError.

        The new error is raised outside the ``except`` block, so it has no
        ``__context__``: the backend's own exception (whose message might quote
        the token) is not kept anywhere a traceback printer would find it.
        """
        import keyring.errors

        backend = self._usable()
        try:
            return call(backend)
        except Exception as e:
            what = _describe(e, secret)
            unavailable = isinstance(e, keyring.errors.NoKeyringError) or (
                type(e).__name__ == "SecretServiceNotAvailableException"
            )
            locked = isinstance(e, keyring.errors.KeyringLocked)
        if unavailable:
            raise KeyringUnavailableError(f"{NO_KEYRING_REASON} ({what})")
        state = "The keyring is locked: could not" if locked else "The keyring could not"
        raise CredentialError(f"{state} {doing} the token for {key} ({what}).")

    def get(self, key: str) -> str | None:
        """The token stored for ``key``, or None."""
        token = self._call("read", key, lambda b: b.get_password(self.service, key))
        self._note(key, token is not None)
        return token

    def set(self, key: str, token: str) -> None:
        """Store ``token`` for ``key``, replacing any previous one."""
        if not key or not token:
            raise ValueError("TokenStore.set needs a non-empty key and token (use delete())")
        self._call("save", key, lambda b: b.set_password(self.service, key, token), token)
        self._note(key, True)

    def delete(self, key: str) -> bool:
        """Forget the token for ``key``; False when there was none."""

        import keyring.errors

        def delete(backend: KeyringBackend) -> bool:
            try:
                backend.delete_password(self.service, key)
                return True
            except keyring.errors.PasswordDeleteError:
                # most backends say "not found" this way: check that nothing is there
                if backend.get_password(self.service, key) is None:
                    return False
                raise

        removed = self._call("delete", key, delete)
        self._note(key, False)
        return removed


class SessionTokens:
    """Tokens kept in memory for this session only (when no keyring works).

    Thread-safe; never written anywhere; ``repr`` shows the keys, not the tokens.
    """

    def __init__(self) -> None:
        self._tokens: dict[str, str] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> str | None:
        with self._lock:
            return self._tokens.get(key)

    def set(self, key: str, token: str) -> None:
        with self._lock:
            self._tokens[key] = token

    def delete(self, key: str) -> bool:
        with self._lock:
            return self._tokens.pop(key, None) is not None

    def clear(self) -> None:
        with self._lock:
            self._tokens.clear()

    def __contains__(self, key: object) -> bool:
        with self._lock:
            return key in self._tokens

    def __len__(self) -> int:
        with self._lock:
            return len(self._tokens)

    def __iter__(self) -> Iterator[str]:
        with self._lock:
            return iter(list(self._tokens))

    def __repr__(self) -> str:
        return f"SessionTokens(keys={sorted(self._tokens)!r})"
