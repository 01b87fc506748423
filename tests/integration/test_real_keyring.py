"""TokenStore against the real Secret Service (gnome-keyring).

Run it inside ``tests/with-keyring.sh``, which starts a private D-Bus session
with an unlocked gnome-keyring::

    bash tests/with-keyring.sh .venv/bin/pytest tests/integration/test_real_keyring.py

Without a usable Secret Service these tests skip, except on CI (``CI=true``),
where they fail: CI must run them for real.  Entries are written under the
service name ``vessl-gui-test`` with random keys and removed afterwards.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from keyring.backends import SecretService

from tests.conftest import real_secret_service
from vessl_gui.core.credentials import TokenStore

pytestmark = pytest.mark.real_keyring

SERVICE = "vessl-gui-test"


@pytest.fixture(scope="module")
def backend() -> SecretService.Keyring:
    return real_secret_service()


@pytest.fixture
def store(backend: SecretService.Keyring) -> TokenStore:
    return TokenStore(backend, service=SERVICE)


@pytest.fixture
def key(store: TokenStore) -> Iterator[str]:
    """A key no one else uses; its entry is removed after the test."""
    key = f"https://serve-api.test.invalid/api/v1/services/{uuid.uuid4().hex}"
    yield key
    store.delete(key)


def test_status_is_usable_secret_service(store: TokenStore) -> None:
    status = store.status()
    assert status.usable, status.reason
    assert status.backend_name == "Secret Service"
    assert status.reason == ""


def test_round_trip(store: TokenStore, key: str) -> None:
    assert store.get(key) is None
    store.set(key, "tok_first")
    assert store.get(key) == "tok_first"
    store.set(key, "tok_second")  # replaces, does not add a second entry
    assert store.get(key) == "tok_second"
    assert store.delete(key) is True
    assert store.get(key) is None
    assert store.delete(key) is False


def test_one_entry_per_key(store: TokenStore, key: str) -> None:
    import secretstorage  # the library keyring's SecretService backend talks through

    store.set(key, "one")
    store.set(key, "two")
    conn = secretstorage.dbus_init()
    try:
        items = list(secretstorage.search_items(conn, {"service": SERVICE, "username": key}))
        assert len(items) == 1
        assert items[0].get_secret() == b"two"
        assert "two" not in items[0].get_label()
    finally:
        conn.close()


def test_unicode_token_survives(store: TokenStore, key: str) -> None:
    token = "ключ-🔑-秘密-ünïcödé-\t-end"
    store.set(key, token)
    assert store.get(key) == token
    assert TokenStore(SecretService.Keyring(), service=SERVICE).get(key) == token  # a new store


def test_delete_missing_key(store: TokenStore, key: str) -> None:
    assert store.delete(key) is False


_RETURNING_USER = r"""
import json, sys, time
from pathlib import Path
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
app = QApplication([])
from vessl_gui.core.credentials import TokenStore
from vessl_gui.core.history import HistoryStore
from vessl_gui.ui.window import AppContext, MainWindow
cfg = json.loads(sys.stdin.readline())
d = Path(cfg["dir"])
tokens = TokenStore(service=cfg["service"], index=d / "saved-tokens.json")
settings = QSettings(str(d / "settings.ini"), QSettings.Format.IniFormat)
store = HistoryStore(d / "history.sqlite3")
w = MainWindow(AppContext(store=store, tokens=tokens, settings=settings, data_dir=d))
w.show()
w.start_services()
c = w.composer
c.base_url_edit.setText(cfg["base_url"])
c.base_url_edit.editingFinished.emit()
c.path_edit.setText("/echo")
out = {"keyring_at_start": "keyring" in sys.modules, "field_at_start": c.token_edit.text(),
       "status_at_start": c.token_status.text()}
w.send()
deadline = time.monotonic() + 20
while time.monotonic() < deadline:
    app.processEvents()
    s = w.model.summary_at(0)
    if s is not None and s.state not in ("sending",):
        break
    time.sleep(0.01)
s = w.model.summary_at(0)
out.update(keyring_after_send="keyring" in sys.modules, state=s.state if s else None,
           status_after_send=c.token_status.text())
w.shutdown()
store.close()
print(json.dumps(out))
"""


def test_a_returning_user_starts_without_the_keyring_and_sends_with_it(
    backend: SecretService.Keyring, tmp_path: Path
) -> None:
    """The window of a returning user does not load the keyring library at start (B2);
    Send reads the token saved in the real Secret Service."""
    from vessl_gui.emulator import Emulator

    token = "tok-" + uuid.uuid4().hex
    emulator = Emulator(token=token)
    emulator.start()
    key = emulator.base_url
    saver = TokenStore(backend, service=SERVICE, index=tmp_path / "saved-tokens.json")
    saver.set(key, token)
    try:
        cfg = {"dir": str(tmp_path), "service": SERVICE, "base_url": key}
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        proc = subprocess.run(
            [sys.executable, "-c", _RETURNING_USER],
            input=json.dumps(cfg) + "\n",
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
        assert proc.returncode == 0, proc.stderr[-3000:]
        out = json.loads(proc.stdout.strip().splitlines()[-1])
        assert out["keyring_at_start"] is False
        assert out["field_at_start"] == ""
        assert "Saved in" in out["status_at_start"]
        assert out["keyring_after_send"] is True
        assert out["state"] in ("pending", "in_progress", "completed"), out
        assert out["status_after_send"].startswith("Saved in Secret Service"), out
        assert token not in proc.stdout + proc.stderr
    finally:
        saver.delete(key)
        emulator.stop()


def test_a_secret_variable_lives_in_the_secret_service(
    backend: SecretService.Keyring, tmp_path: Path
) -> None:
    """A secret variable's value goes to the real Secret Service (never the services file),
    comes back through a new store, is sent resolved, and history's text keeps {{name}}."""
    from vessl_gui.core.client import ServeClient
    from vessl_gui.core.profiles import ProfileStore, read_variables, save_variables, variable_key
    from vessl_gui.core.validation import validate_request
    from vessl_gui.core.variables import Variable, resolve_request
    from vessl_gui.emulator import Emulator

    secret = 'sk-"quoted"\\-ключ-🔑-' + uuid.uuid4().hex
    token = "tok-" + uuid.uuid4().hex
    index = tmp_path / "saved-tokens.json"
    profiles = ProfileStore(tmp_path / "services.json")
    with Emulator(token=token) as emulator:
        p = profiles.add_profile("Demo", emulator.base_url)
        saver = TokenStore(backend, service=SERVICE, index=index)
        key = variable_key(p, "api_key")
        try:
            rows = [Variable("model", "my-model"), Variable("api_key", secret, secret=True)]
            p = save_variables(profiles, saver, p.id, rows).profile
            assert secret not in (tmp_path / "services.json").read_text(encoding="utf-8")
            assert secret not in index.read_text(encoding="utf-8")
            assert TokenStore(None, service=SERVICE, index=index).saved_hint(key) is True

            reader = TokenStore(SecretService.Keyring(), service=SERVICE)  # a new store
            again = ProfileStore(tmp_path / "services.json").profile(p.id)
            assert again is not None
            values = read_variables(again, reader, names={"model", "api_key"}).require()
            assert values == tuple(rows)

            request = validate_request(
                emulator.base_url, "POST", "/predictions/{{model}}", '{"key": "{{api_key}}"}'
            )
            done = resolve_request(request, values)
            with ServeClient() as client:
                client.create(done.wire, token)
            received = emulator.received()[-1]
            assert received.body == done.wire.body()
            assert json.loads(received.body)["data"] == {"key": secret}
            assert done.history.data == '{"key": "{{api_key}}"}' and done.secrets == {"api_key"}

            save_variables(profiles, saver, p.id, rows[:1])  # no longer a secret: removed
            assert reader.get(key) is None
            assert TokenStore(None, service=SERVICE, index=index).saved_hint(key) is False
        finally:
            saver.delete(key)
