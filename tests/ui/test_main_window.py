"""The real window, driven through its widgets, against the emulator on 127.0.0.1."""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QElapsedTimer, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.ui.conftest import TOKEN, WindowFactory
from vessl_gui.core.models import REQUEST_ID_RE, Timeouts
from vessl_gui.emulator import Emulator, Fault
from vessl_gui.ui.history.model import COL_ID, COL_MESSAGE, COL_STATUS, COLUMNS
from vessl_gui.ui.window import MainWindow


def fill(
    qtbot: QtBot,
    w: MainWindow,
    base_url: str,
    token: str = TOKEN,
    path: str = "/echo",
    data: str = '{"question": "How are you?"}',
    method: str = "POST",
) -> None:
    c = w.composer
    c.base_url_edit.clear()
    qtbot.keyClicks(c.base_url_edit, base_url)
    c.token_edit.clear()
    qtbot.keyClicks(c.token_edit, token)
    c.method_combo.setCurrentText(method)
    c.path_edit.clear()
    qtbot.keyClicks(c.path_edit, path)
    c.data_editor.setPlainText(data)


def cell(w: MainWindow, row: int, col: int) -> str:
    return str(w.model.index(row, col).data())


def wait_state(qtbot: QtBot, w: MainWindow, row: int, *states: str, timeout: int = 10000) -> None:
    def ok() -> None:
        s = w.model.summary_at(row)
        assert s is not None and s.state in states, s

    qtbot.waitUntil(ok, timeout=timeout)


def test_send_copy_and_watch_until_completed(
    qtbot: QtBot, make_window: WindowFactory, emulator: Emulator
) -> None:
    w = make_window()
    fill(qtbot, w, emulator.base_url + "/")
    qtbot.mouseClick(w.composer.send_button, Qt.MouseButton.LeftButton)
    # The row is there at once, before any answer.
    assert w.model.rowCount() == 1
    assert w.model.summary_at(0).state in ("sending", "pending")  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: w.model.summary_at(0).request_id is not None, timeout=5000)  # type: ignore[union-attr]
    rid = cell(w, 0, COL_ID)
    assert REQUEST_ID_RE.match(rid)
    assert emulator.status_of(rid) is not None  # the emulator really has it
    # Ctrl+C on the selected row copies its id.
    w.history_view.setFocus()
    w.select_row(0)
    QGuiApplication.clipboard().clear()
    qtbot.keyClick(w.history_view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == rid
    assert rid in w.statusBar().currentMessage()
    # The Copy ID button copies the last id too.
    qtbot.waitUntil(w.copy_id_button.isEnabled)
    assert rid in w.copy_id_button.text()
    QGuiApplication.clipboard().clear()
    qtbot.mouseClick(w.copy_id_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == rid
    # Status goes to completed by itself, and the details show the echoed output.
    wait_state(qtbot, w, 0, "completed")
    assert cell(w, 0, COL_STATUS) == "completed"
    assert w.output_view.fact("Service answered") == "HTTP 200"
    shown = w.output_view.text.toPlainText()
    assert '"question": "How are you?"' in shown
    assert '"echo"' in shown
    # The request that was sent went out as typed (trailing slash removed).
    received = [r for r in emulator.received() if r.method == "POST"]
    assert len(received) == 1
    assert received[0].header("authorization") == f"Bearer {TOKEN}"
    assert json.loads(received[0].body) == {
        "method": "POST",
        "path": "/echo",
        "data": {"question": "How are you?"},
    }
    # The token went to the keyring, not to settings or history.
    assert w.ctx.tokens.get(emulator.base_url) == TOKEN
    w.save_state()
    for f in Path(w.ctx.data_dir).iterdir():
        if f.is_file():
            assert TOKEN.encode() not in f.read_bytes(), f


def test_copy_output_button(qtbot: QtBot, make_window: WindowFactory, emulator: Emulator) -> None:
    w = make_window()
    fill(qtbot, w, emulator.base_url, data="[1, 2.50, true]")
    w.send()
    wait_state(qtbot, w, 0, "completed")
    w.select_row(0)
    qtbot.waitUntil(lambda: w.output_view.copy_output_button.isEnabled())
    qtbot.mouseClick(w.output_view.copy_output_button, Qt.MouseButton.LeftButton)
    assert json.loads(QGuiApplication.clipboard().text())["echo"] == [1, 2.5, True]


def test_bad_json_is_not_sent_and_error_points_at_it(
    qtbot: QtBot, make_window: WindowFactory, emulator: Emulator
) -> None:
    w = make_window()
    bad = '{\n  "a": 1,\n  "b": }'
    fill(qtbot, w, emulator.base_url, data=bad)
    qtbot.keyClick(w.composer.data_editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert w.model.rowCount() == 0
    assert emulator.received() == []
    assert "line 3, column 8" in w.composer.data_error.text()
    assert not w.composer.data_error.isHidden()
    cursor = w.composer.data_editor.textCursor()
    assert (cursor.blockNumber() + 1, cursor.positionInBlock() + 1) == (3, 8)
    assert w.composer.data_editor.toPlainText() == bad  # nothing typed is lost
    assert "Not sent" in w.statusBar().currentMessage()


def test_every_bad_field_is_marked(qtbot: QtBot, make_window: WindowFactory) -> None:
    w = make_window()
    fill(qtbot, w, "ftp://x", token="", method="GE T", path="/a b", data="")
    w.send()
    assert w.model.rowCount() == 0
    for label in ("base_url", "token", "method", "path", "data"):
        assert w.composer.error_text(label), label
    # Fixing them clears the marks on the next send.
    fill(qtbot, w, "http://127.0.0.1:9/x", token="t", path="/", data="null")
    w.send()
    assert all(not w.composer.error_text(f) for f in ("base_url", "token", "data"))
    assert w.model.rowCount() == 1


def test_wrong_token_shows_401_in_the_row(
    qtbot: QtBot, make_window: WindowFactory, emulator: Emulator
) -> None:
    w = make_window()
    fill(qtbot, w, emulator.base_url, token="wrong-token")
    w.send()
    wait_state(qtbot, w, 0, "send_error")
    assert "token was rejected (401" in cell(w, 0, COL_MESSAGE)
    # The status bar hears of it from a second signal, right after the row update.
    qtbot.waitUntil(lambda: "401" in w.statusBar().currentMessage())
    assert w.composer.data_editor.toPlainText() == '{"question": "How are you?"}'


def test_connection_refused(qtbot: QtBot, make_window: WindowFactory) -> None:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    w = make_window()
    fill(qtbot, w, f"http://127.0.0.1:{port}/api/v1/services/x")
    w.send()
    wait_state(qtbot, w, 0, "send_error")
    assert "Connection refused" in cell(w, 0, COL_MESSAGE)


@pytest.mark.parametrize(
    ("fault", "state", "needle"),
    [
        (Fault.error(500, "kaboom"), "send_error", "500 Internal Server Error"),
        (
            Fault(real_status=201, extra_fields={"id": "NOT-AN-ID!"}),
            "unknown",
            "not a valid request id",
        ),
        (Fault(drop="after"), "unknown", "may or may not have been created"),
    ],
)
def test_server_faults_land_in_the_row(
    qtbot: QtBot,
    make_window: WindowFactory,
    emulator: Emulator,
    fault: Fault,
    state: str,
    needle: str,
) -> None:
    w = make_window()
    emulator.inject("create", fault)
    fill(qtbot, w, emulator.base_url)
    w.send()
    wait_state(qtbot, w, 0, state)
    assert needle in cell(w, 0, COL_MESSAGE)
    # The app is still usable: the next send works.
    w.send()
    wait_state(qtbot, w, 0, "pending", "in_progress", "completed")


def test_slow_server_keeps_the_window_responsive(
    qtbot: QtBot, make_window: WindowFactory, emulator: Emulator
) -> None:
    emulator.set_latency(1.0)
    w = make_window()
    fill(qtbot, w, emulator.base_url)
    gaps: list[int] = []
    clock = QElapsedTimer()
    clock.start()
    last = [clock.elapsed()]

    def beat() -> None:
        now = clock.elapsed()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.timeout.connect(beat)
    timer.start(5)
    for _ in range(10):
        w.send()
    wait_state(qtbot, w, 0, "pending", "in_progress", "completed", timeout=15000)
    timer.stop()
    longest = max(gaps)
    print(f"longest event-loop gap while 10 sends were in flight: {longest} ms")
    assert longest < 250
    assert w.model.rowCount() == 10


def test_history_model_passes_qtmodeltester(
    qtbot: QtBot, qtmodeltester: object, make_window: WindowFactory, emulator: Emulator
) -> None:
    w = make_window()
    fill(qtbot, w, emulator.base_url)
    for _ in range(3):
        w.send()
    qtbot.waitUntil(lambda: all(w.model.summary_at(i).request_id for i in range(3)))  # type: ignore[union-attr]
    qtmodeltester.check(w.model)  # type: ignore[attr-defined]
    headers = [w.model.headerData(i, Qt.Orientation.Horizontal) for i in range(len(COLUMNS))]
    assert headers == list(COLUMNS)


def test_history_pages_in(qtbot: QtBot, make_window: WindowFactory, tmp_path: Path) -> None:
    from vessl_gui.core.history import HistoryStore
    from vessl_gui.core.models import AsyncRequest

    with HistoryStore(tmp_path / "history.sqlite3") as store:
        req = AsyncRequest("http://127.0.0.1:9/s", "POST", "/", "{}")
        store.add_many([req] * 1000)
    w = make_window()
    assert w.model.total() == 1000
    assert w.model.rowCount() == 200  # one page, not the whole table
    assert w.model.canFetchMore()
    w.history_view.scrollToBottom()
    qtbot.waitUntil(lambda: w.model.rowCount() > 200)


def test_restart_keeps_rows_and_resumes_polling(
    qtbot: QtBot, make_window: WindowFactory, emulator: Emulator, tmp_path: Path
) -> None:
    emulator.set_scaled_to_zero(True)
    emulator.configure(cold_start=3600)
    w1 = make_window()
    fill(qtbot, w1, emulator.base_url)
    w1.send()
    qtbot.waitUntil(lambda: w1.model.summary_at(0).request_id is not None)  # type: ignore[union-attr]
    rid = w1.model.summary_at(0).request_id  # type: ignore[union-attr]
    wait_state(qtbot, w1, 0, "pending")
    assert w1.shutdown()
    w1.close()
    w1.ctx.store.close()
    # A new window on the same data dir: the row is there and polling resumes.
    emulator.set_scaled_to_zero(False)
    w2 = make_window()
    assert w2.model.rowCount() == 1
    assert w2.model.summary_at(0).request_id == rid  # type: ignore[union-attr]
    wait_state(qtbot, w2, 0, "completed", timeout=15000)


def test_close_with_20_sends_in_flight(
    qtbot: QtBot, make_window: WindowFactory, emulator: Emulator
) -> None:
    emulator.set_latency(3.0)
    w = make_window(timeouts=Timeouts(connect=2, read=30))
    fill(qtbot, w, emulator.base_url)
    for _ in range(20):
        w.send()
    qtbot.wait(300)
    started = time.monotonic()
    w.close()
    took = time.monotonic() - started
    print(f"closed with 20 sends in flight in {took:.2f} s")
    assert took < 3.0
    assert w.workers is not None and not w.workers.abandoned
    states = {s.state for s in w.ctx.store.page(0, 100)}
    assert states <= {"sending", "unknown", "send_error", "pending"}
    assert w.ctx.store.count() == 20


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


def test_accessibility_contract(make_window: WindowFactory) -> None:
    w = make_window()
    from PySide6.QtWidgets import QWidget

    for name in (
        "mainWindow",
        "baseUrlEdit",
        "tokenEdit",
        "methodCombo",
        "pathEdit",
        "dataEditor",
        "sendButton",
        "copyIdButton",
        "historyView",
        "outputView",
    ):
        widget = w if name == "mainWindow" else w.findChild(QWidget, name)
        assert widget is not None, name
        assert widget.accessibleName(), name


def test_refresh_repolls_selected(
    qtbot: QtBot, make_window: WindowFactory, emulator: Emulator
) -> None:
    w = make_window()
    fill(qtbot, w, emulator.base_url)
    w.send()
    wait_state(qtbot, w, 0, "completed")
    polls_before = len([r for r in emulator.received() if r.method == "GET"])
    w.select_row(0)
    qtbot.keyClick(w.history_view, Qt.Key.Key_F5)
    qtbot.waitUntil(
        lambda: len([r for r in emulator.received() if r.method == "GET"]) > polls_before
    )


def test_main_reuses_existing_application(qtbot: QtBot, tmp_path: Path) -> None:
    from vessl_gui import app as appmod

    app = QApplication.instance()
    QTimer.singleShot(
        300,
        lambda: [
            x.close() for x in QApplication.topLevelWidgets() if x.objectName() == "mainWindow"
        ],
    )
    code = appmod.main(["--data-dir", str(tmp_path / "d")])
    assert code == 0
    assert QApplication.instance() is app
    assert (tmp_path / "d" / "history.sqlite3").exists()


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


def test_send_does_not_parse_again_what_the_editor_checked(
    qtbot: QtBot, make_window: WindowFactory, emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vessl_gui.core import validation

    parsed: list[int] = []
    real = validation.check_json

    def counting(text: str) -> object:
        parsed.append(len(text))
        return real(text)

    monkeypatch.setattr(validation, "check_json", counting)
    w = make_window()
    data = '{"question": "How are you?"}'
    fill(qtbot, w, emulator.base_url, data=data)
    w.send()  # not checked by the editor yet (debounced): Send parses it
    assert parsed == [len(data)] and w.model.rowCount() == 1
    w.composer.data_editor.validate_now()
    parsed.clear()
    w.send()  # checked, unchanged: sent as it is
    assert parsed == [] and w.model.rowCount() == 2
    w.composer.data_editor.setPlainText('{"question": }')  # changed: checked again, refused
    w.send()
    assert parsed == [len('{"question": }')] and w.model.rowCount() == 2
    assert "Not sent" in w.statusBar().currentMessage()
    wait_state(qtbot, w, 0, "completed")
    assert data.encode() in [r.body for r in emulator.received() if r.method == "POST"][-1]


def test_the_sent_row_is_shown_without_reading_it_back(
    qtbot: QtBot, make_window: WindowFactory, emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = make_window()
    fill(qtbot, w, emulator.base_url, data='{"big": "' + "x" * 100_000 + '"}')
    store = w.ctx.store
    reads: list[int] = []
    real_get = store.get

    def counting_get(row_id: int) -> object:
        reads.append(row_id)
        return real_get(row_id)

    monkeypatch.setattr(store, "get", counting_get)
    monkeypatch.setattr(store, "get_apart", counting_get)  # how a selected row is read
    emulator.set_latency(0.5)  # the row stays "sending" while it is checked
    w.send()
    shown = w.output_view.entry()
    assert shown is not None and shown.state == "sending"
    assert shown == real_get(shown.row_id)  # what is stored, without store.get on Send
    assert reads == []
    w.send()  # the new row goes above the shown one (which moves), then is selected
    again = w.output_view.entry()
    assert again is not None and again.row_id == shown.row_id + 1
    assert reads == []  # neither the moved row nor the new one was read back
    w.history_view.clearSelection()
    w.select_row(0)  # selecting it later reads it, as any row
    assert reads == [again.row_id]


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


def _slow_adds(
    monkeypatch: pytest.MonkeyPatch, w: MainWindow, delay: float, fail: str = ""
) -> None:
    """Storing a request takes ``delay`` s more (or fails), as a large one does."""
    from vessl_gui.core.errors import StorageError

    store = w.ctx.store
    real = store.add

    def slow(request: object, **kw: object) -> object:
        time.sleep(delay)
        if fail:
            raise StorageError(fail)
        return real(request, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(store, "add", slow)


def test_a_large_request_is_stored_off_the_gui_thread_then_sent_in_order(
    qtbot: QtBot, make_window: WindowFactory, emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = make_window()
    big = json.dumps({"blob": "b" * 300_000})
    fill(qtbot, w, emulator.base_url, path="/big", data=big)
    _slow_adds(monkeypatch, w, 0.3)
    started = time.monotonic()
    w.send()
    assert time.monotonic() - started < 0.25  # did not wait for the whole store
    assert w.model.rowCount() == 0 and w.statusBar().currentMessage() == "Saving POST /big…"
    w.composer.path_edit.setText("/small")
    w.composer.data_editor.setPlainText('{"n": 1}')
    w.send()  # small, but after a request still being stored: it waits its turn
    assert w.model.rowCount() == 0
    wait_state(qtbot, w, 0, "completed")
    wait_state(qtbot, w, 1, "completed")
    posts = [r.body for r in emulator.received() if r.method == "POST"]
    assert [b"blob" in b for b in posts] == [True, False]  # in the order sent
    rows = [w.model.summary_at(r) for r in range(2)]
    assert [s.path for s in rows if s] == ["/small", "/big"]
    stored = w.ctx.store.get(rows[1].row_id)  # type: ignore[union-attr]
    assert stored is not None and stored.data == big


def test_a_large_request_that_cannot_be_stored_is_not_sent(
    qtbot: QtBot, make_window: WindowFactory, emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = make_window()
    big = json.dumps({"blob": "b" * 300_000})
    fill(qtbot, w, emulator.base_url, path="/big", data=big)
    _slow_adds(monkeypatch, w, 0.1, fail="The disk is full.")
    w.send()
    qtbot.waitUntil(lambda: "Not sent" in w.statusBar().currentMessage(), timeout=5000)
    assert "could not be saved: The disk is full." in w.statusBar().currentMessage()
    assert w.model.rowCount() == 0
    assert [r for r in emulator.received() if r.method == "POST"] == []
    assert w.composer.data_editor.toPlainText() == big  # nothing typed is lost


def test_a_large_request_being_stored_at_close_is_kept(
    qtbot: QtBot, make_window: WindowFactory, emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = make_window()
    big = json.dumps({"blob": "b" * 300_000})
    fill(qtbot, w, emulator.base_url, path="/big", data=big)
    _slow_adds(monkeypatch, w, 0.3)
    w.send()
    assert w.model.rowCount() == 0
    assert w.shutdown()  # waits for it to be stored, and hands it over as a queued send
    rows = w.ctx.store.page(0, 10)
    assert [s.path for s in rows] == ["/big"]
    stored = w.ctx.store.get(rows[0].row_id)
    assert stored is not None and stored.data == big
    assert stored.state != "sending"  # its queued send ended it, as any queued send


def test_sending_with_ctrl_enter_selects_only_the_new_row(
    qtbot: QtBot, make_window: WindowFactory, emulator: Emulator
) -> None:
    """Ctrl is down when the row is selected: the selection is still replaced, not
    toggled or extended (as a Ctrl+click would)."""
    w = make_window()
    fill(qtbot, w, emulator.base_url)
    for n in (1, 2, 3):
        qtbot.keyClick(w.composer.path_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        assert w.model.rowCount() == n
        assert w.selection.selected_rows() == [0]
        shown = w.output_view.entry()
        assert shown is not None and shown.row_id == w.model.summary_at(0).row_id  # type: ignore[union-attr]
    wait_state(qtbot, w, 0, "completed")


def test_a_large_request_that_fails_to_store_at_close_is_logged(
    qtbot: QtBot,
    make_window: WindowFactory,
    emulator: Emulator,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    w = make_window()
    fill(qtbot, w, emulator.base_url, path="/big", data=json.dumps({"blob": "b" * 300_000}))
    _slow_adds(monkeypatch, w, 0.2, fail="The disk is full.")
    w.send()
    with caplog.at_level("WARNING"):
        assert w.shutdown()
    assert "could not be stored at close: The disk is full." in caplog.text
    assert [r for r in emulator.received() if r.method == "POST"] == []


def test_a_send_goes_out_when_the_services_list_cannot_be_read(
    qtbot: QtBot, make_window: WindowFactory, emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vessl_gui.core.errors import StorageError

    w = make_window()
    fill(qtbot, w, emulator.base_url)

    def broken() -> list[str]:
        raise StorageError("The history database is locked.")

    monkeypatch.setattr(w.ctx.store, "services", broken)
    w.send()  # a service the filter does not list yet: the list is read, and fails
    assert w.model.rowCount() == 1
    wait_state(qtbot, w, 0, "completed")
