"""Send: validation, faults in the row, large requests stored off the GUI thread."""

from __future__ import annotations

import json
import socket
import time

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.ui.conftest import WindowFactory, cell, fill, wait_state
from vessl_gui.emulator import Emulator, Fault
from vessl_gui.ui.history.model import COL_MESSAGE
from vessl_gui.ui.window import MainWindow


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
