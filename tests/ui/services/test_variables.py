"""Variables of a service through the window: the table, Send, history, preview, copy.

Each test drives the real widgets against the emulator on 127.0.0.1; the secret
values go to the in-memory keyring, and once to the real Secret Service.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QCheckBox, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from tests.conftest import TEST_SERVICE
from tests.fakes import MemoryKeyring
from tests.ui.conftest import WindowFactory, fill, wait_state
from vessl_gui.core.credentials import TokenStore
from vessl_gui.emulator import Emulator
from vessl_gui.ui.services.variables import VariablesDialog
from vessl_gui.ui.window import MainWindow

SECRET = "s3cr3t-v4lue-9f1e"
#: A demo path whose answer does not echo the data (an echo would bring the secret back).
NO_ECHO = "/status/200/text"
DATA = '{"prompt": "{{greeting}}, {{name}}!",  "key": "{{api_key}}", "n": 1.0, "big": 1e400}'
SENT = '{"prompt": "Hello \\"you\\", Ada!",  "key": "s3cr3t-v4lue-9f1e", "n": 1.0, "big": 1e400}'


ROWS = [("greeting", 'Hello "you"', False), ("name", "Ada", False), ("api_key", SECRET, True)]


def as_service(qtbot: QtBot, w: MainWindow, base_url: str) -> str:
    """Save the composer's base URL as a service and select it; its id."""
    profile = w.services.store.add_profile("emu", base_url)
    w.services.refresh_profiles(select=profile.id)
    w.commit_base_url(base_url)
    return profile.id


def define(qtbot: QtBot, w: MainWindow, rows: list[tuple[str, str, bool]]) -> None:
    """Service ▾ → Variables…, type the rows, Save; wait until saved."""
    w.services.variables_action.trigger()
    qtbot.waitUntil(lambda: w.services.variables.dialog is not None, timeout=5000)
    dialog = w.services.variables.dialog
    assert isinstance(dialog, VariablesDialog) and dialog.isVisible()
    add = dialog.findChild(QPushButton, "addVariableButton")
    for name, value, secret in rows:
        qtbot.mouseClick(add, Qt.MouseButton.LeftButton)
        row = dialog.table.rowCount() - 1
        name_edit = dialog.table.cellWidget(row, 0)
        value_edit = dialog.table.cellWidget(row, 1)
        box = dialog.table.cellWidget(row, 2)
        assert isinstance(name_edit, QLineEdit) and isinstance(value_edit, QLineEdit)
        assert isinstance(box, QCheckBox)
        qtbot.keyClicks(name_edit, name)
        value_edit.setText(value)  # keyClicks cannot type every character
        box.setChecked(secret)
        if secret:
            assert value_edit.echoMode() == QLineEdit.EchoMode.Password
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    qtbot.waitUntil(lambda: "Saved" in w.statusBar().currentMessage(), timeout=5000)


def send_and_check(
    qtbot: QtBot, w: MainWindow, emulator: Emulator, store_path: Path, token_store_has: object
) -> None:
    w.send()
    wait_state(qtbot, w, 0, "completed")
    posts = [r for r in emulator.received() if r.method == "POST"]
    body = posts[-1].body
    # Byte-exact: only the references changed (the escaped quotes, 1.0, 1e400 and the
    # two spaces are as typed).
    assert body.endswith(b', "data": ' + SENT.encode() + b"}")
    entry = w.ctx.store.get(w.model.summary_at(0).row_id)  # type: ignore[union-attr]
    assert entry is not None
    assert entry.data == DATA.replace("{{greeting}}", 'Hello \\"you\\"').replace("{{name}}", "Ada")
    assert entry.secret_vars == "api_key"  # flagged: kept as {{api_key}}
    w.ctx.store.checkpoint()
    raw = b"".join(p.read_bytes() for p in store_path.parent.glob("history.sqlite3*"))
    assert SECRET.encode() not in raw  # never on disk
    services_json = (store_path.parent / "services.json").read_bytes()
    assert SECRET.encode() not in services_json and b"api_key" in services_json
    assert token_store_has


def test_variables_are_replaced_on_send_and_secrets_never_stored(
    qtbot: QtBot,
    make_window: WindowFactory,
    emulator: Emulator,
    keyring_backend: MemoryKeyring,
    tmp_path: Path,
) -> None:
    w = make_window()
    fill(qtbot, w, emulator.base_url, path=NO_ECHO, data=DATA)
    pid = as_service(qtbot, w, emulator.base_url)
    define(
        qtbot,
        w,
        [("greeting", 'Hello "you"', False), ("name", "Ada", False), ("api_key", SECRET, True)],
    )
    secret_entries = [v for (s, k), v in keyring_backend.entries.items() if k.startswith("var:")]
    assert secret_entries == [SECRET]
    assert any(k == f"var:{pid}:api_key" for (_s, k) in keyring_backend.entries)
    send_and_check(qtbot, w, emulator, tmp_path / "history.sqlite3", secret_entries)
    # Send again from the history: the secret is read again, the row is new.
    w.select_row(0)
    w.history_actions.send_again_action.trigger()
    qtbot.waitUntil(lambda: w.model.total() == 2, timeout=5000)
    wait_state(qtbot, w, 0, "completed")
    posts = [r for r in emulator.received() if r.method == "POST"]
    assert posts[-1].body.endswith(b', "data": ' + SENT.encode() + b"}")


def test_an_unknown_variable_is_marked_and_nothing_is_sent(
    qtbot: QtBot, make_window: WindowFactory, emulator: Emulator
) -> None:
    w = make_window()
    fill(qtbot, w, emulator.base_url, data='{"q": "{{nmae}}"}')
    as_service(qtbot, w, emulator.base_url)
    define(qtbot, w, [("name", "Ada", False)])
    label = w.composer.data_error
    qtbot.waitUntil(lambda: "{{nmae}} is not a variable" in label.text(), timeout=5000)
    assert "did you mean" not in label.text() or "{{name}}" in label.text()
    assert "line 1, column 8" in label.text()
    w.send()
    assert "Not sent" in w.statusBar().currentMessage()
    assert not [r for r in emulator.received() if r.method == "POST"]
    assert w.model.total() == 0  # no row: nothing was sent
    # Fixing the text clears the mark.
    w.composer.data_editor.setPlainText('{"q": "{{name}}"}')
    qtbot.waitUntil(lambda: not label.isVisible() or not label.text(), timeout=5000)


def test_preview_shows_the_exact_body_and_hides_secrets_until_asked(
    qtbot: QtBot, make_window: WindowFactory, emulator: Emulator
) -> None:
    w = make_window()
    fill(qtbot, w, emulator.base_url, path="/p/{{name}}", data=DATA)
    as_service(qtbot, w, emulator.base_url)
    define(
        qtbot,
        w,
        [("greeting", 'Hello "you"', False), ("name", "Ada", False), ("api_key", SECRET, True)],
    )
    w.findChild(type(w.send_action), "previewAction").trigger()
    from vessl_gui.ui.window.preview import PreviewDialog

    dialog = w.findChild(PreviewDialog, "previewDialog")
    assert dialog is not None and dialog.isVisible()
    shown = dialog.body.toPlainText()
    assert SECRET not in shown and "{{api_key}}" in shown and '"path": "/p/Ada"' in shown
    dialog.show_secrets.setChecked(True)
    exact = dialog.body.toPlainText()
    assert exact.endswith(', "data": ' + SENT + "}")
    assert json.loads(exact)["data"]["key"] == SECRET
    dialog.close()
    assert not [r for r in emulator.received() if r.method == "POST"]  # nothing sent


def test_copy_as_curl_and_python_keep_the_references_as_variables(
    qtbot: QtBot, make_window: WindowFactory, emulator: Emulator
) -> None:
    w = make_window()
    fill(qtbot, w, emulator.base_url, data=DATA)
    as_service(qtbot, w, emulator.base_url)
    define(qtbot, w, [("greeting", "Hi", False), ("name", "Ada", False), ("api_key", SECRET, True)])
    clipboard = QGuiApplication.clipboard()
    w.services.copy_composer("curl")
    curl = clipboard.text()
    assert "api_key" in curl and "${api_key" in curl and SECRET not in curl
    w.services.copy_composer("python")
    py = clipboard.text()
    assert 'os.environ["api_key"]' in py and SECRET not in py


@pytest.mark.real_keyring
def test_a_secret_variable_lives_in_the_real_secret_service(
    qtbot: QtBot,
    make_window: WindowFactory,
    emulator: Emulator,
    secret_service: object,
    tmp_path: Path,
) -> None:
    tokens = TokenStore(secret_service, service=TEST_SERVICE)  # type: ignore[arg-type]
    w = make_window(tokens=tokens)
    fill(qtbot, w, emulator.base_url, path=NO_ECHO, data=DATA)
    pid = as_service(qtbot, w, emulator.base_url)
    try:
        define(
            qtbot,
            w,
            [("greeting", 'Hello "you"', False), ("name", "Ada", False), ("api_key", SECRET, True)],
        )
        assert tokens.get(f"var:{pid}:api_key") == SECRET  # read back from gnome-keyring
        send_and_check(qtbot, w, emulator, tmp_path / "history.sqlite3", True)
    finally:
        tokens.delete(f"var:{pid}:api_key")
        tokens.delete(emulator.base_url)
    with sqlite3.connect(tmp_path / "history.sqlite3") as conn:
        (count,) = conn.execute(
            "SELECT count(*) FROM history WHERE data LIKE ?", (f"%{SECRET}%",)
        ).fetchone()
    assert count == 0
