"""The token field and the keyring: saved, read when needed, forgotten, session-only."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from pytestqt.qtbot import QtBot

from tests.ui.conftest import TOKEN, WindowFactory, fill, wait_state
from vessl_gui.emulator import Emulator


def test_token_saved_loaded_and_forgotten(
    qtbot: QtBot, make_window: WindowFactory, emulator: Emulator
) -> None:
    w = make_window()
    fill(qtbot, w, emulator.base_url)
    qtbot.mouseClick(w.composer.save_token_button, Qt.MouseButton.LeftButton)
    assert w.ctx.tokens.get(emulator.base_url) == TOKEN
    assert "Saved in" in w.composer.token_status.text()
    # Another base URL: the token is not carried over.
    w.composer.base_url_edit.setText("https://other.example/api/v1/services/x")
    w.composer.base_url_edit.editingFinished.emit()
    assert w.composer.token_edit.text() == ""
    # Back to the first: loaded from the keyring.
    w.composer.base_url_edit.setText(emulator.base_url + "/")
    w.composer.base_url_edit.editingFinished.emit()
    assert w.composer.token_edit.text() == TOKEN
    assert "Saved in" in w.composer.token_status.text()
    # Masked by default, revealed on demand.
    from PySide6.QtWidgets import QLineEdit

    assert w.composer.token_edit.echoMode() == QLineEdit.EchoMode.Password
    qtbot.mouseClick(w.composer.reveal_button, Qt.MouseButton.LeftButton)
    assert w.composer.token_edit.echoMode() == QLineEdit.EchoMode.Normal
    qtbot.mouseClick(w.composer.forget_token_button, Qt.MouseButton.LeftButton)
    assert w.ctx.tokens.get(emulator.base_url) is None
    assert w.composer.token_edit.text() == ""


def test_no_keyring_keeps_token_for_the_session(
    qtbot: QtBot,
    make_window: WindowFactory,
    emulator: Emulator,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import keyring.backends.fail

    from vessl_gui.core.credentials import TokenStore

    w = make_window()
    w.ctx.tokens = TokenStore(keyring.backends.fail.Keyring())
    w.tokens.keyring = w.ctx.tokens.status()
    fill(qtbot, w, emulator.base_url)
    w.composer.base_url_edit.editingFinished.emit()
    assert "session only" in w.composer.token_status.text()
    w.send()
    wait_state(qtbot, w, 0, "completed")  # polling works with the session token


def test_a_returning_users_token_is_read_from_the_keyring_only_when_needed(
    qtbot: QtBot,
    make_window: WindowFactory,
    emulator: Emulator,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Start-up does not load the keyring to fill the token field (B2: ~13 MB); the
    saved-token index says a token is saved, and Send reads it.  The keyring is
    opened on a thread of its own (here a slow one): the window keeps running."""
    import threading

    import keyring

    from tests.fakes import MemoryKeyring
    from vessl_gui.core.credentials import TokenStore

    backend = MemoryKeyring()
    asked: list[str] = []
    opened_on: list[bool] = []

    def slow_get_keyring() -> MemoryKeyring:
        opened_on.append(threading.current_thread() is threading.main_thread())
        time.sleep(0.3)  # an import, a D-Bus round trip, an unlock prompt ...
        asked.append("get_keyring")
        return backend

    monkeypatch.setattr(keyring, "get_keyring", slow_get_keyring)
    index = tmp_path / "saved-tokens.json"
    first = make_window(data_dir=tmp_path / "a", tokens=TokenStore(index=index))
    fill(qtbot, first, emulator.base_url)
    first.save_token()
    assert "Opening the system keyring" in first.statusBar().currentMessage()
    qtbot.waitUntil(index.exists, timeout=5000)
    assert asked == ["get_keyring"] and opened_on == [False]
    first.shutdown()

    asked.clear()
    tokens = TokenStore(index=index)
    w = make_window(data_dir=tmp_path / "b", tokens=tokens)
    c = w.composer
    c.base_url_edit.setText(emulator.base_url)
    c.base_url_edit.editingFinished.emit()
    c.path_edit.setText("/echo")
    assert not tokens.loaded and asked == []
    assert c.token_edit.text() == ""
    assert "Saved in" in c.token_status.text() and "when you send" in c.token_status.text()
    assert "used when you send" in c.token_edit.placeholderText()
    ticks: list[float] = []
    timer = QTimer(w)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(10)
    w.send()
    w.send()  # pressed twice while the keyring opens: sent twice once it has answered
    assert w.model.rowCount() == 0 and not tokens.loaded and w.keyring_pending()
    qtbot.waitUntil(lambda: w.model.rowCount() == 2, timeout=5000)
    assert not w.keyring_pending()
    timer.stop()
    assert tokens.loaded and asked == ["get_keyring"] and opened_on == [False, False]
    assert len(ticks) >= 10  # the event loop ran all along (0.3 s of opening)
    assert c.token_edit.text() == TOKEN
    wait_state(qtbot, w, 0, "completed")  # the emulator answers 401 to any other token
    wait_state(qtbot, w, 1, "completed")

    # Another service without a saved token: Send says so instead of sending.
    c.base_url_edit.setText(emulator.base_url + "-other")
    c.base_url_edit.editingFinished.emit()
    assert c.token_edit.text() == ""
    w.send()
    assert w.model.rowCount() == 2
    assert "Token is required" in c.token_error.text()
    assert "Not saved yet" in c.token_status.text()


def test_show_reads_a_saved_token(
    qtbot: QtBot,
    make_window: WindowFactory,
    emulator: Emulator,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import keyring

    from tests.fakes import MemoryKeyring
    from vessl_gui.core.credentials import DEFAULT_SERVICE, TokenStore

    backend = MemoryKeyring()
    backend.set_password(DEFAULT_SERVICE, emulator.base_url, TOKEN)
    monkeypatch.setattr(keyring, "get_keyring", lambda: backend)
    tokens = TokenStore(index=tmp_path / "saved-tokens.json")  # no index yet: unknown
    w = make_window(tokens=tokens)
    c = w.composer
    c.base_url_edit.setText(emulator.base_url)
    c.base_url_edit.editingFinished.emit()
    assert not tokens.loaded and c.token_edit.text() == ""
    assert "is used when you send" in c.token_status.text()
    qtbot.mouseClick(c.reveal_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: c.token_edit.text() == TOKEN, timeout=5000)  # opened on a thread
    assert c.token_edit.displayText() == TOKEN
    assert tokens.saved_hint(emulator.base_url) is True


def test_unfinished_requests_resume_once_the_keyring_opened_off_the_gui_thread(
    qtbot: QtBot,
    make_window: WindowFactory,
    emulator: Emulator,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A returning user's unfinished requests need their tokens: the keyring is opened on
    a thread after the first frame, and polling resumes when it has answered."""
    import threading

    import httpx
    import keyring

    from tests.fakes import MemoryKeyring
    from vessl_gui.core.credentials import DEFAULT_SERVICE, TokenStore
    from vessl_gui.core.history import HistoryStore
    from vessl_gui.core.models import AsyncRequest, Submission

    request = AsyncRequest(emulator.base_url, "POST", "/predictions/x", '{"q": 1}')
    answer = httpx.post(
        request.create_url,
        content=request.body(),
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
    )
    rid = answer.json()["id"]
    with HistoryStore(tmp_path / "history.sqlite3") as store:
        row = store.add(request)
        store.mark_sent(row.row_id, Submission(rid, 201, 0.01))
    backend = MemoryKeyring()
    backend.set_password(DEFAULT_SERVICE, emulator.base_url, TOKEN)
    threads: list[str] = []

    def slow_get_keyring() -> MemoryKeyring:
        threads.append(threading.current_thread().name)
        time.sleep(0.2)
        return backend

    monkeypatch.setattr(keyring, "get_keyring", slow_get_keyring)
    tokens = TokenStore(index=tmp_path / "saved-tokens.json")
    w = make_window(tokens=tokens)  # starts the services: polling needs a token
    assert not tokens.loaded  # the window did not wait for the keyring
    wait_state(qtbot, w, 0, "completed")
    assert threads == ["keyring-open"] and tokens.loaded


def test_sends_with_the_same_token_ask_the_keyring_once(
    qtbot: QtBot, make_window: WindowFactory, emulator: Emulator, keyring_backend: object
) -> None:
    """The keyring is asked (a D-Bus call; a re-locked one would prompt) once per token,
    not on every Send."""
    from tests.fakes import MemoryKeyring

    assert isinstance(keyring_backend, MemoryKeyring)
    calls: list[str] = []
    real_get, real_set = keyring_backend.get_password, keyring_backend.set_password

    def get(service: str, username: str) -> str | None:
        calls.append("get")
        return real_get(service, username)

    def set_(service: str, username: str, password: str) -> None:
        calls.append("set")
        real_set(service, username, password)

    keyring_backend.get_password = get  # type: ignore[method-assign]
    keyring_backend.set_password = set_  # type: ignore[method-assign]
    w = make_window()
    fill(qtbot, w, emulator.base_url)
    calls.clear()
    w.send()
    assert calls[-2:] == ["get", "set"]  # (after the keyring's own probe) saved
    calls.clear()
    w.send()
    w.send()
    assert w.model.rowCount() == 3
    assert calls == []  # known: not asked again
    assert keyring_backend.get_password("vessl-gui", emulator.base_url) == TOKEN
    calls.clear()
    w.composer.token_edit.setText(TOKEN + "-new")
    w.send()
    assert calls == ["get", "set"]  # another token: saved again
    w.forget_token()
    calls.clear()
    w.composer.token_edit.setText(TOKEN)
    w.send()
    assert "set" in calls  # forgotten, so saved anew
