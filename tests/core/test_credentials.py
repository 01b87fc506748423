"""TokenStore over fake keyring backends, and SessionTokens."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import keyring
import keyring.backends.SecretService
import pytest
from keyring.backends import fail, null

from tests.fakes import (
    BrokenKeyring,
    EmptyChainer,
    LockedKeyring,
    LowPriorityKeyring,
    MemoryKeyring,
    StuckDeleteKeyring,
    UnavailableKeyring,
)
from vessl_gui.core.credentials import (
    DEFAULT_SERVICE,
    NO_KEYRING_REASON,
    SessionTokens,
    TokenStore,
    backend_name,
)
from vessl_gui.core.errors import CredentialError, KeyringUnavailableError

TOKEN = "tok_CANARY-9f3a1c"
KEY = "https://serve-api.vessl.ai/api/v1/services/demo"


def assert_no_token(exc: BaseException, token: str = TOKEN) -> None:
    """Neither the error nor anything chained to it mentions the token."""
    seen: BaseException | None = exc
    while seen is not None:
        assert token not in str(seen)
        assert token not in repr(seen)
        assert all(token not in str(a) for a in seen.args)
        seen = seen.__cause__ or seen.__context__
    assert exc.__cause__ is None and exc.__context__ is None


# ------------------------------------------------------------ working backend
def test_round_trip(memory_keyring: MemoryKeyring) -> None:
    store = TokenStore(memory_keyring)
    assert store.get(KEY) is None
    store.set(KEY, TOKEN)
    assert store.get(KEY) == TOKEN
    assert memory_keyring.entries == {(DEFAULT_SERVICE, KEY): TOKEN}  # one entry, user = key
    store.set(KEY, "second")
    assert store.get(KEY) == "second"
    assert len(memory_keyring.entries) == 1
    assert store.delete(KEY) is True
    assert store.get(KEY) is None
    assert store.delete(KEY) is False  # nothing stored: not an error


def test_keys_and_services_are_separate(memory_keyring: MemoryKeyring) -> None:
    a = TokenStore(memory_keyring)
    b = TokenStore(memory_keyring, service="other-app")
    a.set("one", "t1")
    a.set("two", "t2")
    b.set("one", "b1")
    assert (a.get("one"), a.get("two"), b.get("one"), b.get("two")) == ("t1", "t2", "b1", None)
    assert a.delete("one")
    assert b.get("one") == "b1"


def test_unicode_token(memory_keyring: MemoryKeyring) -> None:
    store = TokenStore(memory_keyring)
    store.set(KEY, "ключ-🔑-秘密")
    assert store.get(KEY) == "ключ-🔑-秘密"


def test_set_rejects_empty(memory_keyring: MemoryKeyring) -> None:
    store = TokenStore(memory_keyring)
    with pytest.raises(ValueError):
        store.set(KEY, "")
    with pytest.raises(ValueError):
        store.set("", TOKEN)
    assert memory_keyring.entries == {}


def test_status_usable(memory_keyring: MemoryKeyring) -> None:
    status = TokenStore(memory_keyring).status()
    assert status.usable
    assert status.backend_name == "MemoryKeyring"
    assert status.reason == ""


def test_backend_resolved_lazily(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    backend = MemoryKeyring()

    def fake_get_keyring() -> MemoryKeyring:
        calls.append(1)
        return backend

    monkeypatch.setattr(keyring, "get_keyring", fake_get_keyring)
    store = TokenStore()
    assert calls == []  # not at construction
    store.set(KEY, TOKEN)
    assert store.get(KEY) == TOKEN
    assert store.status().usable
    assert calls == [1]  # once, then cached
    assert store.backend is backend


def test_default_backend_failing_to_load(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> None:
        raise RuntimeError("config file unreadable")

    monkeypatch.setattr(keyring, "get_keyring", broken)
    store = TokenStore()
    status = store.status()
    assert not status.usable and "config file unreadable" in status.reason
    with pytest.raises(KeyringUnavailableError):
        store.get(KEY)


# ------------------------------------------------------------ no usable backend
@pytest.mark.parametrize(
    ("backend", "name", "reason"),
    [
        (fail.Keyring(), "No keyring", NO_KEYRING_REASON),
        (null.Keyring(), "Keyring disabled", "disabled"),
        (EmptyChainer(), "No keyring", NO_KEYRING_REASON),
    ],
    ids=["fail", "null", "empty-chainer"],
)
def test_no_keyring(backend: keyring.backend.KeyringBackend, name: str, reason: str) -> None:
    store = TokenStore(backend)
    status = store.status()
    assert not status.usable
    assert status.backend_name == name
    assert reason in status.reason
    assert "session only" in status.reason
    for call in (lambda: store.get(KEY), lambda: store.set(KEY, TOKEN), lambda: store.delete(KEY)):
        with pytest.raises(KeyringUnavailableError) as info:
            call()
        assert info.value.kind == "no_keyring"
        assert "session only" in info.value.message
        assert TOKEN not in str(info.value)


def test_no_keyring_reason_is_plain() -> None:
    reason = TokenStore(fail.Keyring()).status().reason
    assert reason == (
        "No system keyring found (no Secret Service, KWallet, macOS Keychain or Windows "
        "Credential Locker). The token will be kept for this session only."
    )


def test_low_priority_is_unusable() -> None:
    status = TokenStore(LowPriorityKeyring()).status()
    assert not status.usable
    assert "not recommended" in status.reason


def test_priority_raising_is_unusable() -> None:
    status = TokenStore(UnavailableKeyring()).status()
    assert not status.usable
    assert status.backend_name == "UnavailableKeyring"
    assert "RuntimeError" in status.reason
    assert "neither running nor activatable" in status.reason


# ------------------------------------------------------------ failing backends
def test_locked_keyring() -> None:
    store = TokenStore(LockedKeyring())
    status = store.status()
    assert not status.usable
    assert "KeyringLocked" in status.reason
    assert "session only" in status.reason
    for doing, call in [
        ("read", lambda: store.get(KEY)),
        ("save", lambda: store.set(KEY, TOKEN)),
        ("delete", lambda: store.delete(KEY)),
    ]:
        with pytest.raises(CredentialError) as info:
            call()
        err = info.value
        assert not isinstance(err, KeyringUnavailableError)
        assert err.kind == "keyring"
        assert "locked" in err.message and doing in err.message
        assert "KeyringLocked" in err.message
        assert KEY in err.message
        assert_no_token(err)


def test_backend_errors_are_wrapped_without_token() -> None:
    store = TokenStore(BrokenKeyring())
    with pytest.raises(CredentialError) as info:
        store.set(KEY, TOKEN)  # the backend's message quotes the token
    assert "PasswordSetError" in info.value.message
    assert "***" in info.value.message
    assert_no_token(info.value)
    with pytest.raises(CredentialError) as info:
        store.get(KEY)
    assert "DBusException" in info.value.message and "NoReply" in info.value.message
    with pytest.raises(CredentialError, match="DBusException"):
        store.delete(KEY)
    status = store.status()
    assert not status.usable and "DBusException" in status.reason


def test_secret_service_not_available_means_no_keyring() -> None:
    class SecretServiceNotAvailableException(Exception):
        pass

    class NoDaemon(MemoryKeyring):
        def get_password(self, service: str, username: str) -> str | None:
            raise SecretServiceNotAvailableException(
                "Environment variable DBUS_SESSION_BUS_ADDRESS"
            )

    keyring.backend.KeyringBackend._classes.discard(NoDaemon)
    with pytest.raises(KeyringUnavailableError):
        TokenStore(NoDaemon()).get(KEY)


def test_delete_failure_when_entry_remains() -> None:
    backend = StuckDeleteKeyring()
    store = TokenStore(backend)
    assert store.delete(KEY) is False  # nothing there: the error meant "not found"
    store.set(KEY, TOKEN)
    with pytest.raises(CredentialError, match="PasswordDeleteError: Access denied") as info:
        store.delete(KEY)
    assert_no_token(info.value)
    assert store.get(KEY) == TOKEN


def test_backend_names() -> None:
    assert backend_name(keyring.backends.SecretService.Keyring()) == "Secret Service"
    assert backend_name(fail.Keyring()) == "No keyring"

    def fake(module: str, name: str) -> object:
        return type(name, (), {"__module__": module})()

    assert backend_name(fake("keyring.backends.kwallet", "DBusKeyring")) == "KWallet"  # type: ignore[arg-type]
    assert backend_name(fake("keyring.backends.macOS", "Keyring")) == "macOS Keychain"  # type: ignore[arg-type]
    assert (
        backend_name(fake("keyring.backends.Windows", "WinVaultKeyring"))  # type: ignore[arg-type]
        == "Windows Credential Locker"
    )
    assert backend_name(fake("keyrings.alt.file", "PlaintextKeyring")) == "PlaintextKeyring"  # type: ignore[arg-type]


def test_plaintext_file_backend_is_refused() -> None:
    class PlaintextKeyring(MemoryKeyring):
        pass

    PlaintextKeyring.__module__ = "keyrings.alt.file"
    keyring.backend.KeyringBackend._classes.discard(PlaintextKeyring)
    backend = PlaintextKeyring()
    store = TokenStore(backend)
    assert not store.status().usable
    assert "file" in store.status().reason
    with pytest.raises(KeyringUnavailableError):
        store.set(KEY, TOKEN)
    assert backend.entries == {}


# ------------------------------------------------------------ session fallback
def test_session_tokens() -> None:
    tokens = SessionTokens()
    assert tokens.get(KEY) is None
    assert KEY not in tokens and len(tokens) == 0
    tokens.set(KEY, TOKEN)
    tokens.set("other", "x")
    assert tokens.get(KEY) == TOKEN
    assert KEY in tokens and len(tokens) == 2
    assert sorted(tokens) == sorted([KEY, "other"])
    assert TOKEN not in repr(tokens) and KEY in repr(tokens)
    assert tokens.delete(KEY) is True
    assert tokens.delete(KEY) is False
    tokens.clear()
    assert len(tokens) == 0


def test_session_tokens_threads() -> None:
    tokens = SessionTokens()

    def work(n: int) -> None:
        for i in range(200):
            tokens.set(f"{n}-{i}", str(i))
            assert tokens.get(f"{n}-{i}") == str(i)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(tokens) == 1600


def test_core_storage_modules_do_not_import_qt() -> None:
    code = (
        "import sys, vessl_gui.core.credentials, vessl_gui.core.history\n"
        "assert 'PySide6' not in sys.modules, sorted(m for m in sys.modules if 'PySide' in m)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# -- the saved-token index: a hint that spares loading the keyring at start ----------


def test_index_follows_set_get_and_delete(tmp_path: Path) -> None:
    index = tmp_path / "saved-tokens.json"
    backend = MemoryKeyring()
    store = TokenStore(backend, index=index)
    assert store.saved_hint(KEY) is None  # no index yet: unknown
    store.set(KEY, TOKEN)
    assert store.saved_hint(KEY) is True
    assert TokenStore(None, index=index).saved_hint(KEY) is True  # a new process reads it
    assert TOKEN not in index.read_text(encoding="utf-8")  # keys only, never a token
    assert json.loads(index.read_text(encoding="utf-8"))["saved"] == [KEY]
    other = KEY + "-other"
    assert store.saved_hint(other) is False
    assert store.delete(KEY)
    assert store.saved_hint(KEY) is False
    assert TokenStore(None, index=index).saved_hint(KEY) is False


def test_index_is_corrected_by_what_the_keyring_says(tmp_path: Path) -> None:
    index = tmp_path / "saved-tokens.json"
    backend = MemoryKeyring()
    TokenStore(backend, index=index).set(KEY, TOKEN)
    backend.delete_password(DEFAULT_SERVICE, KEY)  # removed behind the app's back
    store = TokenStore(backend, index=index)
    assert store.saved_hint(KEY) is True
    assert store.get(KEY) is None
    assert store.saved_hint(KEY) is False
    backend.set_password(DEFAULT_SERVICE, KEY, TOKEN)  # e.g. saved by an older version
    assert store.get(KEY) == TOKEN
    assert TokenStore(None, index=index).saved_hint(KEY) is True


def test_a_damaged_index_is_unknown_then_rewritten(tmp_path: Path) -> None:
    index = tmp_path / "saved-tokens.json"
    index.write_text("{not json", encoding="utf-8")
    store = TokenStore(MemoryKeyring(), index=index)
    assert store.saved_hint(KEY) is None
    store.set(KEY, TOKEN)
    assert TokenStore(None, index=index).saved_hint(KEY) is True


def test_an_unwritable_index_does_not_stop_saving(tmp_path: Path) -> None:
    index = tmp_path / "missing-dir-is-a-file" / "saved-tokens.json"
    index.parent.write_text("a file where the directory should be", encoding="utf-8")
    store = TokenStore(MemoryKeyring(), index=index)
    store.set(KEY, TOKEN)  # the keyring is the truth; the hint is best effort
    assert store.get(KEY) == TOKEN


def test_no_index_means_no_hint() -> None:
    store = TokenStore(MemoryKeyring())
    store.set(KEY, TOKEN)
    assert store.saved_hint(KEY) is None


def test_loaded_is_false_until_the_backend_is_needed(monkeypatch: pytest.MonkeyPatch) -> None:
    backend = MemoryKeyring()
    monkeypatch.setattr(keyring, "get_keyring", lambda: backend)
    store = TokenStore()
    assert not store.loaded
    assert store.get(KEY) is None
    assert store.loaded
    assert TokenStore(backend).loaded
