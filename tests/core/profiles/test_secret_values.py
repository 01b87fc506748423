"""Secret variables' values in the keyring: read, save, forget, copy; the token index holds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.core.profiles.conftest import URL
from tests.fakes import BrokenKeyring, LockedKeyring, MemoryKeyring, StuckDeleteKeyring
from vessl_gui.core.credentials import DEFAULT_SERVICE, SessionTokens, TokenStore
from vessl_gui.core.errors import (
    CredentialError,
    KeyringUnavailableError,
    MissingSecretError,
    ValidationError,
)
from vessl_gui.core.profiles import (
    Profile,
    ProfileStore,
    copy_secrets,
    forget_secrets,
    read_variables,
    save_variables,
    variable_key,
)
from vessl_gui.core.variables import Variable

SECRET = "s3cr3t-'\"\\-value"


@pytest.fixture
def backend() -> MemoryKeyring:
    return MemoryKeyring()


@pytest.fixture
def tokens(backend: MemoryKeyring, tmp_path: Path) -> TokenStore:
    return TokenStore(backend, index=tmp_path / "saved-tokens.json")


def _entries(backend: MemoryKeyring) -> dict[str, str]:
    return {user: value for (service, user), value in backend.entries.items()}


def test_variable_key() -> None:
    assert variable_key("abc123", "api_key") == "var:abc123:api_key"


def test_save_then_read_back(store: ProfileStore, tokens: TokenStore, backend, path) -> None:
    p = store.add_profile("Prod", URL)
    rows = [Variable("model", "llama"), Variable("api_key", SECRET, True)]
    done = save_variables(store, tokens, p.id, rows)
    assert done.notice is None
    assert done.profile.variables == (rows[0], Variable("api_key", "", True))
    assert _entries(backend) == {f"var:{p.id}:api_key": SECRET}
    assert SECRET not in path.read_text(encoding="utf-8")
    got = read_variables(done.profile, tokens)
    assert got.missing == () and got.require() == tuple(rows)
    assert SECRET not in repr(got)


def test_only_the_secrets_a_request_uses_are_read(store, tokens, backend) -> None:
    p = store.add_profile("Prod", URL)
    rows = [Variable("a", "1"), Variable("k1", "one", True), Variable("k2", "two", True)]
    p = save_variables(store, tokens, p.id, rows).profile
    asked: list[str] = []
    real_get = tokens.get

    def spy(key: str) -> str | None:
        asked.append(key)
        return real_get(key)

    tokens.get = spy  # type: ignore[method-assign]
    assert read_variables(p, tokens, names={"a"}).require() == (rows[0],)
    assert asked == []  # no secret used: the keyring is not asked
    assert read_variables(p, tokens, names=["k2", "nope"]).require() == (rows[0], rows[2])
    assert asked == [variable_key(p, "k2")]


def test_a_missing_value_is_a_clear_error(store, tokens, backend) -> None:
    p = store.add_profile("Prod", URL)
    p = save_variables(store, tokens, p.id, [Variable("k", SECRET, True)]).profile
    backend.entries.clear()  # removed outside the app
    got = read_variables(p, tokens)
    assert got.missing == ("k",) and got.variables == (Variable("k", "", True),)
    with pytest.raises(MissingSecretError) as exc:
        got.require()
    assert exc.value.names == ("k",) and exc.value.kind == "missing_secret"
    assert isinstance(exc.value, CredentialError)
    assert exc.value.message == (
        'The secret variable "k" of Prod has no value in the keyring (removed there, or kept '
        "for a session only): set it again in the service's variables."
    )
    other = Profile(p.id, "X", URL, variables=(p.variables[0], Variable("j", "", True)))
    two = read_variables(other, tokens)
    with pytest.raises(MissingSecretError, match='variables "k", "j" of X have no value'):
        two.require()


def test_an_empty_secret_keeps_its_value_and_a_new_one_needs_one(store, tokens, backend) -> None:
    p = store.add_profile("Prod", URL)
    save_variables(store, tokens, p.id, [Variable("k", SECRET, True)])
    kept = save_variables(store, tokens, p.id, [Variable("k", "", True), Variable("m", "1")])
    assert _entries(backend) == {f"var:{p.id}:k": SECRET}
    assert read_variables(kept.profile, tokens).require()[0].value == SECRET
    with pytest.raises(ValidationError) as exc:
        save_variables(store, tokens, p.id, [Variable("k", "", True), Variable("new", "", True)])
    [f] = exc.value.fields
    assert (f.field, f.line, f.column) == ("variables", 2, 2) and "'new' needs a value" in f.message
    with pytest.raises(ValidationError):  # the table's own rules come first
        save_variables(store, tokens, p.id, [Variable("PATH", "x", True)])
    assert store.profile(p.id).variables == kept.profile.variables  # nothing changed


def test_removed_renamed_or_plain_secrets_leave_the_keyring(store, tokens, backend) -> None:
    p = store.add_profile("Prod", URL)
    rows = [Variable("a", "A", True), Variable("b", "B", True), Variable("c", "C", True)]
    save_variables(store, tokens, p.id, rows)
    done = save_variables(
        store, tokens, p.id, [Variable("a", "plain now"), Variable("b2", "B2", True)]
    )
    assert done.notice is None
    assert _entries(backend) == {f"var:{p.id}:b2": "B2"}
    assert read_variables(done.profile, tokens).require() == (
        Variable("a", "plain now"),
        Variable("b2", "B2", True),
    )


def test_the_token_index_and_hint_are_untouched(store, tokens, backend, tmp_path) -> None:
    index = tmp_path / "saved-tokens.json"
    tokens.set(URL, "the-token")
    p = store.add_profile("Prod", URL)
    save_variables(store, tokens, p.id, [Variable("k", SECRET, True)])
    fresh = TokenStore(None, index=index)  # a new process, the keyring not loaded
    assert fresh.saved_hint(URL) is True
    assert fresh.saved_hint(URL + "/other") is False
    assert fresh.saved_hint(variable_key(p, "k")) is True  # the dialog's "saved" hint
    doc = json.loads(index.read_text(encoding="utf-8"))
    assert doc == {"version": 1, "saved": sorted([URL, f"var:{p.id}:k"])}
    assert SECRET not in index.read_text(encoding="utf-8")
    save_variables(store, tokens, p.id, [])
    assert TokenStore(None, index=index).saved_hint(variable_key(p, "k")) is False
    assert TokenStore(None, index=index).saved_hint(URL) is True
    assert tokens.get(URL) == "the-token"


def test_forget_and_copy(store, tokens, backend) -> None:
    p = store.add_profile("Prod", URL)
    rows = [Variable("m", "1"), Variable("k", SECRET, True), Variable("gone", "x", True)]
    save_variables(store, tokens, p.id, rows)
    tokens.delete(variable_key(p, "gone"))
    copy = store.duplicate_profile(p.id)
    assert copy_secrets(tokens, store.profile(p.id), copy) == ("gone",)
    assert read_variables(copy, tokens).variables[1] == Variable("k", SECRET, True)
    deleted = store.delete_profile(p.id)
    assert forget_secrets(tokens, deleted) is None
    assert _entries(backend) == {f"var:{copy.id}:k": SECRET}


def test_keyring_failures_name_the_variable_never_the_value(store, tmp_path) -> None:
    p = store.add_profile("Prod", URL)
    memory = TokenStore(MemoryKeyring())
    p = save_variables(store, memory, p.id, [Variable("k", SECRET, True)]).profile
    for backend in (LockedKeyring(), BrokenKeyring()):
        broken = TokenStore(backend)
        with pytest.raises(CredentialError) as exc:
            read_variables(p, broken)
        assert exc.value.message.startswith("Could not read the secret variable 'k': ")
        with pytest.raises(CredentialError) as exc:
            save_variables(store, broken, p.id, [Variable("k", SECRET, True)])
        assert "Could not save the secret variable 'k'" in exc.value.message
        assert SECRET not in exc.value.message and exc.value.__cause__ is None
    with pytest.raises(CredentialError, match="at most 1280 characters"):
        save_variables(store, TokenStore(BrokenKeyring()), p.id, [Variable("k", "x" * 1281, True)])


def test_no_keyring_at_all(store) -> None:
    from keyring.backends import fail

    p = store.add_profile("Prod", URL)
    p = store.set_variables(p.id, [Variable("k", "", True)])
    with pytest.raises(KeyringUnavailableError, match="secret variable 'k' cannot be read"):
        read_variables(p, TokenStore(fail.Keyring()))


def test_a_stuck_delete_is_a_notice_not_a_failure(store, tmp_path) -> None:
    tokens = TokenStore(StuckDeleteKeyring())
    p = store.add_profile("Prod", URL)
    save_variables(store, tokens, p.id, [Variable("k", SECRET, True)])
    done = save_variables(store, tokens, p.id, [Variable("k", "plain")])
    assert done.profile.variables == (Variable("k", "plain"),)
    assert done.notice is not None and "'k' (Prod) could not be removed" in done.notice
    tokens.set(variable_key(p, "j"), "J")
    notice = forget_secrets(tokens, store.set_variables(p.id, [Variable("j", "", True)]))
    assert notice is not None and f"var:{p.id}:…" in notice
    assert forget_secrets(tokens, store.set_variables(p.id, [Variable("n", "", True)])) is None


def test_session_tokens_serve_when_there_is_no_keyring(store) -> None:
    session = SessionTokens()
    p = store.add_profile("Prod", URL)
    p = save_variables(store, session, p.id, [Variable("k", SECRET, True)]).profile
    assert read_variables(p, session).require() == (Variable("k", SECRET, True),)
    assert SECRET not in repr(session)
    assert DEFAULT_SERVICE == "vessl-gui"  # the same keyring service as the tokens
